using NUnit.Framework;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.NUnit.TestFixtures.Classifiers;

namespace OnePixel.Testing.NUnit.TestFixtures;

/// <summary>One test for the whole run (PerImage = false): it fails with every fooled image, or passes and gets the report.</summary>
[RobustnessModel(typeof(BrightCountClassifier), Images = "Images")]
public class WholeRun
{
    [RobustnessTest(Budget = 200, PerImage = false)]
    public void Resists_as_a_whole(AttackReport report) =>
        Recorder.Calls.Add((TestContext.CurrentContext.Test.FullName, report, null));

    [RobustnessTest(Budget = 200, PerImage = false, MaxSuccessRate = 0.5)]
    public void Resists_within_a_looser_gate(AttackReport report) =>
        Recorder.Calls.Add((TestContext.CurrentContext.Test.FullName, report, null));
}
