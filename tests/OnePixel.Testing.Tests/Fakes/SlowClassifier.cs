using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;

namespace OnePixel.Testing.Tests.Fakes;

/// <summary>
/// A classifier that takes <paramref name="delay"/> per call, as a large model would: an attack over it
/// lasts long enough to be stopped. <paramref name="onCall"/> runs at each call (a test stops the run there).
/// </summary>
internal sealed class SlowClassifier(IImageClassifier inner, TimeSpan delay, Action? onCall = null) : IImageClassifier
{
    public ImageShape InputShape => inner.InputShape;
    public int ClassCount => inner.ClassCount;
    public IReadOnlyList<string>? ClassNames => inner.ClassNames;

    public void Score(ReadOnlySpan<byte> images, int count, Span<float> probabilities)
    {
        onCall?.Invoke();
        Thread.Sleep(delay);
        inner.Score(images, count, probabilities);
    }

    public void Dispose() => inner.Dispose();
}
