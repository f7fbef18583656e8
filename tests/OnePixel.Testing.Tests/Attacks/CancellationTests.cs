using System.Diagnostics;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.Imaging;
using OnePixel.Testing.Reports;
using OnePixel.Testing.Tests.Fakes;
using OnePixel.Testing.Verification;

namespace OnePixel.Testing.Tests.Attacks;

public class CancellationTests
{
    // A constant model (class 2) resists every image of class 2: each attack spends its whole budget, 40 calls of 3 ms (120 ms an image).
    private static readonly AttackOptions Options = new() { Seed = 5, Budget = AttackBudget.Queries(400, 10), Threads = 2 };

    [Test]
    public void A_cancelled_attack_stops_within_a_second_and_reports_the_images_it_finished()
    {
        var images = Images.Uniform(100, gray: 40, label: 2);
        var model = new SlowClassifier(FunctionClassifier.Constant(), TimeSpan.FromMilliseconds(3));
        using var cancellation = new CancellationTokenSource();
        var started = 0;
        var progress = new Progress(() => { if (Interlocked.Increment(ref started) == 5) cancellation.Cancel(); });
        var stopwatch = new Stopwatch();
        cancellation.Token.Register(stopwatch.Start);

        var act = () => new AttackRunner(model, Options).Run(images, progress, cancellation.Token);

        var stopped = act.Should().Throw<AttackCancelledException>().Which;
        stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(1), "the searches under way stop at their next model call");
        stopped.Total.Should().Be(100);
        stopped.Done.Should().BeInRange(5, 7, "5 images were done when it was cancelled, and the other one under way may finish");
        stopped.Message.Should().Be($"cancelled after {stopped.Done} of 100 images");
        stopped.CancellationToken.Should().Be(cancellation.Token);
        stopped.Partial.Summary.Images.Should().Be(stopped.Done);
        stopped.Partial.Results.Should().HaveCount(stopped.Done);
        // Each image's search depends on the seed and its name only: the images done are those of a whole run.
        var whole = new AttackRunner(FunctionClassifier.Constant(), Options).Run(images);
        var partialJson = JsonReport.ToJson(stopped.Partial with { Summary = stopped.Partial.Summary with { Seconds = 0 } }, includeTimings: false);
        var wholeJson = JsonReport.ToJson(whole with
        {
            Results = whole.Results.Where(r => stopped.Partial.Results.Any(p => p.Name == r.Name)).ToList(),
            Summary = AttackSummary.From(whole.Results.Where(r => stopped.Partial.Results.Any(p => p.Name == r.Name)).ToList(), stopped.Done, 0),
        }, includeTimings: false);
        partialJson.Should().Be(wholeJson);
    }

    [Test]
    public void A_run_cancelled_before_it_starts_attacks_nothing()
    {
        var images = Images.Uniform(10, gray: 40, label: 2);
        var model = new CountingClassifier(FunctionClassifier.Constant());

        var act = () => new AttackRunner(model, Options).Run(images, cancellation: new CancellationToken(canceled: true));

        act.Should().Throw<AttackCancelledException>().WithMessage("cancelled after 0 of 10 images");
        model.Queries.Should().Be(0);
    }

    [Test]
    public void A_cancelled_verification_stops_within_the_scan_of_an_image()
    {
        // 64 x 255 candidates per 8x8 image, scanned in batches of 64 at 3 ms a batch: about 0.8 s an image.
        var images = Images.Uniform(4, gray: 40, label: 2);
        using var cancellation = new CancellationTokenSource();
        var stopwatch = new Stopwatch();
        cancellation.Token.Register(stopwatch.Start);
        var calls = 0;
        var model = new SlowClassifier(FunctionClassifier.Constant(), TimeSpan.FromMilliseconds(3), onCall: () =>
        {
            if (Interlocked.Increment(ref calls) == 20) cancellation.Cancel(); // well inside the first two scans
        });

        var act = () => new ExhaustiveVerifier(model, new VerificationOptions { Threads = 2, BatchSize = 64 }).Verify(images, cancellation: cancellation.Token);

        act.Should().Throw<RunCancelledException>().WithMessage("cancelled after 0 of 4 images");
        stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(1), "a scan stops at its next batch, not at the end of its image");
    }

    private sealed class Progress(Action report) : IProgress<AttackProgress>
    {
        public void Report(AttackProgress value) => report();
    }
}
