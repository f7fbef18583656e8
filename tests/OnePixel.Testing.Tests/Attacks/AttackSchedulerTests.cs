using System.Collections.Concurrent;
using System.Diagnostics;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;
using OnePixel.Testing.Reports;
using OnePixel.Testing.Tests.Fakes;

namespace OnePixel.Testing.Tests.Attacks;

public class AttackSchedulerTests
{
    /// <summary>Counts the model calls under way at once, over every run that scores through it.</summary>
    private sealed class ConcurrencyMeter(IImageClassifier inner) : IImageClassifier
    {
        private int _now;
        private int _most;

        public int Most => Volatile.Read(ref _most);
        public ImageShape InputShape => inner.InputShape;
        public int ClassCount => inner.ClassCount;
        public IReadOnlyList<string>? ClassNames => inner.ClassNames;

        public void Score(ReadOnlySpan<byte> images, int count, Span<float> probabilities)
        {
            var now = Interlocked.Increment(ref _now);
            int most;
            while ((most = Volatile.Read(ref _most)) < now && Interlocked.CompareExchange(ref _most, now, most) != most) { }
            inner.Score(images, count, probabilities);
            Interlocked.Decrement(ref _now);
        }

        public void Dispose() { }
    }

    private static readonly AttackOptions Options = new() { Seed = 11, Budget = AttackBudget.Queries(200, 5), Threads = 2 };

    [Test]
    public void Two_runs_at_once_share_the_workers_instead_of_each_taking_as_many()
    {
        var scheduler = new AttackScheduler(2);
        // Resisted everywhere, so every image spends its whole budget: both runs overlap for long.
        var meter = new ConcurrencyMeter(new SlowClassifier(FunctionClassifier.Constant(), TimeSpan.FromMilliseconds(1)));
        var images = Images.Uniform(12, gray: 40, label: 2);

        var runs = Enumerable.Range(0, 2)
            .Select(_ => Task.Factory.StartNew(() => new AttackRunner(meter, Options) { Scheduler = scheduler }.Run(images), TaskCreationOptions.LongRunning))
            .ToArray();
        Task.WaitAll(runs);

        meter.Most.Should().Be(2, "two runs of 2 threads each share 2 workers: never more than 2 images at once");
        scheduler.Workers.Should().Be(2);
        var alone = new AttackRunner(FunctionClassifier.Constant(), Options).Run(images);
        foreach (var run in runs)
            JsonReport.ToJson(run.Result, includeTimings: false).Should().Be(JsonReport.ToJson(alone, includeTimings: false));
    }

    [Test]
    public void Runs_under_way_at_once_take_turns_so_neither_waits_for_the_other_to_finish()
    {
        var scheduler = new AttackScheduler(1);
        var order = new ConcurrentQueue<string>();
        var model = new SlowClassifier(FunctionClassifier.Constant(), TimeSpan.FromMilliseconds(1));
        IProgress<AttackProgress> Record(string run) => new Recorder(p => order.Enqueue(run));
        var images = Images.Uniform(6, gray: 40, label: 2);

        var first = Task.Factory.StartNew(() => new AttackRunner(model, Options) { Scheduler = scheduler }.Run(images, Record("first")), TaskCreationOptions.LongRunning);
        var second = Task.Factory.StartNew(() => new AttackRunner(model, Options) { Scheduler = scheduler }.Run(images, Record("second")), TaskCreationOptions.LongRunning);
        Task.WaitAll(first, second);

        var finished = order.ToList();
        finished.IndexOf("second").Should().BeLessThan(finished.LastIndexOf("first"), "the second run's first image comes before the first run's last");
        finished.IndexOf("first").Should().BeLessThan(finished.LastIndexOf("second"));
    }

    [Test]
    public void A_run_cancelled_while_waiting_for_busy_workers_returns_at_once()
    {
        var scheduler = new AttackScheduler(1);
        var options = Options with { Threads = 1 };
        var slow = new SlowClassifier(FunctionClassifier.Constant(), TimeSpan.FromMilliseconds(20)); // 40 calls: 0.8 s an image
        var busy = Task.Factory.StartNew(() => new AttackRunner(slow, options) { Scheduler = scheduler }.Run(Images.Uniform(2, gray: 40, label: 2)), TaskCreationOptions.LongRunning);
        SpinWait.SpinUntil(() => scheduler.Busy == 1, TimeSpan.FromSeconds(5)).Should().BeTrue();
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        var stopwatch = Stopwatch.StartNew();

        var waiting = () => new AttackRunner(FunctionClassifier.Constant(), options) { Scheduler = scheduler }.Run(Images.Uniform(3, gray: 40, label: 2), cancellation: cancellation.Token);

        waiting.Should().Throw<AttackCancelledException>().WithMessage("cancelled after 0 of 3 images");
        stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(0.7), "it did not wait for the other run's image to end");
        busy.Wait();
        busy.Result.Summary.Images.Should().Be(2, "the other run is not disturbed");
    }

    [Test]
    public void A_run_that_asks_for_more_images_at_once_than_there_are_workers_gets_more_workers()
    {
        var scheduler = new AttackScheduler(1);

        new AttackRunner(FunctionClassifier.Constant(), Options with { Threads = 3 }) { Scheduler = scheduler }.Run(Images.Uniform(3, gray: 40, label: 2));

        scheduler.Workers.Should().Be(3, "--threads above the processors is honoured (a model on a GPU waits more than it computes)");
    }

    [Test]
    public void A_run_started_from_a_worker_runs_there_instead_of_waiting_for_workers_it_holds()
    {
        var scheduler = new AttackScheduler(1);
        var inner = new ConcurrentBag<int>();

        scheduler.Run([1, 2], 1, outer => scheduler.Run([10, 20], 1, i => inner.Add(outer * i)));

        inner.Should().BeEquivalentTo([10, 20, 20, 40]);
    }

    [Test]
    public void A_failing_item_stops_its_run_with_the_failures_and_leaves_other_runs_alone()
    {
        var scheduler = new AttackScheduler(2);
        var started = new ConcurrentBag<int>();

        var failing = () => scheduler.Run(Enumerable.Range(0, 100), 1, i =>
        {
            started.Add(i);
            if (i == 3) throw new OnePixelException("image 3 is damaged");
        });
        var fine = new ConcurrentBag<int>();
        scheduler.Run(Enumerable.Range(0, 5), 2, fine.Add);

        failing.Should().Throw<AggregateException>().Which.InnerExceptions.Should().ContainSingle().Which.Message.Should().Be("image 3 is damaged");
        started.Should().BeEquivalentTo([0, 1, 2, 3], "no item starts after a failure");
        fine.Should().HaveCount(5);
    }

    private sealed class Recorder(Action<AttackProgress> report) : IProgress<AttackProgress>
    {
        public void Report(AttackProgress value) => report(value);
    }
}
