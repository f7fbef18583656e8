using OnePixel.Testing.Imaging;

namespace OnePixel.Testing.Models;

/// <summary>
/// Turns 8-bit HWC pixels into a model's input values: scale, then mean and std per channel, in the
/// model's layout. Every (channel, byte) pair has one value, so the arithmetic is done once, into a
/// lookup table of channels x 256 floats, and preprocessing an image is a table read per value.
/// </summary>
internal sealed class PixelPreprocessor(float[] lookup, ImageShape shape, TensorLayout layout)
{
    /// <summary>The table for <paramref name="options"/>' scale, mean and std; an error names the field that is out of range.</summary>
    public static PixelPreprocessor For(string path, ModelOptions options, ImageShape shape, TensorLayout layout) =>
        new(BuildLookup(path, options, shape.Channels), shape, layout);

    /// <summary>The model's input values for one image (HWC bytes).</summary>
    public void Preprocess(ReadOnlySpan<byte> pixels, Span<float> target) => Preprocess(lookup, shape, layout, pixels, target);

    /// <summary>HWC bytes to model values in the model's layout, through the per-channel lookup table.</summary>
    internal static void Preprocess(float[] lookup, ImageShape shape, TensorLayout layout, ReadOnlySpan<byte> pixels, Span<float> target)
    {
        var channels = shape.Channels;
        if (channels == 1)
        {
            for (var i = 0; i < pixels.Length; i++)
                target[i] = lookup[pixels[i]];
            return;
        }
        if (layout == TensorLayout.Nhwc)
        {
            for (var i = 0; i < pixels.Length; i++)
                target[i] = lookup[(i % channels << 8) | pixels[i]];
            return;
        }
        var plane = shape.PixelCount;
        for (var p = 0; p < plane; p++)
        for (var c = 0; c < channels; c++)
            target[c * plane + p] = lookup[(c << 8) | pixels[p * channels + c]];
    }

    /// <summary>channel * 256 + byte -> (byte / scale - mean[channel]) / std[channel].</summary>
    internal static float[] BuildLookup(string path, ModelOptions options, int channels)
    {
        var scale = options.Scale ?? ModelOptions.DefaultScale;
        if (scale <= 0 || !float.IsFinite(scale))
            throw new OnePixelException($"{path}: scale is {scale}; expected a positive number (255 for models that expect 0..1, 1 for 0..255).");
        var mean = PerChannel(options.Mean, 0f, channels, "mean", path);
        var std = PerChannel(options.Std, 1f, channels, "std", path);
        if (std.Any(s => s <= 0 || !float.IsFinite(s)))
            throw new OnePixelException($"{path}: std is [{string.Join(", ", std)}]; expected positive numbers.");
        var lookup = new float[channels * 256];
        for (var c = 0; c < channels; c++)
        for (var v = 0; v < 256; v++)
            lookup[c * 256 + v] = (v / scale - mean[c]) / std[c];
        return lookup;
    }

    private static float[] PerChannel(IReadOnlyList<float>? values, float fallback, int channels, string field, string path)
    {
        if (values is null || values.Count == 0) return Enumerable.Repeat(fallback, channels).ToArray();
        if (values.Count == 1) return Enumerable.Repeat(values[0], channels).ToArray();
        if (values.Count != channels)
            throw new OnePixelException($"{path}: {field} has {values.Count} values; expected 1 or {channels} (one per channel).");
        return values.ToArray();
    }
}
