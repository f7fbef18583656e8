namespace OnePixel.Testing.NUnit.TestFixtures.Classifiers;

/// <summary>
/// A <see cref="BrightCountClassifier"/> that takes 50 ms per call, as a large model would: at 2,000
/// queries (40 calls) an image it resists takes 2 s, so its attack is still running when a test stops it.
/// </summary>
public sealed class SlowClassifier : BrightCountClassifier
{
    public static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(50);

    public override void Score(ReadOnlySpan<byte> images, int count, Span<float> probabilities)
    {
        Thread.Sleep(Delay);
        base.Score(images, count, probabilities);
    }
}
