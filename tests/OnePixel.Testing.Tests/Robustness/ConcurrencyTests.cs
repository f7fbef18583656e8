using OnePixel.Testing.Attacks;
using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;
using OnePixel.Testing.Reports;

namespace OnePixel.Testing.Tests.Robustness;

public class ConcurrencyTests
{
    [Test]
    public void Runs_that_share_one_model_at_the_same_time_should_each_get_the_result_of_a_run_alone()
    {
        using var model = LoadedModel.Load(Repository.File("models/fashion-cnn-v1.onnx"));
        var all = ImageSetLoader.Load(model.Options.SampleImages!, model.Classifier.ClassNames);
        var sets = Enumerable.Range(0, 4).Select(i => all.Slice(i * 8, 8)).ToList();
        var options = new AttackOptions { Budget = AttackBudget.Queries(500), Threads = 2 };
        var alone = sets.Select(set => JsonReport.ToJson(new AttackRunner(model.Classifier, options).Run(set), includeTimings: false)).ToList();

        // Four runs at once on one ONNX Runtime session, as parallel test fixtures would.
        var together = new string[sets.Count];
        Parallel.For(0, sets.Count, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
            together[i] = JsonReport.ToJson(new AttackRunner(model.Classifier, options).Run(sets[i]), includeTimings: false));

        together.Should().Equal(alone);
    }
}
