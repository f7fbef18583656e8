using OnePixel.Testing.Models;

namespace OnePixel.Testing.Tests.Models;

/// <summary>ML.NET's ApplyOnnxModel and ONNX Runtime give the same probabilities on every committed model.</summary>
public class MlNetParityTests
{
    /// <summary>Both run the same ONNX Runtime kernels; batch sizes differ, so allow float rounding.</summary>
    public const float Tolerance = 1e-5f;

    [TestCaseSource(typeof(CommittedModels), nameof(CommittedModels.Scorable))]
    public void Mlnet_and_onnx_runtime_give_the_same_probabilities(string model)
    {
        var path = Repository.File(model);
        using var onnx = LoadedModel.Load(path, new ModelOptions { Backend = ScoringBackend.OnnxRuntime });
        using var mlnet = LoadedModel.Load(path, new ModelOptions { Backend = ScoringBackend.MlNet });
        var (pixels, count, _) = CommittedModels.Samples(path);
        var expected = new float[count * onnx.Classifier.ClassCount];
        var actual = new float[count * mlnet.Classifier.ClassCount];

        onnx.Classifier.Score(pixels, count, expected);
        mlnet.Classifier.Score(pixels, count, actual);

        mlnet.Classifier.Should().BeOfType<MlNetOnnxClassifier>();
        actual.Should().Equal(expected, (a, e) => Math.Abs(a - e) <= Tolerance);
    }

    [Test]
    public void Mlnet_scores_odd_batch_sizes_the_same_as_one_image_at_a_time()
    {
        var path = Repository.File("models/fashion-cnn-v1.onnx");
        using var mlnet = MlNetOnnxClassifier.Load(path, ModelSidecar.TryReadFor(path));
        var (pixels, count, _) = CommittedModels.Samples(path, 37);
        var together = new float[count * 10];
        var alone = new float[count * 10];

        mlnet.Score(pixels, count, together);
        for (var i = 0; i < count; i++)
            mlnet.Score(pixels.AsSpan(i * 784, 784), 1, alone.AsSpan(i * 10, 10));

        together.Should().Equal(alone, (a, e) => Math.Abs(a - e) <= Tolerance);
    }
}
