using FluentAssertions;
using NUnit.Framework;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.Baselines;
using OnePixel.Testing.NUnit;

namespace OnePixel.Samples.Tests;

/// <summary>
/// The released model, attacked on the 100 sample images its sidecar names: one test case per image,
/// and the build fails when more than the allowed share of them can be fooled by one pixel.
/// </summary>
[RobustnessModel("models/fashion-cnn-v1.onnx")]
public class FashionModelRobustness
{
    /// <summary>The baseline committed for this model, made with this gate's settings (see <see cref="SampleGate"/>).</summary>
    private static readonly Lazy<RobustnessBaseline> Released = new(() => BaselineFile.Read(SampleFiles.InRepository("models/fashion-cnn-v1.baseline.json")));

    [RobustnessTest(Budget = SampleGate.Budget, Pixels = SampleGate.Pixels, MaxSuccessRate = SampleGate.MaxSuccessRate)]
    public void Resists_one_pixel_attacks(AttackReport report, ImageAttackResult result)
    {
        // Runs for every image whose case passes the gate: room for checks of your own. Here: the
        // same seed gives the same run, so each image ends as the committed baseline recorded it
        // (7 of 87 attacked images fooled), and a change in what the attack finds fails the cases
        // of the images it changed, by name, where ModelSwapGate would let an improvement through.
        var baseline = Released.Value;
        BaselineFile.SettingsOf(report.Options).Should().Be(baseline.Settings, "the baseline was made with the gate's settings");

        var recorded = baseline.Images.Should().ContainSingle(i => i.Name == result.Name).Which;
        BaselineFile.OutcomeOf(result).Should().Be(recorded.Outcome, $"the committed baseline records {result.Name} so");
        result.AdversarialLabel.Should().Be(recorded.AdversarialLabel, $"the committed baseline records the class {result.Name} was taken for");
    }
}
