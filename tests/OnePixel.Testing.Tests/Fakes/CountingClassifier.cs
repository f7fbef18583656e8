using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;

namespace OnePixel.Testing.Tests.Fakes;

/// <summary>Wraps a classifier and counts every image scored (a query) and every call.</summary>
internal sealed class CountingClassifier(IImageClassifier inner) : IImageClassifier
{
    private long _queries;
    private long _calls;
    private int _largestBatch;

    public long Queries => Interlocked.Read(ref _queries);
    public long Calls => Interlocked.Read(ref _calls);
    public int LargestBatch => Volatile.Read(ref _largestBatch);

    public ImageShape InputShape => inner.InputShape;
    public int ClassCount => inner.ClassCount;
    public IReadOnlyList<string>? ClassNames => inner.ClassNames;

    public void Score(ReadOnlySpan<byte> images, int count, Span<float> probabilities)
    {
        Interlocked.Add(ref _queries, count);
        Interlocked.Increment(ref _calls);
        int seen;
        while ((seen = Volatile.Read(ref _largestBatch)) < count && Interlocked.CompareExchange(ref _largestBatch, count, seen) != seen) { }
        inner.Score(images, count, probabilities);
    }

    public void Dispose() => inner.Dispose();
}
