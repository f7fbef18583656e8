using OnePixel.Testing.Attacks;
using OnePixel.Testing.Reports;

namespace OnePixel.Cli.Tests.Commands;

public class CompareCommandTests
{
    /// <summary>The trigger model's report (every image fooled), and the same run with the first three images resisting.</summary>
    private static (string Sturdier, string Weaker) Reports(TempFolder folder)
    {
        var weaker = folder.File("weaker.json");
        Cli.Run("attack", "--model", Repository.TriggerModel, "--budget", "400", "--quiet", "--json", weaker).ExitCode.Should().Be(ExitCodes.GateFails);
        var report = JsonReportReader.Read(weaker);
        var results = report.Results.Select(r => r.Index < 3
            ? r with { Fooled = false, AdversarialLabel = null, AdversarialConfidence = null, Pixels = [], Queries = 400, StopReason = StopReason.BudgetExhausted }
            : r).ToList();
        var sturdier = folder.File("sturdier.json");
        JsonReport.Save(report with { Results = results, Summary = AttackSummary.From(results, report.Summary.Images, 0) }, sturdier);
        return (sturdier, weaker);
    }

    [Test]
    public void A_candidate_that_is_easier_to_fool_should_exit_1_listing_the_images_now_fooled()
    {
        using var folder = new TempFolder();
        var (sturdier, weaker) = Reports(folder);

        var result = Cli.Run("compare", sturdier, weaker);

        result.ExitCode.Should().Be(ExitCodes.GateFails, result.ToString());
        result.Output.Should().Contain("change:  +60.0 points").And.Contain("now fooled: 3").And.Contain("synthetic-02-dim-noise.png: off -> on")
            .And.Contain("no longer fooled: 0").And.Contain("verdict: REGRESSED");
    }

    [Test]
    public void A_candidate_that_is_harder_to_fool_should_exit_0()
    {
        using var folder = new TempFolder();
        var (sturdier, weaker) = Reports(folder);

        var result = Cli.Run("compare", weaker, sturdier);

        result.ExitCode.Should().Be(ExitCodes.GateHolds, result.ToString());
        result.Output.Should().Contain("change:  -60.0 points").And.Contain("no longer fooled: 3").And.Contain("verdict: OK");
    }

    [Test]
    public void With_a_significance_level_a_rise_of_three_images_should_exit_0_saying_the_test_does_not_find_it_significant()
    {
        using var folder = new TempFolder();
        var (sturdier, weaker) = Reports(folder);

        var level = Cli.Run("compare", sturdier, weaker, "--significance", "0.05");
        var loose = Cli.Run("compare", sturdier, weaker, "--significance", "0.3");

        level.ExitCode.Should().Be(ExitCodes.GateHolds, level.ToString());
        level.Output.Should().Contain("paired:  3 newly fooled, 0 newly resisting: McNemar exact p = 0.25 (images attacked in both)")
            .And.Contain("note:    the success rate rose by 60.0 points, but not significantly at level 0.05").And.Contain("verdict: OK");
        loose.ExitCode.Should().Be(ExitCodes.GateFails, "p = 0.25 is below 0.3");
        loose.Output.Should().Contain("verdict: REGRESSED: after's success rate is 60.0 points above before's (allowed 0.0), significant at level 0.3 (3 newly fooled, 0 newly resisting: McNemar exact p = 0.25)");
    }

    [TestCase("0")]
    [TestCase("1")]
    [TestCase("abc")]
    public void A_significance_level_outside_0_to_1_should_exit_2(string level)
    {
        using var folder = new TempFolder();
        var (sturdier, weaker) = Reports(folder);

        var result = Cli.Run("compare", sturdier, weaker, "--significance", level);

        result.ExitCode.Should().Be(ExitCodes.BadInput);
        result.Error.Should().Contain("--significance");
    }

    [Test]
    public void An_increase_within_the_allowed_one_should_exit_0()
    {
        using var folder = new TempFolder();
        var (sturdier, weaker) = Reports(folder);

        var result = Cli.Run("compare", sturdier, weaker, "--max-increase", "0.6");

        result.ExitCode.Should().Be(ExitCodes.GateHolds, result.ToString());
    }

    [Test]
    public void The_markdown_comparison_should_list_the_flips()
    {
        using var folder = new TempFolder();
        var (sturdier, weaker) = Reports(folder);

        Cli.Run("compare", sturdier, weaker, "--markdown", folder.File("compare.md"));

        File.ReadAllText(folder.File("compare.md")).Should().Contain("**REGRESSED**").And.Contain("#### Now fooled (3)").And.Contain("| synthetic-00-black.png | off | on |");
    }

