using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;

namespace OnePixel.Testing.NUnit.TestFixtures.Classifiers;

/// <summary>
/// 8x8 grayscale, two classes: "bright" when more than 32 pixels are 128 or more, else "dark".
/// Only images on that boundary can be flipped by one pixel (see Images/make-images.py).
/// </summary>
public class BrightCountClassifier : IImageClassifier
{
    public ImageShape InputShape { get; } = new(8, 8, 1);
    public int ClassCount => 2;
    public IReadOnlyList<string>? ClassNames { get; } = ["dark", "bright"];

    public virtual void Score(ReadOnlySpan<byte> images, int count, Span<float> probabilities)
    {
        for (var i = 0; i < count; i++)
        {
            var bright = 0;
            foreach (var value in images.Slice(i * 64, 64))
                if (value >= 128) bright++;
            probabilities[i * 2] = bright > 32 ? 0.2f : 0.8f;
            probabilities[i * 2 + 1] = bright > 32 ? 0.8f : 0.2f;
        }
    }

    public void Dispose() { }
}
