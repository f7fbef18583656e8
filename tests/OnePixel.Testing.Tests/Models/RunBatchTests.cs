using OnePixel.Testing.Models;

namespace OnePixel.Testing.Tests.Models;

/// <summary>Large calls are split into equal runs no larger than the run batch, and splitting changes no score.</summary>
public class RunBatchTests
{
    [TestCase(100, 64, 50)]
    [TestCase(64, 64, 64)]
    [TestCase(400, 64, 58)]
    [TestCase(7, 64, 7)]
    [TestCase(65, 64, 33)]
    public void Calls_are_split_into_the_fewest_equal_runs(int count, int max, int expected) =>
        OnnxClassifier.EqualChunk(count, max).Should().Be(expected);

    [Test]
    public void Scores_do_not_depend_on_the_run_batch()
    {
        var path = Repository.File("models/fashion-cnn-v1.onnx");
        using var small = OnnxClassifier.Load(path, new ModelOptions { RunBatch = 3 });
        using var large = OnnxClassifier.Load(path, new ModelOptions { RunBatch = 1000 });
        var (pixels, count, _) = CommittedModels.Samples(path, 20);
        var a = new float[count * 10];
        var b = new float[count * 10];

        small.Score(pixels, count, a);
        large.Score(pixels, count, b);

        a.Should().Equal(b, (x, y) => Math.Abs(x - y) <= 1e-6f);
    }

    [Test]
    public void Runs_spread_over_idle_processors_give_exactly_the_scores_of_runs_one_after_another()
    {
        var path = Repository.File("models/fashion-cnn-v1.onnx");
        using var model = OnnxClassifier.Load(path, new ModelOptions { RunBatch = 4 });
        var (pixels, count, _) = CommittedModels.Samples(path, 30);
        var alone = new float[count * 10];
        var spread = new float[count * 10];

        model.ParallelRunsLimit = 1;
        model.Score(pixels, count, alone);
        model.ParallelRunsLimit = 4;
        model.Score(pixels, count, spread);

        spread.Should().Equal(alone, "the runs are the same (4 images each), only run on other threads");
    }
}
