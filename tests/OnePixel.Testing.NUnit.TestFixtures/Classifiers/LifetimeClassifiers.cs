namespace OnePixel.Testing.NUnit.TestFixtures.Classifiers;

/// <summary>A <see cref="BrightCountClassifier"/> that counts its creations and disposals: the plugin must dispose what it loads.</summary>
public sealed class DisposeCountedClassifier : BrightCountClassifier, IDisposable
{
    private static int _created;
    private static int _disposed;

    public DisposeCountedClassifier() => Interlocked.Increment(ref _created);

    public static int Created => Volatile.Read(ref _created);
    public static int Disposed => Volatile.Read(ref _disposed);

    void IDisposable.Dispose() => Interlocked.Increment(ref _disposed);
}

/// <summary>A model whose load fails while <see cref="Failing"/> is set (a file locked by another process, a network share away), and works after.</summary>
public sealed class FlakyClassifier : BrightCountClassifier
{
    public const string Problem = "weights.bin: locked by another process; try again.";

    public static volatile bool Failing;

    public FlakyClassifier()
    {
        if (Failing) throw new OnePixelException(Problem);
    }
}
