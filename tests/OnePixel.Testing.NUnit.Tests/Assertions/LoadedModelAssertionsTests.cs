using OnePixel.Testing.Attacks;
using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;

namespace OnePixel.Testing.NUnit.Tests.Assertions;

/// <summary>The assertion on a model file: the 8x8 single-pixel-trigger model, whose sidecar names five images.</summary>
public class LoadedModelAssertionsTests
{
    private static string TriggerModel => Repository.File("models/testing/single-pixel-trigger.onnx");

    [Test]
    public void Without_images_it_attacks_the_sample_images_the_sidecar_names()
    {
        using var model = LoadedModel.Load(TriggerModel);

        var act = () => model.Should().ResistOnePixelAttacks(AttackBudget.Queries(1_000));

        act.Should().Throw<AssertionException>().WithMessage("*5 of 5 attacked images were fooled*synthetic-00-black.png: off -> on, pixel (5, 2) = *");
    }

    [Test]
    public void When_it_fails_it_names_the_model_file_and_the_command_that_reproduces_it()
    {
        using var model = LoadedModel.Load(TriggerModel);

        var act = () => model.Should().ResistOnePixelAttacks(AttackBudget.Queries(1_000), seed: 11);

        act.Should().Throw<AssertionException>()
            .WithMessage($"Expected model ({TriggerModel}) to resist one-pixel attacks*--budget 1000 --population 25 --seed 11 --max-success-rate 0.1");
    }

    [TestCase(FitnessKind.Margin, "search extremes-de:*--seed 2019 --search extremes-de --max-success-rate 0.1")]
    [TestCase(FitnessKind.Probability, "search extremes-de, fitness probability:*--seed 2019 --search extremes-de --fitness probability --max-success-rate 0.1")]
    public void The_command_that_reproduces_a_failure_names_the_stronger_search(FitnessKind fitness, string expected)
    {
        using var model = LoadedModel.Load(TriggerModel);
        var options = AttackOptions.StrongSearch(AttackBudget.Queries(1_000)) with { Fitness = fitness };

        var act = () => model.Should().ResistOnePixelAttacks(options);

        act.Should().Throw<AssertionException>().WithMessage("*" + expected);
    }

    [Test]
    public void Images_given_explicitly_replace_the_sidecars()
    {
        using var model = LoadedModel.Load(TriggerModel);
        var images = ImageSetLoader.Load(Repository.File("samples/images/testing-8x8"), model.Classifier.ClassNames).Slice(4, 1);

        var act = () => model.Should().ResistOnePixelAttacks(AttackBudget.Queries(1_000), images: images);

        act.Should().Throw<AssertionException>().WithMessage("*1 of 1 attacked images was fooled*synthetic-04-trigger-on.png: on -> off*");
    }

    [Test]
    public void A_model_whose_sidecar_names_no_images_needs_them_given()
    {
        using var folder = new TempFolder();
        var copy = folder.File("bare.onnx");
        File.Copy(TriggerModel, copy);
        using var model = LoadedModel.Load(copy);

        var act = () => model.Should().ResistOnePixelAttacks(AttackBudget.Queries(1_000));

        // There is no sidecar at all: the message must not name one as if it existed.
        act.Should().Throw<OnePixelException>().WithMessage($"{copy} has no sidecar (bare.onnx.json) to name sampleImages, and no images were passed; expected a sidecar with \"sampleImages\" or the images argument.");
    }
}
