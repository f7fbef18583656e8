using NUnit.Framework.Interfaces;
using OnePixel.Testing.Baselines;
using OnePixel.Testing.History;
using OnePixel.Testing.NUnit.Tests.Fakes;
using OnePixel.Testing.NUnit.TestFixtures;

namespace OnePixel.Testing.NUnit.Tests.NUnit;

/// <summary>[RobustnessTest(History = ...)]: a run is appended only with ONEPIXEL_UPDATE_HISTORY=1, and otherwise shown at the trend's end.</summary>
[NonParallelizable] // the variables are the whole process's, and the fixtures share the folder with the baseline tests
public class HistoryTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, ComparedWithBaseline.Folder);
    private static readonly string HistoryPath = Path.Combine(AppContext.BaseDirectory, RecordedInHistory.History);
    private TempFolder _work = null!;

    [SetUp]
    public void Arrange()
    {
        _work = new TempFolder();
        Directory.CreateDirectory(Folder);
        File.Delete(HistoryPath);
    }

    [TearDown]
    public void Clean()
    {
        Directory.Delete(Folder, recursive: true);
        _work.Dispose();
    }

    [Test]
    public void Without_the_variable_nothing_is_written_and_the_output_says_how_to_start_the_history()
    {
        using var variables = new HistoryUpdateVariables(null);

        var result = FixtureRun.Of<RecordedInHistory>(_work.Path).Cases.Single();

        result.ResultState.Should().Be(ResultState.Success);
        result.Output.Should().Contain($"History {HistoryPath}: no records yet; run the tests with ONEPIXEL_UPDATE_HISTORY=1 (and ONEPIXEL_HISTORY_LABEL=v1) to start it.");
        File.Exists(HistoryPath).Should().BeFalse();
    }

    [Test]
    public void With_the_variable_the_run_is_appended_once_under_the_label_given()
    {
        using (new HistoryUpdateVariables("1", "v1"))
        {
            var first = FixtureRun.Of<RecordedInHistory>(_work.Path).Cases.Single();
            first.Output.Should().Contain($"History {HistoryPath}: appended v1 (ONEPIXEL_UPDATE_HISTORY is set): 2 of 5 attacked images fooled (40.0 %), clean accuracy 100.0 %. Trend: v1 40.0 %");
        }
        using (new HistoryUpdateVariables("true", "v2"))
        {
            var again = FixtureRun.Of<RecordedInHistory>(_work.Path).Cases.Single();
            again.Output.Should().Contain($"History {HistoryPath}: this model is already recorded as v1 (");
        }

        var record = HistoryFile.Read(HistoryPath).Should().ContainSingle().Subject;
        record.Label.Should().Be("v1");
        record.Model.Path.Should().Be("OnePixel.Testing.NUnit.TestFixtures.Classifiers.BrightCountClassifier");
        record.Results.Where(r => r.Outcome == BaselineOutcome.Fooled).Select(r => r.Name).Should().BeEquivalentTo("edge-dark.png", "edge-bright.png");
        Directory.GetFiles(Folder).Should().Equal(HistoryPath); // written atomically: no temporary file left
    }

    [Test]
    public void With_a_history_and_without_the_variable_the_output_shows_the_trend_with_this_run_at_its_end()
    {
        using (new HistoryUpdateVariables("1", "v1")) FixtureRun.Of<RecordedInHistory>(_work.Path);
        var measured = HistoryFile.Read(HistoryPath).Single();
        File.WriteAllText(HistoryPath, HistoryFile.ToLine(measured with
        {
            Label = "v0",
            Fooled = 0,
            SuccessRate = 0,
            Results = measured.Results.Select(r => r with { Outcome = r.Outcome == BaselineOutcome.Fooled ? BaselineOutcome.Resisted : r.Outcome, AdversarialLabel = null, Pixels = null }).ToList(),
        }));
        var before = File.ReadAllBytes(HistoryPath);
        using var variables = new HistoryUpdateVariables(null);

        var result = FixtureRun.Of<RecordedInHistory>(_work.Path).Cases.Single();

        result.Output.Should().Contain($"History {HistoryPath}: v0 0.0 % -> now 40.0 % (not recorded: ONEPIXEL_UPDATE_HISTORY is not set)");
        File.ReadAllBytes(HistoryPath).Should().Equal(before);
    }

    [Test]
    public void A_label_already_used_by_another_model_fails_the_test_saying_which_variable_to_set()
    {
        using (new HistoryUpdateVariables("1", "v1")) FixtureRun.Of<RecordedInHistory>(_work.Path);
        var recorded = HistoryFile.Read(HistoryPath).Single();
        File.WriteAllText(HistoryPath, HistoryFile.ToLine(recorded with { Model = recorded.Model with { Sha256 = "another model" } }));
        using var variables = new HistoryUpdateVariables("1", "v1");

        var result = FixtureRun.Of<RecordedInHistory>(_work.Path).Cases.Single();

        result.ResultState.Status.Should().Be(TestStatus.Failed);
        result.Message.Should().Contain($"History {HistoryPath}: already holds a record labelled 'v1', of another model; set ONEPIXEL_HISTORY_LABEL to this version's label.");
    }
}
