using OnePixel.Testing.Imaging;

namespace OnePixel.Testing.Attacks;

/// <summary>One changed pixel: its position and its new 8-bit value per channel.</summary>
public sealed record PixelChange(int X, int Y, IReadOnlyList<byte> Value)
{
    public void ApplyTo(Span<byte> pixels, ImageShape shape)
    {
        if (X < 0 || X >= shape.Width || Y < 0 || Y >= shape.Height)
            throw new OnePixelException($"pixel ({X}, {Y}) is outside the {shape.Width}x{shape.Height} image.");
        if (Value.Count != shape.Channels)
            throw new OnePixelException($"pixel ({X}, {Y}) has {Value.Count} channel values; the image has {shape.Channels}.");
        var offset = (Y * shape.Width + X) * shape.Channels;
        for (var c = 0; c < shape.Channels; c++)
            pixels[offset + c] = Value[c];
    }

    public override string ToString() => $"({X}, {Y}) = {(Value.Count == 1 ? Value[0].ToString() : $"[{string.Join(", ", Value)}]")}";
}
