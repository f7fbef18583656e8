namespace OnePixel.Testing.NUnit.TestFixtures.Classifiers;

/// <summary>A <see cref="BrightCountClassifier"/> that counts how often it is created, for the fixtures that must not load it.</summary>
public sealed class LoadCountedClassifier : BrightCountClassifier
{
    private static int _instances;

    public LoadCountedClassifier() => Interlocked.Increment(ref _instances);

    public static int Instances => Volatile.Read(ref _instances);
}
