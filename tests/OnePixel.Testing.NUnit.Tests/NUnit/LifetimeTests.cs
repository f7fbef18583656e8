using System.Text.Json;
using NUnit.Framework.Interfaces;
using OnePixel.Testing.NUnit.TestFixtures;
using OnePixel.Testing.NUnit.TestFixtures.Classifiers;

namespace OnePixel.Testing.NUnit.Tests.NUnit;

/// <summary>What the plugin keeps, for how long: models per declaring suite and file version, runs per method, attachments per method and overload.</summary>
[NonParallelizable] // FlakyClassifier's switch is the whole process's
public class LifetimeTests : WorkFolderTests
{
    [Test]
    public void A_model_declared_on_a_fixture_is_loaded_once_and_disposed_when_the_fixture_is_done()
    {
        var (created, disposed) = (DisposeCountedClassifier.Created, DisposeCountedClassifier.Disposed);

        var run = FixtureRun.Of<DisposedAtTheEnd>(WorkPath);

        run.Cases.Should().HaveCount(10).And.AllSatisfy(c => c.ResultState.Should().Be(ResultState.Success));
        DisposeCountedClassifier.Created.Should().Be(created + 1, "both methods use the fixture's model");
        DisposeCountedClassifier.Disposed.Should().Be(disposed + 1, "the fixture's tests are done, so its model is disposed");
    }

    [Test]
    public void A_model_that_failed_to_load_fails_that_runs_cases_and_is_loaded_again_by_the_next_run()
    {
        FlakyClassifier.Failing = true;
        FixtureRun failed;
        try
        {
            failed = FixtureRun.Of<LoadedAgainAfterAFailure>(WorkPath);
        }
        finally
        {
            FlakyClassifier.Failing = false;
        }

        var next = FixtureRun.Of<LoadedAgainAfterAFailure>(WorkPath);

        failed.Cases.Should().HaveCount(5).And.AllSatisfy(c =>
        {
            c.ResultState.Should().Be(ResultState.Error);
            c.Message.Should().Be(FlakyClassifier.Problem);
        });
        next.Cases.Should().HaveCount(5).And.AllSatisfy(c => c.ResultState.Should().Be(ResultState.Success), "a failed load is not kept beyond its run");
    }

    [Test]
    public void Each_overload_of_a_method_attaches_its_own_report()
    {
        var run = FixtureRun.Of<Overloads>(WorkPath);

        run.Cases.Should().HaveCount(2).And.AllSatisfy(c => c.ResultState.Should().Be(ResultState.Failure));
        var reports = run.Cases.Select(c => c.TestAttachments.Single(a => a.FilePath.EndsWith("report.json", StringComparison.Ordinal)).FilePath).ToList();
        reports.Should().OnlyHaveUniqueItems();
        var budgets = reports.Select(path => JsonDocument.Parse(File.ReadAllText(path)).RootElement.GetProperty("summary").GetProperty("budget").GetInt32());
        budgets.Should().BeEquivalentTo([100, 300], "each overload's report is its own run's");
        reports.Should().Contain(path => path.Contains("Overloads.Resists_one_pixel_attacks(AttackReport)", StringComparison.Ordinal));
    }

    [Test]
    public void Running_the_same_tests_again_attacks_again()
    {
        // A long-lived test host (an IDE) runs the tests it loaded more than once: each run makes its own.
        var runs = FixtureRun.Twice<GateHolds>(WorkPath);

        runs.Should().HaveCount(2).And.AllSatisfy(run => run.ProgressLines.Should().Contain(line => line.StartsWith("onepixel: BrightCountClassifier on 5 images", StringComparison.Ordinal)));
    }
}
