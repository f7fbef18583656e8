using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;

namespace OnePixel.Testing.Tests.Models;

/// <summary>Layout, image size and output kind are read from the model when unambiguous, said in notes, and overridable.</summary>
public class InspectionTests
{
    [Test]
    public void An_nhwc_input_is_recognised_from_its_shape_and_the_note_says_so()
    {
        using var model = OnnxClassifier.Load(Repository.File("models/variants/nhwc.onnx"));

        model.Layout.Should().Be(TensorLayout.Nhwc);
        model.InputShape.Should().Be(new ImageShape(28, 28, 1));
        model.Notes.Should().Contain(n => n.Contains("layout NHWC inferred from input shape [N, 28, 28, 1]"));
        model.Notes.Should().Contain(n => n.Contains("image size 28x28x1 inferred"));
    }

    [Test]
    public void An_nchw_rgb_input_is_recognised_from_its_shape()
    {
        using var model = OnnxClassifier.Load(Repository.File("models/fashion-colour-cnn.onnx"));

        model.Layout.Should().Be(TensorLayout.Nchw);
        model.InputShape.Should().Be(new ImageShape(28, 28, 3));
    }

    [Test]
    public void A_flat_input_is_read_as_a_square_image()
    {
        using var model = OnnxClassifier.Load(Repository.File("models/variants/flat3d.onnx"));

        model.InputShape.Should().Be(new ImageShape(28, 28, 1));
        model.Notes.Should().Contain(n => n.Contains("inferred from flat input shape [N, 784, 1]"));
    }

    [Test]
    public void Logits_and_probabilities_are_told_apart_by_probing()
    {
        using var logits = OnnxClassifier.Load(Repository.File("models/fashion-cnn-v1.onnx"));
        using var probabilities = OnnxClassifier.Load(Repository.File("models/variants/probabilities.onnx"));

        logits.ScoreKind.Should().Be(ScoreKind.Logits);
        probabilities.ScoreKind.Should().Be(ScoreKind.Probabilities);
        probabilities.Notes.Should().Contain(n => n.Contains("holds probabilities, inferred by probing"));
    }

    [Test]
    public void Declared_options_override_what_would_be_inferred_and_leave_no_note()
    {
        var options = new ModelOptions { Layout = TensorLayout.Nhwc, ImageShape = new ImageShape(28, 28, 1), Scores = ScoreKind.Logits };

        using var model = OnnxClassifier.Load(Repository.File("models/variants/nhwc.onnx"), options);

        model.Notes.Should().NotContain(n => n.Contains("inferred"));
    }

    [Test]
    public void One_of_several_outputs_is_picked_by_name()
    {
        using var logits = OnnxClassifier.Load(Repository.File("models/variants/multi-output.onnx"), new ModelOptions { OutputName = "logits" });
        using var probabilities = OnnxClassifier.Load(Repository.File("models/variants/multi-output.onnx"), new ModelOptions { OutputName = "probabilities" });
        var image = CommittedModels.Samples("models/variants/multi-output.onnx", 1).Images[0].Image;

        logits.Probabilities(image).Should().Equal(probabilities.Probabilities(image), (a, b) => Math.Abs(a - b) <= 1e-5f);
        probabilities.ScoreKind.Should().Be(ScoreKind.Probabilities);
    }

    [Test]
    public void Punctuated_tensor_names_are_used_as_they_are()
    {
        using var model = OnnxClassifier.Load(Repository.File("models/variants/punctuated.onnx"));

        model.InputName.Should().Be("input.1");
        model.OutputName.Should().Be("x:0");
    }
}
