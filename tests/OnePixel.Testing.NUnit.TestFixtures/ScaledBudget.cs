using OnePixel.Testing.NUnit.TestFixtures.Classifiers;

namespace OnePixel.Testing.NUnit.TestFixtures;

/// <summary>Names 400 queries and allows nothing fooled, so its message shows the budget in force.</summary>
[RobustnessModel(typeof(BrightCountClassifier), Images = "Images")]
public class ScaledBudget
{
    [RobustnessTest(Budget = 400, MaxSuccessRate = 0, PerImage = false)]
    public void Resists_one_pixel_attacks() { }
}
