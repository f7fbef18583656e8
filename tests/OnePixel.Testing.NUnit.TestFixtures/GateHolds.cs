using NUnit.Framework;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.NUnit.TestFixtures.Classifiers;

namespace OnePixel.Testing.NUnit.TestFixtures;

/// <summary>2 of 5 images fooled, 50% allowed: every case passes, and the method gets the report and its image's result.</summary>
[RobustnessModel(typeof(BrightCountClassifier), Images = "Images")]
public class GateHolds
{
    [RobustnessTest(Budget = 200, MaxSuccessRate = 0.5)]
    public void Resists_one_pixel_attacks(ImageAttackResult result, AttackReport report) =>
        Recorder.Calls.Add((TestContext.CurrentContext.Test.FullName, report, result));
}
