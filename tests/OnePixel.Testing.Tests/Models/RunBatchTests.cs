using System.Diagnostics;
using OnePixel.Testing.Models;

namespace OnePixel.Testing.Tests.Models;

/// <summary>Large calls are split into equal runs no larger than the run batch, and splitting changes no score.</summary>
public class RunBatchTests
{
    // Callers are counted over the whole process: a test starts from a process where nobody called
    // (earlier tests' threads did, within the long windows used here), and leaves the callers it
    // named (some at times ahead of the clock) behind it for no other test.
    [SetUp]
    [TearDown]
    public void ForgetRecentCallers() => OnnxClassifier.ForgetRecentCallers();

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
        // Three processors and a long window; the other callers are named, not started: callers whose
        // slots differ from this thread's by construction, so no thread id or scheduling decides it.
        model.ParallelRunsLimit = 3;
        model.RecentCallWindow = TimeSpan.FromMinutes(10);
        var me = Environment.CurrentManagedThreadId;
        var before = model.SpreadCalls;

        model.OtherRecentCallers(me + 1, Stopwatch.GetTimestamp());
        model.Score(pixels, count, new float[count * 10]);
        model.SpreadCalls.Should().Be(before + 1, "one other recent caller leaves two processors: three runs spread over them");

        model.OtherRecentCallers(me + 2, Stopwatch.GetTimestamp());
        model.Score(pixels, count, new float[count * 10]);
        model.SpreadCalls.Should().Be(before + 1, "two other recent callers (workers between two generations) leave this caller its own processor only");

        model.RecentCallWindow = TimeSpan.Zero;
        model.Score(pixels, count, new float[count * 10]);
        model.SpreadCalls.Should().Be(before + 2, "once no other caller is recent, the processors are idle and take runs");
    }

    [Test]
    public void Other_callers_count_while_their_last_call_is_within_the_window()
    {
        using var model = OnnxClassifier.Load(Repository.File("models/fashion-cnn-v1.onnx"));
        model.RecentCallWindow = TimeSpan.FromSeconds(1);
        var window = Stopwatch.Frequency;
        var start = Stopwatch.GetTimestamp() + 10 * window; // loading the model scored it: that call is long past by then

        model.OtherRecentCallers(1, start).Should().Be(0, "the first caller");
        model.OtherRecentCallers(2, start + window / 2).Should().Be(1, "caller 1 called half a window ago");
        model.OtherRecentCallers(1, start + window / 2 + 1).Should().Be(1, "a caller's own earlier call does not count");
        model.OtherRecentCallers(3, start + window + window / 2).Should().Be(1, "caller 2 called a window ago: no longer recent; caller 1 a little less: still recent");
        model.OtherRecentCallers(3, start + 3 * window).Should().Be(0, "nobody else within the window");
        model.OtherRecentCallers(3 + 64, start + 3 * window).Should().Be(0, "caller 67 shares caller 3's slot (modulo 64) and takes its call for its own: a shared slot only makes spreading likelier");
    }

    [Test]
    public void A_caller_of_another_model_keeps_its_processor_too()
    {
        // Two models attacked at once (two parallel fixtures): each must see the other's callers.
        var path = Repository.File("models/fashion-cnn-v1.onnx");
        using var first = OnnxClassifier.Load(path, new ModelOptions { RunBatch = 4 });
        using var second = OnnxClassifier.Load(path, new ModelOptions { RunBatch = 4 });
        var (pixels, count, _) = CommittedModels.Samples(path, 12);
        first.ParallelRunsLimit = second.ParallelRunsLimit = 2;
        first.RecentCallWindow = second.RecentCallWindow = TimeSpan.FromMinutes(10);
        var before = second.SpreadCalls;

        first.OtherRecentCallers(Environment.CurrentManagedThreadId + 1, Stopwatch.GetTimestamp()); // a worker attacking with the first model
        second.Score(pixels, count, new float[count * 10]);

        second.SpreadCalls.Should().Be(before, "the first model's caller holds the second of the two processors");
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
