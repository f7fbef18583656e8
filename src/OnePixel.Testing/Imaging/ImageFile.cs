using System.Buffers;
using System.Runtime.InteropServices;
using SkiaSharp;

namespace OnePixel.Testing.Imaging;

/// <summary>Reads and writes PNG and JPEG files through SkiaSharp.</summary>
public static class ImageFile
{
    /// <summary>
    /// Decodes a PNG or JPEG. Grayscale files become 1-channel images, everything else RGB
    /// (alpha is dropped: models see colour, and a transparent pixel has no defined colour).
    /// </summary>
    public static ByteImage Load(string path)
    {
        if (!File.Exists(path))
            throw new OnePixelException($"{path}: image file not found.");
        // Skia reads the file itself (SKData: one native buffer; SKCodec.Create(path) would wrap a
        // managed file stream, 1.1 KB of garbage more per image) and decodes straight into the
        // image's own array (RGB through a pooled RGBA buffer), so streaming a large set leaves the
        // garbage collector little to do.
        using var data = SKData.Create(path)
            ?? throw new OnePixelException($"{path}: the image file is empty or cannot be read; expected a PNG or JPEG file.");
        using var codec = SKCodec.Create(data)
            ?? throw new OnePixelException($"{path}: not a readable image; expected a PNG or JPEG file.");
        var gray = codec.Info.ColorType == SKColorType.Gray8;
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, gray ? SKColorType.Gray8 : SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var shape = new ImageShape(info.Width, info.Height, gray ? 1 : 3);
        var pixels = new byte[shape.Length];
        if (gray)
        {
            Decode(codec, info, pixels, path);
            return new ByteImage(shape, pixels);
        }
        var rgba = ArrayPool<byte>.Shared.Rent(info.BytesSize);
        try
        {
            Decode(codec, info, rgba, path);
            for (int from = 0, to = 0; to < pixels.Length; from += 4, to += 3)
            {
                pixels[to] = rgba[from];
                pixels[to + 1] = rgba[from + 1];
                pixels[to + 2] = rgba[from + 2];
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rgba);
        }
        return new ByteImage(shape, pixels);
    }

    /// <summary>Decodes into <paramref name="target"/>, rows packed (info.RowBytes apart).</summary>
    private static void Decode(SKCodec codec, SKImageInfo info, byte[] target, string path)
    {
        var pin = GCHandle.Alloc(target, GCHandleType.Pinned);
        try
        {
            var result = codec.GetPixels(info, pin.AddrOfPinnedObject());
            if (result != SKCodecResult.Success)
                throw new OnePixelException($"{path}: the image data is damaged ({result}); expected a complete PNG or JPEG.");
        }
        finally
        {
            pin.Free();
        }
    }

    /// <summary>
    /// Encodes an image as a lossless PNG, so an adversarial image re-scores exactly: a 1-channel
    /// image as a grayscale PNG (it loads back as 1 channel), others as RGB.
    /// </summary>
    public static byte[] EncodePng(ByteImage image)
    {
        using var bitmap = image.Channels == 1 ? ToGrayBitmap(image) : ToBitmap(image);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    public static void SavePng(ByteImage image, string path) => AtomicFile.WriteAllBytes(path, EncodePng(image));

    private static SKBitmap ToGrayBitmap(ByteImage image)
    {
        var bitmap = new SKBitmap(new SKImageInfo(image.Width, image.Height, SKColorType.Gray8, SKAlphaType.Opaque));
        var target = bitmap.GetPixelSpan();
        for (var y = 0; y < image.Height; y++)
            image.Pixels.Slice(y * image.Width, image.Width).CopyTo(target.Slice(y * bitmap.RowBytes));
        return bitmap;
    }

    internal static SKBitmap ToBitmap(ByteImage image)
    {
        var bitmap = new SKBitmap(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        var target = bitmap.GetPixelSpan();
        var pixels = image.Pixels;
        for (var i = 0; i < image.Width * image.Height; i++)
        {
            var rowOffset = i / image.Width * bitmap.RowBytes + i % image.Width * 4;
            for (var c = 0; c < 3; c++)
                target[rowOffset + c] = pixels[i * image.Channels + (image.Channels == 1 ? 0 : c)];
            target[rowOffset + 3] = 255;
        }
        return bitmap;
    }
}
