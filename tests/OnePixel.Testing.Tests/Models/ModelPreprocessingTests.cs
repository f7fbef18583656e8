using OnePixel.Testing.Attacks;
using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;
using OnePixel.Testing.Reports;

namespace OnePixel.Testing.Tests.Models;

/// <summary>What a run records of how the model was fed, and what refuses a report made with other values.</summary>
public class ModelPreprocessingTests
{
    private static string Trigger => Repository.File("models/testing/single-pixel-trigger.onnx");

    [TestCase(ScoringBackend.OnnxRuntime, "onnxruntime")]
    [TestCase(ScoringBackend.MlNet, "mlnet")]
    public void The_values_in_force_are_recorded_whether_inferred_from_the_sidecar_or_given(ScoringBackend backend, string name)
    {
        using var model = LoadedModel.Load(Trigger, new ModelOptions { Backend = backend, Scale = 1, Mean = [0.5f] });

        var p = model.Classifier.Preprocessing;

        p.Should().BeEquivalentTo(new
        {
            InputName = "image", OutputName = "logits", Layout = "nchw", Width = 8, Height = 8, Channels = 1,
            Scale = 1f, Mean = new[] { 0.5f }, Std = new[] { 1f }, OutputKind = "logits", Backend = name,
        });
        model.Identity.Preprocessing.Should().Be(p);
    }

    [Test]
    public void A_json_report_carries_accuracy_and_preprocessing_and_reads_them_back()
    {
        using var model = LoadedModel.Load(Trigger, new ModelOptions { Std = [0.25f] });
        var images = ImageSetLoader.Load(model.Options.SampleImages!);
        var report = new AttackRunner(model.Classifier, new AttackOptions { Budget = AttackBudget.Queries(200) }).Run(images, model: model.Identity);

        var json = JsonReport.ToJson(report);
        var back = JsonReportReader.Parse(json, "report.json");

        // At std 0.25 the trigger pixel (x 5, y 2) is "on" from raw value 32: the gray-100 and noise images are then
        // misclassified as "on", leaving the black image and the one with the trigger on: 2 of 5.
        json.Should().Contain("\"accuracy\": 0.4,").And.Contain("\"preprocessing\": {").And.Contain("\"std\": [\n          0.25\n        ]");
        back.Model!.Preprocessing!.Differences(report.Model!.Preprocessing!, "read", "written").Should().BeEmpty();
        back.Summary.Accuracy.Should().Be(0.4);
    }

    [Test]
    public void Each_field_that_differs_is_named_with_both_values()
    {
        using var a = LoadedModel.Load(Trigger);
        using var b = LoadedModel.Load(Trigger, new ModelOptions { Scale = 1, Backend = ScoringBackend.MlNet });

        var differences = a.Classifier.Preprocessing.Differences(b.Classifier.Preprocessing, "in the baseline", "now");

        differences.Should().Equal("scale: 255 in the baseline, 1 now", "backend: onnxruntime in the baseline, mlnet now");
    }

    [Test]
    public void Merging_shards_that_fed_the_model_differently_is_refused()
    {
        using var a = LoadedModel.Load(Trigger);
        using var b = LoadedModel.Load(Trigger, new ModelOptions { Scale = 1 });
        var images = ImageSetLoader.Load(a.Options.SampleImages!);
        var options = new AttackOptions { Budget = AttackBudget.Queries(200) };
        var first = new AttackRunner(a.Classifier, options).Run(images.Shard(1, 2), model: a.Identity) with { Shard = new ImageShard(1, 2) };
        var second = new AttackRunner(b.Classifier, options).Run(images.Shard(2, 2), model: b.Identity) with { Shard = new ImageShard(2, 2) };

        var act = () => ReportMerger.Merge([("shard-1.json", first), ("shard-2.json", second)]);

        act.Should().Throw<OnePixelException>().WithMessage("shard-2.json: fed the model differently than shard-1.json: scale: 255 in shard-1.json, 1 in shard-2.json; expected shards of one run.");
    }
}
