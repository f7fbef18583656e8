using OnePixel.Testing.Attacks;
using OnePixel.Testing.Imaging;

namespace OnePixel.Testing.Reports;

/// <summary>
/// The picture a person looks at to believe a fooled image: the original and the adversarial image
/// side by side, enlarged with nearest-neighbour scaling (so every source pixel stays a sharp square),
/// with each changed pixel outlined in both halves. Test attachments and the HTML report share it.
/// </summary>
public static class AdversarialPicture
{
    public const int DefaultZoom = 8;
    public const int MaxZoom = 64;

    // Red marks the pixel; on a pixel that is itself reddish, green keeps the mark visible.
    private static readonly byte[] Red = [230, 25, 35];
    private static readonly byte[] Green = [20, 200, 60];
    private const byte Background = 255;

    /// <summary>PNG bytes: [original | adversarial], each <paramref name="zoom"/> times larger, changed pixels outlined.</summary>
    public static byte[] Png(ByteImage original, ImageAttackResult result, int zoom = DefaultZoom) =>
        ImageFile.EncodePng(Render(original, result.Pixels, zoom));

    /// <summary>PNG bytes of <paramref name="original"/> with <paramref name="pixels"/> changed (as a history records a fooled image's pixels).</summary>
    public static byte[] Png(ByteImage original, IReadOnlyList<PixelChange> pixels, int zoom = DefaultZoom) =>
        ImageFile.EncodePng(Render(original, pixels, zoom));

    /// <summary>A zoom that makes an image about 224 pixels across: 8 for 28x28, 7 for 32x32, 28 for 8x8, 1 for 224x224.</summary>
    public static int ZoomFor(ImageShape shape) => Math.Clamp(224 / Math.Max(shape.Width, shape.Height), 1, 32);

    /// <summary>The picture as an RGB image, for callers that encode it themselves.</summary>
    public static ByteImage Render(ByteImage original, ImageAttackResult result, int zoom = DefaultZoom) => Render(original, result.Pixels, zoom);

    /// <summary>The picture of <paramref name="original"/> with <paramref name="pixels"/> changed, as an RGB image.</summary>
    public static ByteImage Render(ByteImage original, IReadOnlyList<PixelChange> pixels, int zoom = DefaultZoom)
    {
        if (zoom is < 1 or > MaxZoom)
            throw new OnePixelException($"zoom: expected 1..{MaxZoom}, found {zoom}.");
        var adversarial = original.With(pixels); // validates every pixel against the image
        var outline = Math.Max(1, zoom / 4);
        // A margin as wide as the outline lets a mark around an edge pixel show on all four sides.
        var panelWidth = original.Width * zoom + 2 * outline;
        var panelHeight = original.Height * zoom + 2 * outline;
        var gap = Math.Max(zoom, 2);
        var shape = new ImageShape(2 * panelWidth + gap, panelHeight, 3);
        var canvas = new byte[shape.Length];
        Array.Fill(canvas, Background);

        Draw(canvas, shape, original, outline, outline, zoom);
        Draw(canvas, shape, adversarial, panelWidth + gap + outline, outline, zoom);
        foreach (var pixel in pixels)
        {
            var colour = IsReddish(pixel.Value) ? Green : Red;
            Mark(canvas, shape, outline + pixel.X * zoom, outline + pixel.Y * zoom, zoom, outline, colour);
            Mark(canvas, shape, panelWidth + gap + outline + pixel.X * zoom, outline + pixel.Y * zoom, zoom, outline, colour);
        }
        return new ByteImage(shape, canvas);
    }

    private static void Draw(byte[] canvas, ImageShape shape, ByteImage image, int left, int top, int zoom)
    {
        for (var y = 0; y < image.Height * zoom; y++)
        for (var x = 0; x < image.Width * zoom; x++)
        {
            var to = ((top + y) * shape.Width + left + x) * 3;
            for (var c = 0; c < 3; c++)
                canvas[to + c] = image[x / zoom, y / zoom, image.Channels == 1 ? 0 : c];
        }
    }

    /// <summary>An outline just outside the enlarged pixel, so the pixel's own colour stays visible.</summary>
    private static void Mark(byte[] canvas, ImageShape shape, int left, int top, int zoom, int thickness, byte[] colour)
    {
        for (var y = top - thickness; y < top + zoom + thickness; y++)
        for (var x = left - thickness; x < left + zoom + thickness; x++)
        {
            var inside = x >= left && x < left + zoom && y >= top && y < top + zoom;
            if (inside || x < 0 || y < 0 || x >= shape.Width || y >= shape.Height) continue;
            var to = (y * shape.Width + x) * 3;
            colour.CopyTo(canvas, to);
        }
    }

    private static bool IsReddish(IReadOnlyList<byte> value) =>
        value.Count == 3 && value[0] > 150 && value[1] < 100 && value[2] < 100;
}
