using FluentAssertions;
using NUnit.Framework;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;

namespace OnePixel.Testing.NUnit.TestFixtures;

/// <summary>
/// A failing FluentAssertions assertion on a model without a sidecar, configured in code (scale 1), over a
/// shard of the images (positions 0, 2, 4): its reproduce command must carry both.
/// </summary>
public class AssertionConfiguredInCode
{
    /// <summary>What the run fools; written by the test, for the test that reruns its command.</summary>
    public static IReadOnlyList<string> Fooled { get; private set; } = [];

    [Test]
    public void The_model_resists_one_pixel_attacks()
    {
        using var model = LoadedModel.Load("bare-models/single-pixel-trigger.onnx", new ModelOptions { Scale = 1 });
        var images = ImageSetLoader.Load(FileSearch.Resolve("samples/images/testing-8x8", "images"), model.Classifier.ClassNames).Shard(1, 2);
        Fooled = new AttackRunner(model.Classifier, new AttackOptions { Budget = AttackBudget.Queries(400) }).Run(images).FooledResults.Select(r => r.Name).ToList();

        model.Should().ResistOnePixelAttacks(AttackBudget.Queries(400), images: images);
    }
}
