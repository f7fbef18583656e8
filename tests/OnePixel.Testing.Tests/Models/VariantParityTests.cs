using System.Text.Json;
using OnePixel.Testing.Models;

namespace OnePixel.Testing.Tests.Models;

/// <summary>
/// Every format variant of the v1 network, read through its sidecar, gives PyTorch's probabilities
/// (models/variants/expected.json) on the first ten sample images.
/// </summary>
public class VariantParityTests
{
    /// <summary>Largest allowed difference in any class probability: float32 kernels differ between PyTorch and ONNX Runtime in the last digits.</summary>
    public const float Tolerance = 1e-4f;

    private static readonly (string File, float[] Probabilities)[] Expected = ReadExpected();

    [TestCaseSource(typeof(CommittedModels), nameof(CommittedModels.Variants))]
    public void Each_variant_gives_pytorchs_probabilities_through_onnx_runtime(string variant) =>
        AssertMatchesPyTorch(variant, new ModelOptions { Backend = ScoringBackend.OnnxRuntime });

    [TestCaseSource(typeof(CommittedModels), nameof(CommittedModels.Variants))]
    public void Each_variant_gives_pytorchs_probabilities_through_mlnet(string variant) =>
        AssertMatchesPyTorch(variant, new ModelOptions { Backend = ScoringBackend.MlNet });

    [Test]
    public void The_original_model_gives_pytorchs_probabilities() =>
        AssertMatchesPyTorch(null, null);

    private static void AssertMatchesPyTorch(string? variant, ModelOptions? options)
    {
        var path = variant is null ? Repository.File("models/fashion-cnn-v1.onnx") : Repository.File($"models/variants/{variant}.onnx");
        using var model = LoadedModel.Load(path, options);
        var (pixels, count, images) = CommittedModels.Samples(path, Expected.Length);
        var probabilities = new float[count * model.Classifier.ClassCount];

        model.Classifier.Score(pixels, count, probabilities);

        for (var i = 0; i < count; i++)
        {
            images[i].Name.Should().Contain(Path.GetFileNameWithoutExtension(Expected[i].File));
            probabilities.AsSpan(i * 10, 10).ToArray().Should().Equal(Expected[i].Probabilities,
                (actual, expected) => Math.Abs(actual - expected) <= Tolerance, $"image {Expected[i].File} through {Path.GetFileName(path)}");
        }
    }

    private static (string, float[])[] ReadExpected()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Repository.File("models/variants/expected.json")));
        return document.RootElement.GetProperty("images").EnumerateArray()
            .Select(e => (e.GetProperty("file").GetString()!, e.GetProperty("probabilities").EnumerateArray().Select(p => (float)p.GetDouble()).ToArray()))
            .ToArray();
    }
}
