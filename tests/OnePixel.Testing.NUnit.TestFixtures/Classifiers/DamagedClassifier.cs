namespace OnePixel.Testing.NUnit.TestFixtures.Classifiers;

/// <summary>A model that cannot be loaded, as a damaged weights file would be.</summary>
public sealed class DamagedClassifier : BrightCountClassifier
{
    public const string Problem = "weights.bin: the file is damaged; expected 1,024 weights, found 17.";

    public DamagedClassifier() => throw new OnePixelException(Problem);
}
