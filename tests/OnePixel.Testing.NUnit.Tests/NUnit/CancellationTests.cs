using System.Diagnostics;
using NUnit.Framework.Interfaces;
using OnePixel.Testing.NUnit.TestFixtures;

namespace OnePixel.Testing.NUnit.Tests.NUnit;

/// <summary>
/// A robustness test's attack stops with its case: [CancelAfter], the stop of the run, an assertion's
/// token. Uncancelled, the fixtures' attacks take several seconds (three resisting images of 2 s each).
/// </summary>
public class CancellationTests : WorkFolderTests
{
    [Test]
    public void Under_CancelAfter_the_attack_stops_and_every_case_says_how_far_it_got()
    {
        var stopwatch = Stopwatch.StartNew();

        var run = FixtureRun.Of<CancelledAfter>(WorkPath);

        stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2.5), "the attack stops within a second of the 300 ms limit (loading the tests included)");
        run.Cases.Should().HaveCount(5).And.AllSatisfy(c =>
        {
            c.ResultState.Should().Be(ResultState.Failure);
            c.Message.Should().MatchRegex(@"^Test exceeded CancelAfter value of 300 ms: the one-pixel attack of SlowClassifier on 5 images was cancelled after [0-4] of 5 images \(\d fooled so far\)\.$");
        });
        run.Cases.Select(c => c.Message).Distinct().Should().ContainSingle("the cases share one attack, and so one outcome");
    }

    [Test]
    public void When_the_run_is_stopped_the_attack_under_way_stops_and_its_cases_are_cancelled()
    {
        var stopwatch = Stopwatch.StartNew();

        var run = FixtureRun.Of<StoppedRun>(WorkPath, stopAfter: TimeSpan.FromMilliseconds(500));

        stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2.5));
        var cancelled = run.Cases.Where(c => c.ResultState == ResultState.Cancelled).ToList();
        cancelled.Should().NotBeEmpty("the case that was attacking when the run stopped is cancelled");
        cancelled.Should().AllSatisfy(c => c.Message.Should().MatchRegex(@"^The test run was stopped: the one-pixel attack of SlowClassifier on 5 images was cancelled after [0-4] of 5 images"));
        run.Cases.Should().NotContain(c => c.ResultState == ResultState.Success, "no case may pass on an attack that did not finish");
    }

    [Test]
    public void An_assertion_under_CancelAfter_stops_and_fails_saying_how_far_it_got()
    {
        var run = FixtureRun.Of<AssertionCancelledAfter>(WorkPath);

        var result = run.Cases.Single();
        result.ResultState.Should().Be(ResultState.Failure);
        result.Message.Should().MatchRegex(@"Expected model to resist one-pixel attacks, but Test exceeded CancelAfter value of 300 ms: the attack was cancelled after [0-4] of 5 images \(\d fooled so far\)\.");
        result.Duration.Should().BeLessThan(1.5);
    }
}
