using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;

namespace OnePixel.Testing.Tests.Models;

/// <summary>
/// The check behind the summary's preprocessing hint: models fed the wrong way are caught by the way
/// that feeds them right, models fed right draw nothing, and what it suggests selects that feeding.
/// </summary>
public class PreprocessingCheckTests
{
    // fashion-cnn-v1 as Keras exports it: NHWC, raw 0..255 values, scaling inside the graph.
    private static string Raw255 => Repository.File("models/variants/raw255-nhwc.onnx");

    [Test]
    public void A_model_that_takes_0_to_255_fed_0_to_1_is_shown_the_scale_that_classifies_its_images()
    {
        using var model = LoadedModel.Load(Raw255, new ModelOptions { Scale = 255 });
        var images = ImageSetLoader.Load(model.Options.SampleImages!, model.Classifier.ClassNames);
        var current = model.Classifier.Preprocessing;

        var suggestion = PreprocessingCheck.Suggest(model.Path, model.Options, model.Classifier, current, images.Images);

        suggestion.Should().NotBeNull();
        suggestion!.Images.Should().Be(Math.Min(images.Count, PreprocessingCheck.MaxImages));
        suggestion.CorrectNow.Should().BeLessThan(suggestion.Images / 2);
        suggestion.Better.Description.Should().Be("0..255");
        suggestion.CorrectBetter.Should().BeGreaterThan(suggestion.Images * 8 / 10);
        suggestion.Better.ArgumentsFrom(current).Should().Equal("--scale", "1");
        suggestion.Better.SidecarFrom(current).Should().Be("\"scale\": 1");
        suggestion.Better.AttributeFrom(current).Should().Be("Scale = 1");
        PreprocessingCheck.Describe(suggestion, current, model.Path, "run with --scale 1").Should()
            .Contain($"only {suggestion.CorrectNow} of {suggestion.Images} images are classified correctly")
            .And.Contain("scale 255, mean 0, std 1")
            .And.Contain($"fed 0..255 (--scale 1), {suggestion.CorrectBetter} of {suggestion.Images} are")
            .And.EndWith("run with --scale 1, or put \"scale\": 1 in raw255-nhwc.onnx.json.");

        // What it suggests is what classifies them: the same model opened with those options.
        using var fixedModel = LoadedModel.Load(Raw255, new ModelOptions { Scale = suggestion.Better.Scale, Mean = suggestion.Better.Mean, Std = suggestion.Better.Std });
        PreprocessingCheck.Suggest(fixedModel.Path, fixedModel.Options, fixedModel.Classifier, fixedModel.Classifier.Preprocessing, images.Images).Should().BeNull();
    }

    [Test]
    public void A_model_fed_as_it_was_trained_draws_no_suggestion()
    {
        using var model = LoadedModel.Load(Repository.File("models/fashion-cnn-v1.onnx"));
        var images = ImageSetLoader.Load(model.Options.SampleImages!, model.Classifier.ClassNames);

        PreprocessingCheck.Suggest(model.Path, model.Options, model.Classifier, model.Classifier.Preprocessing, images.Images).Should().BeNull();
    }

    [Test]
    public void Every_option_that_differs_from_the_run_is_named_and_no_other()
    {
        using var model = LoadedModel.Load(Raw255, new ModelOptions { Scale = 255, Mean = [0.5f], Std = [0.5f] });
        var images = ImageSetLoader.Load(model.Options.SampleImages!, model.Classifier.ClassNames);
        var current = model.Classifier.Preprocessing;

        var suggestion = PreprocessingCheck.Suggest(model.Path, model.Options, model.Classifier, current, images.Images);

        suggestion.Should().NotBeNull();
        suggestion!.Better.Description.Should().Be("0..255");
        suggestion.Better.ArgumentsFrom(current).Should().Equal("--scale", "1", "--mean", "0", "--std", "1");
        suggestion.Better.SidecarFrom(current).Should().Be("\"scale\": 1, \"mean\": [0], \"std\": [1]");
        suggestion.Better.AttributeFrom(current).Should().Be("Scale = 1, Mean = [0f], Std = [1f]");
    }

    [Test]
    public void The_usual_feedings_include_imagenet_normalisation_for_colour_only()
    {
        PreprocessingCheck.Usual(1).Select(f => f.Description).Should().Equal("0..1", "0..255", "-1..1");
        PreprocessingCheck.Usual(3).Select(f => f.Description).Should().Equal("0..1", "0..255", "-1..1", "ImageNet-normalised");
    }

    [Test]
    public void No_images_draw_no_suggestion()
    {
        using var model = LoadedModel.Load(Raw255, new ModelOptions { Scale = 255 });

        PreprocessingCheck.Suggest(model.Path, model.Options, model.Classifier, model.Classifier.Preprocessing, []).Should().BeNull();
    }
}
