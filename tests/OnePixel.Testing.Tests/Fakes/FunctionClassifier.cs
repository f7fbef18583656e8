using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;

namespace OnePixel.Testing.Tests.Fakes;

/// <summary>A classifier defined by a function from an image to class probabilities: models made for the purpose.</summary>
internal class FunctionClassifier(ImageShape shape, int classes, Func<ReadOnlySpan<byte>, float[]> score) : IImageClassifier
{
    public ImageShape InputShape { get; } = shape;
    public int ClassCount { get; } = classes;
    public IReadOnlyList<string>? ClassNames { get; init; }

    public virtual void Score(ReadOnlySpan<byte> images, int count, Span<float> probabilities)
    {
        for (var i = 0; i < count; i++)
            score(images.Slice(i * InputShape.Length, InputShape.Length)).CopyTo(probabilities.Slice(i * ClassCount, ClassCount));
    }

    public void Dispose() { }

    public static readonly ImageShape Small = new(8, 8, 1);

    /// <summary>Class 0 unless pixel (5, 2) is brighter than 200: the decision hinges on one pixel.</summary>
    public static FunctionClassifier TriggerPixel() => new(Small, 2, pixels =>
        pixels[2 * 8 + 5] > 200 ? [0.1f, 0.9f] : [0.9f, 0.1f]);

    /// <summary>Ignores its input: always class 2.</summary>
    public static FunctionClassifier Constant() => new(Small, 3, _ => [0.2f, 0.3f, 0.5f]);

    /// <summary>
    /// Three classes decided by pixel (3, 3): dark is class 0, mid-gray class 1, and class 2 is never
    /// top-1 (at most 0.3): a targeted attack on class 2 must fail even though the class can change.
    /// </summary>
    public static FunctionClassifier UnreachableClassTwo() => new(Small, 3, pixels =>
    {
        var v = pixels[3 * 8 + 3];
        return v is > 100 and < 160 ? [0.2f, 0.5f, 0.3f] : [0.6f, 0.1f, 0.3f];
    });

    /// <summary>Class by the brightness of pixel (3, 3): below 100 class 0, to 200 class 1, above class 2.</summary>
    public static FunctionClassifier BrightnessBands() => new(Small, 3, pixels =>
    {
        var v = pixels[3 * 8 + 3];
        return v < 100 ? [0.8f, 0.15f, 0.05f] : v <= 200 ? [0.15f, 0.8f, 0.05f] : [0.05f, 0.15f, 0.8f];
    });
}
