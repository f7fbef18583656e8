using NUnit.Framework;
using OnePixel.Testing;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.Models;
using OnePixel.Testing.NUnit;

namespace OnePixel.Samples.Tests;

/// <summary>
/// What <see cref="ModelSwapGate"/> says when a pull request swaps v1 for the "compressed" v2: v2 attacked
/// with v1's baseline settings, and the images v1 resisted that v2 lets through fail, each named with the
/// pixels that fool it. Explicit, so the default run stays green; run it with
/// <c>--filter TestCategory=Demonstration</c>.
/// </summary>
[Explicit("Demonstrates a model swap that regresses.")]
[Category("Demonstration")]
[RobustnessModel("models/fashion-cnn-v2.onnx")]
public class ModelSwapDemonstration
{
    [RobustnessTest(Budget = SampleGate.Budget, Pixels = SampleGate.Pixels, Baseline = "models/fashion-cnn-v1.baseline.json")]
    public void Does_not_regress_from_the_released_baseline(ImageAttackResult result) { }

    [Test]
    public void The_compressed_model_does_not_regress_from_the_released_one()
    {
        using var model = LoadedModel.Load(Path.Combine(TestContext.CurrentContext.TestDirectory, "models/fashion-cnn-v2.onnx"));

        model.Should().NotRegressFrom(SampleFiles.InRepository("models/fashion-cnn-v1.baseline.json"));
    }
}
