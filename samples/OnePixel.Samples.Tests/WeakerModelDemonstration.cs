using FluentAssertions;
using NUnit.Framework;
using OnePixel.Testing;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.Models;
using OnePixel.Testing.NUnit;

namespace OnePixel.Samples.Tests;

/// <summary>
/// What a failing gate looks like: the "compressed" v2 release, under the very gate v1 passes. Explicit,
/// so the default run stays green; run it with <c>--filter TestCategory=Demonstration</c>.
/// </summary>
[Explicit("Demonstrates a failing robustness gate.")]
[Category("Demonstration")]
[RobustnessModel("models/fashion-cnn-v2.onnx")]
public class WeakerModelDemonstration
{
    [RobustnessTest(Budget = SampleGate.Budget, Pixels = SampleGate.Pixels, MaxSuccessRate = SampleGate.MaxSuccessRate)]
    public void Resists_one_pixel_attacks(ImageAttackResult result) { }

    [Test]
    public void The_compressed_model_resists_one_pixel_attacks()
    {
        using var model = LoadedModel.Load(Path.Combine(TestContext.CurrentContext.TestDirectory, "models/fashion-cnn-v2.onnx"));

        model.Should().ResistOnePixelAttacks(AttackBudget.Queries(SampleGate.Budget), pixels: SampleGate.Pixels, maxSuccessRate: SampleGate.MaxSuccessRate);
    }
}
