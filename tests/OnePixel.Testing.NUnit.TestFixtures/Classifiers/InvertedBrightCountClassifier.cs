using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;

namespace OnePixel.Testing.NUnit.TestFixtures.Classifiers;

/// <summary>A broken model: BrightCountClassifier with its two classes swapped, so every image of Images/ is misclassified.</summary>
public class InvertedBrightCountClassifier : IImageClassifier
{
    private readonly BrightCountClassifier _inner = new();

    public ImageShape InputShape => _inner.InputShape;
    public int ClassCount => 2;
    public IReadOnlyList<string>? ClassNames => _inner.ClassNames;

    public void Score(ReadOnlySpan<byte> images, int count, Span<float> probabilities)
    {
        _inner.Score(images, count, probabilities);
        for (var i = 0; i < count; i++)
            (probabilities[i * 2], probabilities[i * 2 + 1]) = (probabilities[i * 2 + 1], probabilities[i * 2]);
    }

    public void Dispose() { }
}

/// <summary>Says "dark" whatever the image: the bright images are misclassified, and nothing can be fooled.</summary>
public class AlwaysDarkClassifier : IImageClassifier
{
    public ImageShape InputShape { get; } = new(8, 8, 1);
    public int ClassCount => 2;
    public IReadOnlyList<string>? ClassNames { get; } = ["dark", "bright"];

    public void Score(ReadOnlySpan<byte> images, int count, Span<float> probabilities)
    {
        for (var i = 0; i < count; i++)
            (probabilities[i * 2], probabilities[i * 2 + 1]) = (0.9f, 0.1f);
    }

    public void Dispose() { }
}
