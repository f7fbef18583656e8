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

        model.Should().NotRegressFrom(RepositoryFile("models/fashion-cnn-v1.baseline.json"));
    }

    /// <summary>
    /// Baselines are not copied next to the tests, so that ONEPIXEL_UPDATE_BASELINES=1 rewrites the
    /// committed file: found from the test folder upwards.
    /// </summary>
    private static string RepositoryFile(string path)
    {
        for (var folder = TestContext.CurrentContext.TestDirectory; folder is not null; folder = Path.GetDirectoryName(folder))
            if (File.Exists(Path.Combine(folder, path))) return Path.Combine(folder, path);
        throw new FileNotFoundException($"{path}: not found above {TestContext.CurrentContext.TestDirectory}.");
    }
}
