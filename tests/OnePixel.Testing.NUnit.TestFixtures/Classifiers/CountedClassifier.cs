namespace OnePixel.Testing.NUnit.TestFixtures.Classifiers;

/// <summary>A <see cref="BrightCountClassifier"/> that counts how often it is created: the plugin should create it once per run.</summary>
public sealed class CountedClassifier : BrightCountClassifier
{
    private static int _instances;

    public CountedClassifier() => Interlocked.Increment(ref _instances);

    public static int Instances => Volatile.Read(ref _instances);
}
