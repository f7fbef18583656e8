using NUnit.Framework.Interfaces;
using OnePixel.Testing.Baselines;
using OnePixel.Testing.NUnit.Tests.Fakes;
using OnePixel.Testing.NUnit.TestFixtures;

namespace OnePixel.Testing.NUnit.Tests.NUnit;

/// <summary>
/// [RobustnessTest(Baseline = ...)]: the bright-count fixtures (edge-dark and edge-bright fooled now)
/// against baselines arranged in the folder the fixtures name, next to the test assembly.
/// </summary>
[NonParallelizable] // the update variable is the whole process's, and the fixtures share one baseline file
public class BaselineTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, ComparedWithBaseline.Folder);
    private static readonly string BaselinePath = Path.Combine(AppContext.BaseDirectory, ComparedWithBaseline.Baseline);
    private TempFolder _work = null!;
    private BaselineUpdateVariable _update = null!;

    [SetUp]
    public void Arrange()
    {
        _work = new TempFolder();
        Directory.CreateDirectory(Folder);
        File.Delete(BaselinePath);
        _update = new BaselineUpdateVariable(null);
    }

    [TearDown]
    public void Clean()
    {
        _update.Dispose();
        Directory.Delete(Folder, recursive: true);
        _work.Dispose();
    }

    [Test]
    public void A_regression_fails_the_cases_of_the_newly_fooled_images_and_names_them()
    {
        BaselineFile.Write(BrightCountBaselines.Sturdier(), BaselinePath);

        var run = FixtureRun.Of<ComparedWithBaseline>(_work.Path);

        run.Cases.Where(c => c.ResultState.Status == TestStatus.Failed).Select(c => c.Name).Should().BeEquivalentTo(
            "Does_not_regress(edge-dark.png)", "Does_not_regress(edge-bright.png)");
        var message = run.Case("Does_not_regress(edge-dark.png)").Message;
        message.Should().StartWith("edge-dark.png resisted in the baseline and is fooled now:")
            .And.Contain("success rate 0.0 % in the baseline, 40.0 % now (+40.0 points; at most +0.0 allowed)")
            .And.MatchRegex(@"Newly fooled images \(2\):\r?\n  - edge-bright\.png: bright -> dark, pixel \(\d, \d\) = \d+, confidence 80\.0 %\r?\n  - edge-dark\.png: dark -> bright")
            .And.Contain("If the change is intended, refresh the baseline: run the tests with ONEPIXEL_UPDATE_BASELINES=1.");
    }

    [Test]
    public void An_improvement_passes_and_each_improved_image_says_so()
    {
        BaselineFile.Write(BrightCountBaselines.Weaker(), BaselinePath);

        var run = FixtureRun.Of<ComparedWithBaseline>(_work.Path);

        run.Cases.Should().AllSatisfy(c => c.ResultState.Should().Be(ResultState.Success));
        run.Case("Does_not_regress(speckled.png)").Output.Should().Contain($"Improved: speckled.png was fooled in baseline {BaselinePath} and resists now.");
        run.Case("Does_not_regress(edge-dark.png)").Output.Should().NotContain("Improved");
        Recorder.Comparisons.Where(c => c.Test.Contains("(dark.png)")).Should().Contain(c => c.Comparison!.NewlyResisting.SequenceEqual(new[] { "dark.png", "light.png", "speckled.png" }));
    }

    [Test]
    public void A_rise_within_the_tolerance_passes_and_lists_the_newly_fooled_images()
    {
        BaselineFile.Write(BrightCountBaselines.Sturdier(), BaselinePath);

        var result = FixtureRun.Of<ComparedWithBaselineWithTolerance>(_work.Path).Cases.Single();

        result.ResultState.Should().Be(ResultState.Success);
        result.Output.Should().Contain("No regression from baseline").And.Contain("(+40.0 points; at most +50.0 allowed)")
            .And.Contain("Newly fooled images (2) (allowed by the policy):");
    }

    [Test]
    public void With_a_significance_level_two_newly_fooled_images_pass_and_the_output_says_the_rise_is_not_significant()
    {
        BaselineFile.Write(BrightCountBaselines.Sturdier(), BaselinePath);

        var run = FixtureRun.Of<ComparedWithSignificance>(_work.Path);

        run.Cases.Should().HaveCount(5).And.AllSatisfy(c => c.ResultState.Should().Be(ResultState.Success));
        run.Case("Does_not_regress_significantly(edge-dark.png)").Output.Should().Contain("Fooled now, resisted in the baseline (within the policy): edge-dark.png: dark -> bright");
    }

    [Test]
    public void With_a_significance_level_a_significant_rise_fails_the_newly_fooled_images_cases_with_the_test_as_evidence()
    {
        BaselineFile.Write(BrightCountBaselines.Sturdier(), BaselinePath);

        var run = FixtureRun.Of<ComparedAtALooseLevel>(_work.Path); // level 0.6: p = 0.5 counts as significant

        run.Cases.Where(c => c.ResultState.Status == TestStatus.Failed).Select(c => c.Name).Should().BeEquivalentTo(
            "Does_not_regress_significantly(edge-dark.png)", "Does_not_regress_significantly(edge-bright.png)");
        run.Case("Does_not_regress_significantly(edge-dark.png)").Message.Should()
            .Contain("it regressed: the success rate rose by 40.0 points (at most +0.0 allowed), significant at level 0.6 (2 newly fooled, 0 newly resisting: McNemar exact p = 0.5)")
            .And.Contain("and only when significant at level 0.6), clean accuracy 100.0 % in the baseline, 100.0 % now; paired test: 2 newly fooled, 0 newly resisting: McNemar exact p = 0.5")
            .And.Contain("Newly fooled images (2) (allowed by the policy):");
    }

    [Test]
    public void A_baseline_made_with_another_budget_is_refused_in_every_case_with_the_reason_and_how_to_refresh_it()
    {
        var measured = BrightCountBaselines.Measured();
        BaselineFile.Write(measured with { Settings = measured.Settings with { Budget = 300 } }, BaselinePath);

        var run = FixtureRun.Of<ComparedWithBaseline>(_work.Path);

        run.Cases.Should().HaveCount(5).And.AllSatisfy(c =>
        {
            c.ResultState.Status.Should().Be(TestStatus.Failed);
            c.Message.Should().Contain($"baseline {BaselinePath} does not match this run, so it is not compared:")
                .And.Contain("  - settings differ: baseline budget 300 (population 5), seed 2019, 1 pixel(s)")
                .And.Contain("now budget 200 (population 5)")
                .And.Contain("Refresh it, if the change is intended: run the tests with ONEPIXEL_UPDATE_BASELINES=1.");
        });
    }

    [Test]
    public void A_baseline_made_on_other_images_or_by_another_engine_version_is_refused_saying_so()
    {
        var measured = BrightCountBaselines.Measured();
        BaselineFile.Write(measured with
        {
            EngineVersion = "0.0.1",
            Images = measured.Images.Select(i => i.Name == "light.png" ? i with { Name = "lighter.png" } : i).ToList(),
        }, BaselinePath);

        var message = FixtureRun.Of<ComparedWithBaseline>(_work.Path).Case("Does_not_regress(dark.png)").Message;

        message.Should().Contain($"engine version differs: baseline 0.0.1, now {EngineVersion.Current}")
            .And.Contain("images missing now: lighter.png").And.Contain("images not in the baseline: light.png");
    }

    [Test]
    public void A_missing_baseline_fails_every_case_saying_how_to_make_one_and_writes_nothing()
    {
        var run = FixtureRun.Of<ComparedWithBaseline>(_work.Path);

        run.Cases.Should().AllSatisfy(c => c.Message.Should().Be(
            $"Expected BrightCountClassifier not to regress from its one-pixel robustness baseline, but baseline {BaselinePath} does not exist.{Environment.NewLine}Make one: run the tests with ONEPIXEL_UPDATE_BASELINES=1."));
        File.Exists(BaselinePath).Should().BeFalse();
    }

    [Test]
    public void With_the_update_variable_set_the_baseline_is_written_and_every_case_passes_saying_so()
    {
        BaselineFile.Write(BrightCountBaselines.Sturdier(), BaselinePath);
        using var update = new BaselineUpdateVariable("1");

        var run = FixtureRun.Of<ComparedWithBaseline>(_work.Path);

        run.Cases.Should().AllSatisfy(c =>
        {
            c.ResultState.Should().Be(ResultState.Success);
            c.Output.Should().Contain($"Baseline written (ONEPIXEL_UPDATE_BASELINES is set): {BaselinePath}: 2 of 5 attacked images fooled (40.0 %), clean accuracy 100.0 %, budget 200, seed 2019, 1 pixel.");
        });
        var written = BaselineFile.Read(BaselinePath);
        written.Images.Where(i => i.Outcome == BaselineOutcome.Fooled).Select(i => i.Name).Should().BeEquivalentTo("edge-dark.png", "edge-bright.png");
        written.Model.Path.Should().Be("OnePixel.Testing.NUnit.TestFixtures.Classifiers.BrightCountClassifier");
        Directory.GetFiles(Folder).Should().Equal(BaselinePath); // written atomically: no temporary file left
    }

    [TestCase("0")]
    [TestCase("")]
    [TestCase("yes please")]
    public void Without_the_update_variable_set_to_1_or_true_a_failing_run_leaves_the_baseline_as_it_was(string value)
    {
        BaselineFile.Write(BrightCountBaselines.Sturdier(), BaselinePath);
        var before = File.ReadAllBytes(BaselinePath);
        using var update = new BaselineUpdateVariable(value);

        var run = FixtureRun.Of<ComparedWithBaseline>(_work.Path);

        run.Cases.Should().Contain(c => c.ResultState.Status == TestStatus.Failed);
        File.ReadAllBytes(BaselinePath).Should().Equal(before);
    }
}
