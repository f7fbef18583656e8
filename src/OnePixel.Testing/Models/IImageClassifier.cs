using OnePixel.Testing.Imaging;

namespace OnePixel.Testing.Models;

/// <summary>
/// A black-box image classifier: all the attack may know of a model. Implementations must be safe
/// to call from several threads at once (attacks run images in parallel).
/// </summary>
public interface IImageClassifier : IDisposable
{
    /// <summary>The image size and channels the model takes.</summary>
    ImageShape InputShape { get; }

    /// <summary>The number of classes; probabilities come in rows of this length.</summary>
    int ClassCount { get; }

    /// <summary>Class names in index order, when known.</summary>
    IReadOnlyList<string>? ClassNames { get; }

    /// <summary>
    /// Scores <paramref name="count"/> images laid end to end in <paramref name="images"/> (HWC bytes,
    /// <see cref="InputShape"/>.Length each) and writes their class probabilities (softmax applied
    /// where the model gives logits) into <paramref name="probabilities"/>, count * ClassCount floats.
    /// </summary>
    void Score(ReadOnlySpan<byte> images, int count, Span<float> probabilities);
}
