namespace OnePixel.Testing.Imaging;

/// <summary>Width, height and channel count (1 = grayscale, 3 = RGB) of an 8-bit image.</summary>
public readonly record struct ImageShape(int Width, int Height, int Channels)
{
    /// <summary>Bytes in one image: width * height * channels.</summary>
    public int Length => Width * Height * Channels;

    public int PixelCount => Width * Height;

    public void Validate(string what)
    {
        if (Width <= 0 || Height <= 0)
            throw new OnePixelException($"{what}: width and height must be positive, found {Width}x{Height}.");
        if (Channels is not (1 or 3))
            throw new OnePixelException($"{what}: expected 1 (grayscale) or 3 (RGB) channels, found {Channels}.");
    }

    /// <summary>Parses "28x28x1", "32x32x3" or "28x28" (grayscale).</summary>
    public static ImageShape Parse(string text, string what)
    {
        var parts = text.Split('x', 'X');
        if (parts.Length is < 2 or > 3 || !parts.All(p => int.TryParse(p, out var v) && v > 0))
            throw new OnePixelException($"{what}: expected WIDTHxHEIGHT or WIDTHxHEIGHTxCHANNELS such as 28x28x1 or 32x32x3, found '{text}'.");
        var shape = new ImageShape(int.Parse(parts[0]), int.Parse(parts[1]), parts.Length == 3 ? int.Parse(parts[2]) : 1);
        shape.Validate(what);
        return shape;
    }

    public override string ToString() => $"{Width}x{Height}x{Channels}";
}
