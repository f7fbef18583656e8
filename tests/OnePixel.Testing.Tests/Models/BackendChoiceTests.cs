using OnePixel.Testing.Models;

namespace OnePixel.Testing.Tests.Models;

/// <summary>The backend and device are chosen in code, in the sidecar, or left to the defaults.</summary>
public class BackendChoiceTests
{
    [Test]
    public void Onnx_runtime_is_the_default_backend()
    {
        using var model = LoadedModel.Load(Repository.File("models/fashion-cnn-v1.onnx"));

        model.Classifier.Should().BeOfType<OnnxClassifier>();
        model.Classifier.Backend.Should().Be(ScoringBackend.OnnxRuntime);
    }

    [Test]
    public void The_sidecar_can_choose_mlnet()
    {
        using var folder = new TempFolder();
        var model = folder.Write("model.onnx", File.ReadAllBytes(Repository.File("models/fashion-cnn-v1.onnx")));
        folder.Write("model.onnx.json", """{ "backend": "mlnet", "outputKind": "logits" }""");

        using var loaded = LoadedModel.Load(model);

        loaded.Classifier.Should().BeOfType<MlNetOnnxClassifier>();
    }

    [Test]
    public void Options_in_code_override_the_sidecars_backend()
    {
        using var folder = new TempFolder();
        var model = folder.Write("model.onnx", File.ReadAllBytes(Repository.File("models/fashion-cnn-v1.onnx")));
        folder.Write("model.onnx.json", """{ "backend": "mlnet" }""");

        using var loaded = LoadedModel.Load(model, new ModelOptions { Backend = ScoringBackend.OnnxRuntime });

        loaded.Classifier.Should().BeOfType<OnnxClassifier>();
    }

    [Test]
    public void Cuda_without_a_gpu_build_falls_back_to_the_cpu_with_a_note_saying_why()
    {
        using var model = OnnxClassifier.Load(Repository.File("models/fashion-cnn-v1.onnx"), new ModelOptions { Device = ExecutionDevice.Cuda });

        model.Device.Should().Be(ExecutionDevice.Cpu);
        model.Notes.Should().Contain(n => n.StartsWith("device CUDA requested but not available (") && n.Contains("scoring on the CPU") && n.Contains("Microsoft.ML.OnnxRuntime.Gpu"));
    }
}
