using Microsoft.ML;
using Microsoft.ML.Data;
using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;

namespace OnePixel.Testing.Tests.Models;

/// <summary>ML.NET models saved as .zip files (mlContext.Model.Save), as teams that train with ML.NET have them.</summary>
public class MlNetZipModelTests
{
    [Test]
    public void A_zip_wrapping_the_onnx_network_gives_the_onnx_runtime_probabilities()
    {
        using var folder = new TempFolder();
        var onnxPath = Repository.File("models/fashion-cnn-v1.onnx");
        var zip = SaveOnnxPipeline(onnxPath, folder.File("fashion-v1.zip"));
        var options = new ModelOptions { InputName = "image", OutputName = "logits", Scores = ScoreKind.Logits };
        using var onnx = OnnxClassifier.Load(onnxPath, ModelSidecar.TryReadFor(onnxPath));
        var (pixels, count, _) = CommittedModels.Samples(onnxPath);
        var expected = new float[count * 10];
        onnx.Score(pixels, count, expected);

        using var loaded = LoadedModel.Load(zip, options);
        var actual = new float[count * 10];
        loaded.Classifier.Score(pixels, count, actual);

        loaded.Classifier.Should().BeOfType<MlNetTransformerClassifier>();
        actual.Should().Equal(expected, (a, e) => Math.Abs(a - e) <= MlNetParityTests.Tolerance);
    }

    [Test]
    public void A_trained_mlnet_classifier_is_read_by_its_column_names_and_scores_distributions()
    {
        using var folder = new TempFolder();
        var set = ImageSetLoader.Load(Repository.File("samples/images/fashion-mnist"));
        var zip = TrainAndSave(set, folder.File("trained.zip"));

        using var classifier = MlNetTransformerClassifier.Load(zip, new ModelOptions { InputName = "Features" });
        var correct = set.Images.Count(i => classifier.Classify(i.Image).Label == i.Label);

        classifier.InputShape.Should().Be(new ImageShape(28, 28, 1));
        classifier.OutputName.Should().Be("Score");
        classifier.ScoreKind.Should().Be(ScoreKind.Probabilities);
        Probability.IsDistribution(classifier.Probabilities(set.Images[0].Image)).Should().BeTrue();
        correct.Should().BeGreaterThan(50, "a linear model fits its 100 training images far better than chance (10)");
    }

    [Test]
    public void A_missing_column_name_lists_the_models_columns()
    {
        using var folder = new TempFolder();
        var set = ImageSetLoader.Load(Repository.File("samples/images/fashion-mnist"));
        var zip = TrainAndSave(set, folder.File("trained.zip"));

        var act = () => MlNetTransformerClassifier.Load(zip, new ModelOptions { InputName = "Pixels" });

        act.Should().Throw<OnePixelException>().WithMessage($"*{zip}*no float-vector input column named 'Pixels'*'Features'*");
    }

    [Test]
    public void A_file_that_is_not_a_model_is_refused_with_its_name()
    {
        using var folder = new TempFolder();
        var zip = folder.Write("broken.zip", [(byte)'P', (byte)'K', 3, 4, 0, 0, 0]);

        var act = () => MlNetTransformerClassifier.Load(zip);

        act.Should().Throw<OnePixelException>().WithMessage($"*{zip}: not a loadable ML.NET model*");
    }

    /// <summary>ApplyOnnxModel fitted and saved: the .zip carries the ONNX bytes inside it.</summary>
    internal static string SaveOnnxPipeline(string onnxPath, string zipPath)
    {
        var ml = new MLContext(seed: 0);
        var definition = SchemaDefinition.Create(typeof(Row));
        definition[0].ColumnName = "image";
        definition[0].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 784);
        var empty = ml.Data.LoadFromEnumerable(Array.Empty<Row>(), definition);
        var transformer = ml.Transforms.ApplyOnnxModel(["logits"], ["image"], onnxPath, new Dictionary<string, int[]> { ["image"] = [1, 1, 28, 28] }, gpuDeviceId: null, fallbackToCpu: false, recursionLimit: 100).Fit(empty);
        ml.Model.Save(transformer, empty.Schema, zipPath);
        (transformer as IDisposable)?.Dispose();
        return zipPath;
    }

    private static string TrainAndSave(ImageSet set, string zipPath)
    {
        var ml = new MLContext(seed: 0);
        var rows = set.Images.Select(i => new LabeledRow { Features = [.. i.Image.Pixels.ToArray().Select(b => b / 255f)], Label = i.Label }).ToList();
        var definition = SchemaDefinition.Create(typeof(LabeledRow));
        definition[nameof(LabeledRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 784);
        // Keys ordered by label value, so score slot i is class i; the saved model is the trainer's alone.
        var keyed = ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: Microsoft.ML.Transforms.ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
            .Fit(ml.Data.LoadFromEnumerable(rows, definition)).Transform(ml.Data.LoadFromEnumerable(rows, definition));
        var model = ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(maximumNumberOfIterations: 20).Fit(keyed);
        ml.Model.Save(model, keyed.Schema, zipPath);
        return zipPath;
    }

    private sealed class Row
    {
        public float[] Values { get; set; } = [];
    }

    private sealed class LabeledRow
    {
        public float[] Features { get; set; } = [];
        public int Label { get; set; }
    }
}
