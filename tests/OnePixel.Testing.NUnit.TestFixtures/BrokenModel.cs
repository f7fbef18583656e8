using OnePixel.Testing.Attacks;
using OnePixel.Testing.NUnit.TestFixtures.Classifiers;

namespace OnePixel.Testing.NUnit.TestFixtures;

/// <summary>
/// A model that misclassifies every image under the samples' gate (2,000 queries, 3 pixels, at most 20 %
/// fooled; samples/OnePixel.Samples.Tests/SampleGate.cs): nothing can be attacked, so every case fails.
/// </summary>
[RobustnessModel(typeof(InvertedBrightCountClassifier), Images = "Images")]
public class BrokenModel
{
    [RobustnessTest(Budget = 2_000, Pixels = 3, MaxSuccessRate = 0.20)]
    public void Resists_one_pixel_attacks(ImageAttackResult result) { }
}

/// <summary>A model that never changes its answer, so resists every attack, but gets the two bright images wrong: 60 % accurate, below a 90 % floor.</summary>
[RobustnessModel(typeof(AlwaysDarkClassifier), Images = "Images")]
public class BelowTheAccuracyFloor
{
    [RobustnessTest(Budget = 200, MinAccuracy = 0.9)]
    public void Resists_one_pixel_attacks(ImageAttackResult result) { }
}

/// <summary>Attacks towards "dark": the dark images are of the target class and are not attacked.</summary>
[RobustnessModel(typeof(BrightCountClassifier), Images = "Images")]
public class TargetClassImages
{
    [RobustnessTest(Budget = 200, Target = "dark", MaxSuccessRate = 1.0)]
    public void Resists_one_pixel_attacks(ImageAttackResult result) { }
}
