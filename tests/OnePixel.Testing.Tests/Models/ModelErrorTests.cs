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

    [Test]
    public void A_relative_model_path_is_found_from_a_folder_below_the_repository_as_the_attributes_find_it()
    {
        // Tests run in bin/Release/net10.0: "models/..." is the repository root's folder, found upwards.
        var previous = Environment.CurrentDirectory;
        Environment.CurrentDirectory = AppContext.BaseDirectory;
        try
        {
            using var model = LoadedModel.Load("models/testing/single-pixel-trigger.onnx");

            model.Path.Should().Be(Repository.File("models/testing/single-pixel-trigger.onnx"));
            var act = () => LoadedModel.Load("models/no-such-model.onnx");
            act.Should().Throw<OnePixelException>().WithMessage(
                $"model file 'models/no-such-model.onnx': not found in {Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)}, or any folder above it; expected a path relative to one of those (such as the repository root), or an absolute path.");
        }
        finally
        {
            Environment.CurrentDirectory = previous;
        }
    }

    [Test]
    public void Scoring_with_a_disposed_model_is_an_error_naming_it_not_a_crash_of_the_process()
    {
        var model = LoadedModel.Load(Repository.File("models/testing/single-pixel-trigger.onnx"));
        model.Dispose();
        model.Dispose(); // twice is harmless

        var act = () => model.Classifier.Score(new byte[64], 1, new float[2]);

        act.Should().Throw<ObjectDisposedException>().WithMessage("*single-pixel-trigger.onnx: the model was disposed*");
    }

    [Test]
    public void A_layout_that_does_not_fit_the_input_shape_says_which_layout_would()
    {
        var act = () => LoadedModel.Load(Repository.File("models/fashion-cnn-v1.onnx"), new ModelOptions { Layout = TensorLayout.Nhwc });

        act.Should().Throw<OnePixelException>().WithMessage(
            "*fashion-cnn-v1.onnx: layout NHWC (given in the sidecar 'layout', --layout or [RobustnessModel] Layout) does not fit the input shape [N, 1, 28, 28]: its last dimension, 28, would be the channels, which must be 1 (grayscale) or 3 (RGB); the shape fits NCHW (set layout 'nchw', or leave it out to infer it).");
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
