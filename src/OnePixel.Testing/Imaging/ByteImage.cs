namespace OnePixel.Testing.Imaging;

/// <summary>
/// An 8-bit image stored row-major, channels interleaved (HWC), the way image files and the
/// paper's encoding see it. Models' layouts (NCHW, NHWC, flat) are applied only when scoring.
/// </summary>
public sealed class ByteImage
{
    private readonly byte[] _pixels;

    public ByteImage(ImageShape shape, byte[] pixels)
    {
        shape.Validate("image");
        if (pixels.Length != shape.Length)
            throw new OnePixelException($"image: a {shape} image needs {shape.Length} bytes, found {pixels.Length}.");
        Shape = shape;
        _pixels = pixels;
    }

    public ByteImage(int width, int height, int channels, byte[] pixels) : this(new ImageShape(width, height, channels), pixels) { }

    public ImageShape Shape { get; }
    public int Width => Shape.Width;
    public int Height => Shape.Height;
    public int Channels => Shape.Channels;

    /// <summary>The HWC bytes; read-only so that an attack can never damage the original.</summary>
    public ReadOnlySpan<byte> Pixels => _pixels;

    public byte this[int x, int y, int channel] => _pixels[(y * Width + x) * Channels + channel];

    /// <summary>A copy with some pixels replaced: how an adversarial image is made and re-scored.</summary>
    public ByteImage With(IEnumerable<Attacks.PixelChange> changes)
    {
        var copy = (byte[])_pixels.Clone();
        foreach (var change in changes)
            change.ApplyTo(copy, Shape);
        return new ByteImage(Shape, copy);
    }

    public static ByteImage Filled(ImageShape shape, byte value)
    {
        var pixels = new byte[shape.Length];
        Array.Fill(pixels, value);
        return new ByteImage(shape, pixels);
    }
}