    [Test]
    public void Two_models_should_be_attacked_alike_and_the_images_now_fooled_listed()
    {
        using var folder = new TempFolder();

        // Measured on the first 20 sample images at 600 queries and 1 pixel: v1 0 of 19 fooled, v2 5 of 19 (+26.3 points).
        var (result, v1, v2, printed) = CompareBundledModels(folder);

        result.ExitCode.Should().Be(ExitCodes.GateFails, result.ToString());
        ReportMerger.SettingsOf(v2.Options).Should().Be(ReportMerger.SettingsOf(v1.Options));
        v2.Results.Select(r => r.Name).Should().Equal(v1.Results.Select(r => r.Name));
        (v1.Summary.Fooled, v2.Summary.Fooled, v2.Summary.Attacked).Should().Be((0, 5, 19));
        string[] flips = ["test-00004-shirt.png", "test-00006-coat.png", "test-00010-coat.png", "test-00011-sandal.png", "test-00017-coat.png"];
        NowFooled(v1, v2).Should().Equal(flips, "the reports the command wrote hold these flips");
        printed.Should().Equal(flips, "the command prints each flip under 'now fooled'");
        result.Output.Should().Contain("change:  +26.3 points").And.Contain("now fooled: 5").And.Contain("no longer fooled: 0");
    }

    [Test]
    public void The_bundled_v2_should_regress_from_v1_and_the_images_it_now_lets_through_be_printed()
    {
        using var folder = new TempFolder();

        // Measured on the first 20 sample images at 600 queries and 3 pixels: v1 0 of 19 fooled, v2 9 of 19 (+47.4 points).
        var (result, v1, v2, printed) = CompareBundledModels(folder, "--pixels", "3");

        result.ExitCode.Should().Be(ExitCodes.GateFails, result.ToString());
        (v1.Summary.Fooled, v2.Summary.Fooled, v2.Summary.Attacked).Should().Be((0, 9, 19));
        string[] flips =
        [
            "test-00000-ankle-boot.png", "test-00004-shirt.png", "test-00006-coat.png", "test-00007-shirt.png", "test-00008-sandal.png",
            "test-00010-coat.png", "test-00011-sandal.png", "test-00014-coat.png", "test-00017-coat.png",
        ];
        NowFooled(v1, v2).Should().Equal(flips, "the reports the command wrote hold these flips");
        printed.Should().Equal(flips, "the command prints each flip under 'now fooled'");
        result.Output.Should().Contain("change:  +47.4 points").And.Contain("now fooled: 9").And.Contain("verdict: REGRESSED");
        result.Output.Should().Contain("  test-00007-shirt.png: Shirt -> Coat by ", "each flip names its classes and pixels");
    }

    /// <summary>`compare` of the bundled v1 and v2 on the first 20 sample images at 600 queries: its result, the two reports it wrote, and the names it printed under "now fooled".</summary>
    private static (CliResult Result, AttackReport V1, AttackReport V2, List<string> PrintedNowFooled) CompareBundledModels(TempFolder folder, params string[] extra)
    {
        var result = Cli.Run(["compare", Repository.FashionV1, Repository.FashionV2, "--count", "20", "--budget", "600", "--quiet",
            "--json-before", folder.File("v1.json"), "--json-after", folder.File("v2.json"), .. extra]);
        var printed = result.Output.Split('\n')
            .SkipWhile(line => !line.StartsWith("now fooled:", StringComparison.Ordinal)).Skip(1)
            .TakeWhile(line => line.StartsWith("  ", StringComparison.Ordinal))
            .Select(line => line.Trim().Split(':')[0]).ToList();
        return (result, JsonReportReader.Read(folder.File("v1.json")), JsonReportReader.Read(folder.File("v2.json")), printed);
    }

    /// <summary>Images attacked and resisting in <paramref name="before"/> and fooled in <paramref name="after"/>, by name.</summary>
    private static List<string> NowFooled(AttackReport before, AttackReport after) =>
        after.FooledResults.Where(r => before.Results.Single(b => b.Name == r.Name) is { Attacked: true, Fooled: false }).Select(r => r.Name).Order(StringComparer.Ordinal).ToList();

    [Test]
    public void A_model_and_a_report_should_exit_2()
    {
        using var folder = new TempFolder();
        var (sturdier, _) = Reports(folder);

        var result = Cli.Run("compare", Repository.TriggerModel, sturdier);

        result.ExitCode.Should().Be(ExitCodes.BadInput);
        result.Error.Should().Contain("expected two models (.onnx) or two JSON reports (.json)");
    }

    [Test]
    public void Reports_with_different_budgets_should_exit_2()
    {
        using var folder = new TempFolder();
        Cli.Run("attack", "--model", Repository.TriggerModel, "--budget", "400", "--quiet", "--json", folder.File("a.json"));
        Cli.Run("attack", "--model", Repository.TriggerModel, "--budget", "800", "--quiet", "--json", folder.File("b.json"));

        var result = Cli.Run("compare", folder.File("a.json"), folder.File("b.json"));

        result.ExitCode.Should().Be(ExitCodes.BadInput);
        result.Error.Should().Contain("b.json: attack settings budget 800");
    }

    [Test]
    public void A_max_increase_outside_0_to_1_should_exit_2()
    {
        var result = Cli.Run("compare", "a.json", "b.json", "--max-increase", "5");

        result.ExitCode.Should().Be(ExitCodes.BadInput);
        result.Error.Should().Contain("--max-increase: expected a fraction 0..1");
    }
}
