using StbImageSharp;
using StbImageWriteSharp;
using ReadComponents = StbImageSharp.ColorComponents;
using WriteComponents = StbImageWriteSharp.ColorComponents;

namespace OnePixel.Testing.Imaging;

/// <summary>
/// Reads PNG and JPEG files and writes PNG files, in managed code (StbImageSharp and StbImageWriteSharp, ports
/// of stb_image and stb_image_write). The engine reads small images and writes pictures of them; a native
/// imaging library (SkiaSharp: about 12 MB per platform, plus Windows debug symbols) made the command-line
/// tool 350 MB installed and every test project's output 60 MB larger.
/// </summary>
public static class ImageFile
{
    /// <summary>
    /// Decodes a PNG or JPEG. Grayscale files become 1-channel images, everything else RGB
    /// (alpha is dropped: models see colour, and a transparent pixel has no defined colour).
    /// 16-bit files are reduced to 8 bits per channel.
    /// </summary>
    public static ByteImage Load(string path)
    {
        if (!File.Exists(path))
            throw new OnePixelException($"{path}: image file not found.");
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OnePixelException($"{path}: the image file is empty or cannot be read ({e.Message}); expected a PNG or JPEG file.", e);
        }
        if (bytes.Length == 0)
            throw new OnePixelException($"{path}: the image file is empty or cannot be read; expected a PNG or JPEG file.");

        // Decoded with the file's own channels (one pass, no separate header read): grayscale stays 1
        // channel, everything else becomes RGB below.
        ImageResult decoded;
        try
        {
            decoded = ImageResult.FromMemory(bytes, ReadComponents.Default);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw IsPngOrJpeg(bytes)
                ? new OnePixelException($"{path}: the image data is damaged ({e.Message}); expected a complete PNG or JPEG.", e)
                : new OnePixelException($"{path}: not a readable image; expected a PNG or JPEG file.", e);
        }
        var channels = (int)decoded.Comp;
        if (decoded.Data is null || decoded.Width < 1 || decoded.Height < 1 || channels is < 1 or > 4
            || decoded.Data.Length != decoded.Width * decoded.Height * channels)
            throw new OnePixelException($"{path}: the image data is damaged (decoded {decoded.Data?.Length ?? 0} bytes for {decoded.Width}x{decoded.Height}x{channels}); expected a complete PNG or JPEG.");
        return channels switch
        {
            1 => new ByteImage(new ImageShape(decoded.Width, decoded.Height, 1), decoded.Data),
            3 => new ByteImage(new ImageShape(decoded.Width, decoded.Height, 3), decoded.Data),
            _ => ToRgb(decoded.Data, decoded.Width, decoded.Height, channels),
        };
    }

    /// <summary>Gray + alpha (2 channels) or RGBA (4) to RGB: alpha dropped, colours as stored (not premultiplied).</summary>
    private static ByteImage ToRgb(byte[] source, int width, int height, int channels)
    {
        var shape = new ImageShape(width, height, 3);
        var pixels = new byte[shape.Length];
        for (int from = 0, to = 0; to < pixels.Length; from += channels, to += 3)
        {
            pixels[to] = source[from];
            pixels[to + 1] = source[channels == 2 ? from : from + 1];
            pixels[to + 2] = source[channels == 2 ? from : from + 2];
        }
        return new ByteImage(shape, pixels);
    }

    private static bool IsPngOrJpeg(byte[] bytes) =>
        bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A])
        || bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]);

    /// <summary>
    /// Encodes an image as a lossless PNG, so an adversarial image re-scores exactly: a 1-channel
    /// image as a grayscale PNG (it loads back as 1 channel), others as RGB.
    /// </summary>
    public static byte[] EncodePng(ByteImage image)
    {
        using var png = new MemoryStream();
        new ImageWriter().WritePng(image.Pixels.ToArray(), image.Width, image.Height, image.Channels == 1 ? WriteComponents.Grey : WriteComponents.RedGreenBlue, png);
        return png.ToArray();
    }

    public static void SavePng(ByteImage image, string path) => AtomicFile.WriteAllBytes(path, EncodePng(image));
}
