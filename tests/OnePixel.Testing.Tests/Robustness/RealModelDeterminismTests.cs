using OnePixel.Testing.Attacks;
using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;
using OnePixel.Testing.Reports;

namespace OnePixel.Testing.Tests.Robustness;

/// <summary>Determinism on a real network through ONNX Runtime, not only on fakes: the report is byte-identical (timings aside).</summary>
public class RealModelDeterminismTests
{
    private static string ReportFor(LoadedModel model, ImageSet images, int threads, SearchKind search) =>
        JsonReport.ToJson(new AttackRunner(model.Classifier, new AttackOptions
        {
            Budget = AttackBudget.Queries(600),
            Threads = threads,
            Search = search,
            Fitness = search == SearchKind.ExtremesThenEvolution ? FitnessKind.Margin : FitnessKind.Probability,
        }).Run(images, model: model.Identity), includeTimings: false);

    [TestCase(SearchKind.DifferentialEvolution)]
    [TestCase(SearchKind.ExtremesThenEvolution)]
    public void The_same_seed_should_give_a_byte_identical_report_across_runs_and_thread_counts(SearchKind search)
    {
        using var model = LoadedModel.Load(Repository.File("models/fashion-cnn-v1.onnx"));
        var images = ImageSetLoader.Load(model.Options.SampleImages!, model.Classifier.ClassNames).Slice(0, 16);

        var reference = ReportFor(model, images, threads: 1, search);
        var again = ReportFor(model, images, threads: 1, search);
        var two = ReportFor(model, images, threads: 2, search);
        var eight = ReportFor(model, images, threads: 8, search);

        again.Should().Be(reference);
        two.Should().Be(reference);
        eight.Should().Be(reference);
    }
}
