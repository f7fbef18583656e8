using OnePixel.Testing.Attacks;
using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;
using OnePixel.Testing.Tests.Fakes;

namespace OnePixel.Testing.Tests.Robustness;

/// <summary>Bad input not covered next to its parser: each error names the file or field, what was expected and what was found.</summary>
public class BadInputTests
{
    [Test]
    public void A_sidecar_with_an_unknown_field_should_name_it()
    {
        using var folder = new TempFolder();
        var path = folder.Write("model.onnx.json", """{ "schema": 1, "layuot": "nchw" }""");

        var act = () => ModelSidecar.Read(path);

        // Named with the field it most likely meant and the fields there are, not the serializer's "could not be mapped to any .NET member".
        act.Should().Throw<OnePixelException>().WithMessage($"{path}: unknown field 'layuot'; did you mean 'layout'? A sidecar may hold: schema, description, inputName, outputName, layout, width, *, runBatch.")
            .Which.Message.Should().NotContain("SidecarFile");
    }

    [Test]
    public void A_sidecar_with_a_width_but_no_height_should_say_which_is_missing()
    {
        using var folder = new TempFolder();
        var path = folder.Write("model.onnx.json", """{ "width": 28 }""");

        var act = () => ModelSidecar.Read(path);

        act.Should().Throw<OnePixelException>().WithMessage($"{path}: fields 'width' and 'height' go together; found only 'width'.");
    }

    [Test]
    public void A_sidecar_of_another_schema_version_should_be_refused()
    {
        using var folder = new TempFolder();
        var path = folder.Write("model.onnx.json", """{ "schema": 7 }""");

        var act = () => ModelSidecar.Read(path);

        act.Should().Throw<OnePixelException>().WithMessage($"{path}: field 'schema' is 7; this version reads schema 1.");
    }

    [Test]
    public void Images_of_the_wrong_size_or_channels_should_be_refused_showing_both_shapes()
    {
        var rgb = Images.Uniform(2, 10, 0, new ImageShape(8, 8, 3));

        var act = () => new AttackRunner(FunctionClassifier.TriggerPixel()).Run(rgb);

        act.Should().Throw<OnePixelException>().WithMessage("test images: images are 8x8x3, but the model expects 8x8x1 images.");
    }

    [Test]
    public void A_label_beyond_the_models_classes_should_name_the_image()
    {
        var images = Images.Uniform(1, 10, label: 7);

        var act = () => new AttackRunner(FunctionClassifier.TriggerPixel()).Run(images);

        act.Should().Throw<OnePixelException>().WithMessage("test images: image 'image-00' has label 7, but the model has 2 classes (0..1).");
    }

    [TestCase(0)]
    [TestCase(-3)]
    public void Zero_or_negative_pixels_should_be_refused(int pixels)
    {
        var act = () => new AttackRunner(FunctionClassifier.TriggerPixel(), new AttackOptions { Pixels = pixels });

        act.Should().Throw<OnePixelException>().WithMessage($"pixels: expected 1 or more pixels to change, found {pixels}.");
    }

    [TestCase(-0.1)]
    [TestCase(1.5)]
    [TestCase(double.NaN)]
    public void A_threshold_outside_zero_to_one_should_be_refused(double threshold)
    {
        var act = () => RobustnessGate.ValidateMaximum(threshold, "maxSuccessRate");

        act.Should().Throw<OnePixelException>().WithMessage("maxSuccessRate: expected a fraction 0..1, found *");
    }
}
