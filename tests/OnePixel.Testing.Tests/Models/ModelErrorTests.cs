using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;

namespace OnePixel.Testing.Tests.Models;

/// <summary>Every model a user can get wrong is refused with a message naming the file and the field, what was expected and what was found.</summary>
public class ModelErrorTests
{
    [Test]
    public void A_missing_model_file_is_named()
    {
        var path = Repository.File("models/no-such-model.onnx");

        var act = () => LoadedModel.Load(path);

        act.Should().Throw<OnePixelException>().WithMessage($"model file '{path}': not found.");
    }

    [TestCase(ScoringBackend.OnnxRuntime)]
    [TestCase(ScoringBackend.MlNet)]
    public void A_file_that_is_not_onnx_is_named(ScoringBackend backend)
    {
        var path = Repository.File("models/testing/corrupt.onnx");

        var act = () => LoadedModel.Load(path, new ModelOptions { Backend = backend });

        act.Should().Throw<OnePixelException>().WithMessage($"{path}: not a loadable ONNX model*expected an .onnx file*");
    }

    [Test]
    public void An_input_name_that_is_not_there_lists_the_models_inputs()
    {
        var path = Repository.File("models/variants/punctuated.onnx");

        var act = () => OnnxClassifier.Load(path, new ModelOptions { InputName = "input" });

        act.Should().Throw<OnePixelException>().WithMessage($"{path}: no input named 'input'; the model's inputs are: 'input.1'.");
    }

    [Test]
    public void An_image_size_that_does_not_fit_the_input_shows_both()
    {
        var path = Repository.File("models/fashion-cnn-v1.onnx");

        var act = () => OnnxClassifier.Load(path, new ModelOptions { ImageShape = new ImageShape(32, 32, 1) });

        act.Should().Throw<OnePixelException>().WithMessage($"{path}: input 'image' has shape [N, 1, 28, 28] (784 values per image), which does not fit 32x32x1 images (1024 values).");
    }

    [Test]
    public void Class_names_that_do_not_match_the_outputs_are_counted()
    {
        var path = Repository.File("models/fashion-cnn-v1.onnx");

        var act = () => OnnxClassifier.Load(path, new ModelOptions { ClassNames = ["cat", "dog"] });

        act.Should().Throw<OnePixelException>().WithMessage($"{path}: output 'logits' gives 10 scores per image, but 2 class names were given; expected one name per score.");
    }

    [TestCase(ScoringBackend.OnnxRuntime)]
    [TestCase(ScoringBackend.MlNet)]
    public void Outputs_with_nan_are_refused_when_the_model_is_opened(ScoringBackend backend)
    {
        var path = Repository.File("models/testing/nan.onnx");

        var act = () => LoadedModel.Load(path, new ModelOptions { Backend = backend });

        act.Should().Throw<OnePixelException>().WithMessage($"{path}: output '*' holds NaN; expected finite class scores*");
    }

    [Test]
    public void A_model_that_is_not_an_image_classifier_is_refused()
    {
        var path = Repository.File("models/testing/not-a-classifier.onnx");

        var act = () => LoadedModel.Load(path);

        act.Should().Throw<OnePixelException>().WithMessage($"{path}: output 'outer' has shape [N, 3, 3]; expected one score per class, such as [N, 10]*not look like an image classifier*");
    }

    [Test]
    public void An_unknown_backend_in_the_sidecar_names_the_field()
    {
        using var folder = new TempFolder();
        var sidecar = folder.Write("model.onnx.json", """{ "backend": "tensorflow" }""");

        var act = () => ModelSidecar.Read(sidecar);

        act.Should().Throw<OnePixelException>().WithMessage($"{sidecar}: field 'backend': expected 'onnxruntime' or 'mlnet', found 'tensorflow'.");
    }
}
