using OnePixel.Testing.NUnit.TestFixtures.Classifiers;

namespace OnePixel.Testing.NUnit.TestFixtures;

/// <summary>
/// Settings no other fixture uses (seed 77), so its attack is not already done and shared when it runs:
/// its progress lines are its own.
/// </summary>
[RobustnessModel(typeof(BrightCountClassifier), Images = "Images")]
public class ProgressReported
{
    [RobustnessTest(Budget = 200, Seed = 77, MaxSuccessRate = 0.5)]
    public void Resists_one_pixel_attacks() { }
}
