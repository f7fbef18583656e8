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

        model.SpreadCalls.Should().Be(1, "the second call had processors no caller used");
        spread.Should().Equal(alone, "the runs are the same (4 images each), only run on other threads");
    }

    [Test]
    public void A_caller_between_two_calls_keeps_its_processor()
    {
        var path = Repository.File("models/fashion-cnn-v1.onnx");
        using var model = OnnxClassifier.Load(path, new ModelOptions { RunBatch = 4 });
        var (pixels, count, _) = CommittedModels.Samples(path, 12);
        // Three processors, and this thread a recent caller (so three callers would leave none idle).
        model.ParallelRunsLimit = 3;
        model.RecentCallWindow = TimeSpan.FromMinutes(10);
        model.Score(pixels, count, new float[count * 10]);
        var before = model.SpreadCalls;
        void ScoreOnNewThread()
        {
            var thread = new Thread(() => model.Score(pixels, count, new float[count * 10]));
            thread.Start();
            thread.Join();
        }
        // The first caller stays alive (a dead thread's id may be given to the next one).
        using var firstScored = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var first = new Thread(() =>
        {
            model.Score(pixels, count, new float[count * 10]); // one other recent caller: spreads over the two processors left
            firstScored.Set();
            release.Wait();
        });
        first.Start();
        try
        {
            firstScored.Wait();
            model.SpreadCalls.Should().Be(before + 1);
            ScoreOnNewThread(); // the first caller called recently, so it still owns a processor: one left
            model.SpreadCalls.Should().Be(before + 1, "a worker between two generations is not idle");

            model.RecentCallWindow = TimeSpan.Zero;
            ScoreOnNewThread();
            model.SpreadCalls.Should().Be(before + 2, "once no other caller is recent, the processors are idle and take runs");
        }
        finally
        {
            release.Set();
            first.Join();
        }
    }

    [Test]
    public void One_parallel_run_keeps_a_lone_callers_runs_on_its_thread()
    {
        var path = Repository.File("models/fashion-cnn-v1.onnx");
        using var model = OnnxClassifier.Load(path, new ModelOptions { RunBatch = 4, ParallelRuns = 1 });
        var (pixels, count, _) = CommittedModels.Samples(path, 12);
        model.RecentCallWindow = TimeSpan.Zero;

        model.Score(pixels, count, new float[count * 10]);

        model.ParallelRunsLimit.Should().Be(1);
        model.SpreadCalls.Should().Be(0, "`--threads 1` means one processor");
    }

    [Test]
    public void Zero_parallel_runs_is_refused_with_the_model_named()
    {
        var path = Repository.File("models/fashion-cnn-v1.onnx");

        var act = () => OnnxClassifier.Load(path, new ModelOptions { ParallelRuns = 0 });

        act.Should().Throw<OnePixelException>().WithMessage($"{path}: parallel runs is 0; expected 1 or more model runs at once.");
    }
}
