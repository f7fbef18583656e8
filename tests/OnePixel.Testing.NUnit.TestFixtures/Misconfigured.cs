using OnePixel.Testing.NUnit.TestFixtures.Classifiers;

namespace OnePixel.Testing.NUnit.TestFixtures;

// Configuration errors: each must become a test that reports the reason, never a failed discovery.

public class NoModelDeclared
{
    [RobustnessTest]
    public void Resists_one_pixel_attacks() { }
}

[RobustnessModel("models/no-such-model.onnx")]
public class MissingModelFile
{
    [RobustnessTest]
    public void Resists_one_pixel_attacks() { }
}

[RobustnessModel(typeof(BrightCountClassifier), Images = "no-such-images")]
public class MissingImages
{
    [RobustnessTest]
    public void Resists_one_pixel_attacks() { }
}

[RobustnessModel(typeof(BrightCountClassifier), Images = "Images")]
public class UnfillableParameter
{
    [RobustnessTest]
    public void Resists_one_pixel_attacks(int count) { }
}

[RobustnessModel(typeof(DamagedClassifier), Images = "Images")]
public class DamagedModel
{
    [RobustnessTest(Budget = 50)]
    public void Resists_one_pixel_attacks() { }
}

/// <summary>The class names a missing file; the method's own declaration must win.</summary>
[RobustnessModel("models/no-such-model.onnx")]
public class MethodDeclarationWins
{
    [RobustnessTest(Budget = 50, MaxSuccessRate = 0.5)]
    [RobustnessModel(typeof(BrightCountClassifier), Images = "Images")]
    public void Resists_one_pixel_attacks() { }
}

[RobustnessModel(typeof(BrightCountClassifier), Images = "Images")]
public class SignificanceWithoutBaseline
{
    [RobustnessTest(Budget = 50, Significance = 0.05, PerImage = false)]
    public void Resists_one_pixel_attacks() { }
}

[RobustnessModel(typeof(BrightCountClassifier), Images = "Images")]
public class SignificanceOutOfRange
{
    [RobustnessTest(Budget = 50, Baseline = "baselines-under-test/never-read.baseline.json", Significance = 1.5, PerImage = false)]
    public void Does_not_regress() { }
}

[RobustnessModel(typeof(BrightCountClassifier), Images = "Images")]
public class HistoryOfAVerification
{
    [RobustnessTest(Verify = true, History = "never-written.history.jsonl", PerImage = false)]
    public void Is_certified() { }
}
