using OnePixel.Testing.Imaging;

namespace OnePixel.Testing.Models;

/// <summary>
/// A classifier that refuses to score once its token is cancelled. Every search scores a whole
/// generation in one call, so an attack over it stops within a generation (milliseconds), not at the
/// end of its image (up to seconds at the paper's budget). It only forwards: the scores, and so the
/// results, are the inner classifier's.
/// </summary>
internal sealed class CancellableClassifier(IImageClassifier inner, CancellationToken cancellation) : IImageClassifier
{
    public ImageShape InputShape => inner.InputShape;
    public int ClassCount => inner.ClassCount;
    public IReadOnlyList<string>? ClassNames => inner.ClassNames;

    public void Score(ReadOnlySpan<byte> images, int count, Span<float> probabilities)
    {
        cancellation.ThrowIfCancellationRequested();
        inner.Score(images, count, probabilities);
    }

    /// <summary>The inner classifier belongs to the caller.</summary>
    public void Dispose() { }
}
