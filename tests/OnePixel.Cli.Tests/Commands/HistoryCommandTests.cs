using System.Text.RegularExpressions;
using OnePixel.Testing.Baselines;
using OnePixel.Testing.History;
using OnePixel.Testing.Statistics;

namespace OnePixel.Cli.Tests.Commands;

/// <summary>
/// `onepixel history add|show|check` on the 8x8 trigger model (one pixel fools each of its five images), with an
/// earlier, sturdier version made by rewriting a record as if every image had resisted.
/// </summary>
public class HistoryCommandTests
{
    // Extremes first: pixel (5, 2) at 0 or 255 is among the first candidates, so every image is fooled.
    private static readonly string[] Settings = ["--budget", "400", "--search", "extremes-de"];

    private static CliResult Add(string history, string label, params string[] more) =>
        Cli.Run(["history", "add", "--history", history, "--label", label, "--model", Repository.TriggerModel, .. Settings, "--quiet", .. more]);

    /// <summary>The record as a sturdier earlier version would have left it: every image that was fooled resisted.</summary>
    private static HistoryRecord Sturdier(HistoryRecord record, string label) => record with
    {
        Label = label,
        Date = "2026-01-01",
        Fooled = 0,
        SuccessRate = 0,
        SuccessRateInterval = new HistoryInterval(0, WilsonInterval.For(0, record.Attacked).High, "wilson-95"),
        Results = record.Results.Select(r => r.Outcome == BaselineOutcome.Fooled ? r with { Outcome = BaselineOutcome.Resisted, AdversarialLabel = null, Pixels = null } : r).ToList(),
    };

    /// <summary>A history of one version, "v0", sturdier than the trigger model: checking the trigger model against it finds 5 newly fooled images.</summary>
    private static string SturdierHistory(TempFolder folder)
    {
        var path = folder.File("trigger.history.jsonl");
        Add(path, "measured").ExitCode.Should().Be(ExitCodes.GateHolds);
        File.WriteAllText(path, HistoryFile.ToLine(Sturdier(HistoryFile.Read(path).Single(), "v0")));
        return path;
    }

    [Test]
    public void Add_should_append_a_record_and_show_should_print_the_trend_with_each_changes_paired_test()
    {
        using var folder = new TempFolder();
        var path = SturdierHistory(folder);

        var add = Add(path, "v1", "--date", "2026-02-01");
        var show = Cli.Run("history", "show", path, "--markdown", folder.File("trend.md"), "--html", folder.File("trend.html"));

        add.ExitCode.Should().Be(ExitCodes.GateHolds, add.ToString());
        add.Output.Should().Contain($"appended v1 to {path}: 5 of 5 attacked images fooled (100.0 %, 95% interval 56.6 %..100.0 %), clean accuracy 100.0 %")
            .And.Contain("v0 -> v1: +100.0 points; 5 newly fooled, 0 newly resisting: McNemar exact p = 0.0625, not significant at level 0.05");
        show.ExitCode.Should().Be(ExitCodes.GateHolds, show.ToString());
        show.Output.Should().MatchRegex(@"v1 +2026-02-01 +single-pixel-trigger\.onnx +100\.0 % +5 of 5 +100\.0 % +56\.6 %\.\.100\.0 % +\+100\.0 points +5 / 0 +0\.0625")
            .And.Contain("trend: v0 0.0 % -> v1 100.0 %");
        File.ReadAllText(folder.File("trend.md")).Should().Contain("| v1 | 2026-02-01 | single-pixel-trigger.onnx | 100.0 % | 5 of 5 | 100.0 % |");
        Regex.Count(File.ReadAllText(folder.File("trend.html")), "<img ").Should().Be(5, "the five images newly fooled in v1, drawn");
        var record = HistoryFile.Read(path)[^1];
        record.ImageSet.Source.Should().Be(HistoryFile.RelativeTo(path, Path.Combine(Repository.Root, "samples/images/testing-8x8")));
        record.Settings.Budget.Should().Be(400);
    }

    [Test]
    public void Add_with_verify_should_record_the_exhaustive_verifications_vulnerable_rate_and_show_it()
    {
        using var folder = new TempFolder();
        var path = folder.File("trigger.history.jsonl");

        var add = Add(path, "v1", "--verify");
        var show = Cli.Run("history", "show", path);

        add.ExitCode.Should().Be(ExitCodes.GateHolds, add.ToString());
        HistoryFile.Read(path).Single().Verification.Should().Be(new HistoryVerification(Checked: 5, Vulnerable: 5, VulnerableRate: 1.0, Exact: true));
        show.Output.Should().Contain("100.0 % (5 of 5)");
        Add(folder.File("other.jsonl"), "v1", "--verify", "--report", folder.File("run.json")).Error.Should().Contain("--model, --report: give one");
    }

    [Test]
    public void Add_should_refuse_a_label_already_in_the_history_and_leave_the_file_as_it_was()
    {
        using var folder = new TempFolder();
        var path = SturdierHistory(folder);
        var before = File.ReadAllBytes(path);

        var add = Add(path, "v0");

        add.ExitCode.Should().Be(ExitCodes.BadInput);
        add.Error.Should().Contain($"--label: 'v0' is already in {path} (recorded 2026-01-01); a version is recorded once, so give another label.");
        File.ReadAllBytes(path).Should().Equal(before);
    }

    [Test]
    public void Add_should_record_a_json_report_as_it_records_a_run()
    {
        using var folder = new TempFolder();
        var report = folder.File("run.json");
        Cli.Run(["attack", "--model", Repository.TriggerModel, .. Settings, "--quiet", "--json", report, "--max-success-rate", "1"]);
        var fromRun = folder.File("run.history.jsonl");
        var fromReport = folder.File("report.history.jsonl");
        Add(fromRun, "v1", "--date", "2026-02-01");

        var add = Cli.Run("history", "add", "--history", fromReport, "--label", "v1", "--report", report, "--date", "2026-02-01");

        add.ExitCode.Should().Be(ExitCodes.GateHolds, add.ToString());
        HistoryFile.Read(fromReport).Single().Should().BeEquivalentTo(HistoryFile.Read(fromRun).Single());
    }

    [Test]
    public void Add_should_record_a_baseline_only_when_it_is_this_runs()
    {
        using var folder = new TempFolder();
        var baseline = folder.File("trigger.baseline.json");
        var path = folder.File("trigger.history.jsonl");
        Cli.Run(["baseline", "update", "--model", Repository.TriggerModel, "--baseline", baseline, .. Settings, "--quiet"]);

        var other = Cli.Run("history", "add", "--history", path, "--label", "v1", "--model", Repository.TriggerModel, "--budget", "800", "--search", "extremes-de", "--quiet", "--baseline", baseline);
        var same = Add(path, "v1", "--baseline", baseline);

        other.ExitCode.Should().Be(ExitCodes.BadInput);
        other.Error.Should().Contain($"--baseline: {baseline} is not this run's baseline: settings differ: the baseline budget 400 (population 10)");
        same.ExitCode.Should().Be(ExitCodes.GateHolds, same.ToString());
        HistoryFile.Read(path).Single().Baseline.Should().Be("trigger.baseline.json");
    }

    [Test]
    public void Check_should_exit_1_on_a_regression_from_the_latest_record_naming_the_images_and_the_test()
    {
        using var folder = new TempFolder();
        var path = SturdierHistory(folder);

        var check = Cli.Run("history", "check", path, "--model", Repository.TriggerModel, "--quiet");

        check.ExitCode.Should().Be(ExitCodes.GateFails, check.ToString());
        check.Output.Should().Contain("trend: v0 0.0 % -> now 100.0 %").And.Contain("against: v0 (the latest record, 2026-01-01)")
            .And.Contain("success rate:   0.0 % in v0, 100.0 % now (+100.0 points)")
            .And.Contain("newly fooled (5): synthetic-00-black.png, synthetic-01-gray100.png, synthetic-02-dim-noise.png, synthetic-03-noise.png, synthetic-04-trigger-on.png")
            .And.Contain("paired test:    5 newly fooled, 0 newly resisting: McNemar exact p = 0.0625")
            .And.Contain("verdict: REGRESSION: the success rate rose by 100.0 points (at most +0.0 allowed); 5 images that resisted in the baseline are fooled now");
    }

    [Test]
    public void Check_with_a_significance_level_should_pass_a_rise_the_paired_test_does_not_find_significant()
    {
        using var folder = new TempFolder();
        var path = SturdierHistory(folder);

        var at5 = Cli.Run("history", "check", path, "--model", Repository.TriggerModel, "--quiet", "--significance", "0.05");
        var at10 = Cli.Run("history", "check", path, "--model", Repository.TriggerModel, "--quiet", "--significance", "0.1");
        var strict = Cli.Run("history", "check", path, "--model", Repository.TriggerModel, "--quiet", "--significance", "0.05", "--fail-on-newly-fooled");

        at5.ExitCode.Should().Be(ExitCodes.GateHolds, at5.ToString());
        at5.Output.Should().Contain("note: the success rate rose by 100.0 points, but not significantly at level 0.05 (5 newly fooled, 0 newly resisting: McNemar exact p = 0.0625), so it is within the policy")
            .And.Contain("verdict: no regression");
        at10.ExitCode.Should().Be(ExitCodes.GateFails, "p = 0.0625 is below 0.1");
        at10.Output.Should().Contain("significant at level 0.1 (5 newly fooled, 0 newly resisting: McNemar exact p = 0.0625)");
        strict.ExitCode.Should().Be(ExitCodes.GateFails);
        strict.Output.Should().Contain("verdict: REGRESSION: 5 images that resisted in the baseline are fooled now");
    }

    [Test]
    public void Check_against_best_should_gate_against_the_most_robust_comparable_record()
    {
        using var folder = new TempFolder();
        var path = SturdierHistory(folder);
        Add(path, "v1").ExitCode.Should().Be(ExitCodes.GateHolds);

        var latest = Cli.Run("history", "check", path, "--model", Repository.TriggerModel, "--quiet");
        var best = Cli.Run("history", "check", path, "--model", Repository.TriggerModel, "--quiet", "--against", "best");

        latest.ExitCode.Should().Be(ExitCodes.GateHolds, latest.ToString());
        latest.Output.Should().Contain("against: v1 (the latest record,").And.Contain("newly fooled (0): none");
        best.ExitCode.Should().Be(ExitCodes.GateFails, best.ToString());
        best.Output.Should().Contain("against: v0 (the best comparable record, 2026-01-01)");
    }

    [Test]
    public void Check_should_exit_2_when_the_recorded_images_changed()
    {
        using var folder = new TempFolder();
        var images = Path.Combine(folder.Path, "images");
        Directory.CreateDirectory(images);
        foreach (var file in Directory.GetFiles(Path.Combine(Repository.Root, "samples/images/testing-8x8")))
            File.Copy(file, Path.Combine(images, Path.GetFileName(file)));
        var path = folder.File("trigger.history.jsonl");
        Add(path, "v1", "--images", images).ExitCode.Should().Be(ExitCodes.GateHolds);
        File.Copy(Path.Combine(images, "synthetic-00-black.png"), Path.Combine(images, "synthetic-01-gray100.png"), overwrite: true);

        var check = Cli.Run("history", "check", path, "--model", Repository.TriggerModel, "--quiet");

        check.ExitCode.Should().Be(ExitCodes.BadInput, check.ToString());
        check.Output.Should().Contain("v1 does not match this run, so it is not compared:").And.Contain("images whose content or label changed: synthetic-01-gray100.png");
    }

    [Test]
    public void Bad_input_should_exit_2_naming_the_option_or_file()
    {
        using var folder = new TempFolder();
        var damaged = folder.Write("damaged.history.jsonl", "{\"schema\":1}\n");

        Cli.Run("history", "show", "/nowhere/h.jsonl").Error.Should().Contain("/nowhere/h.jsonl: history file not found");
        Cli.Run("history", "show", damaged).Error.Should().Contain($"{damaged}:1: not a history record");
        Cli.Run("history", "add", "--history", folder.File("h.jsonl"), "--label", "v1").Error.Should().Contain("--model: not given");
        Cli.Run("history", "add", "--history", folder.File("h.jsonl"), "--label", "v1", "--model", Repository.TriggerModel, "--date", "soon").Error.Should().Contain("--date: expected a date such as 2026-11-29");
        Cli.Run("history", "check", damaged, "--model", Repository.TriggerModel, "--significance", "1.5").Error.Should().Contain("--significance: expected a significance level between 0 and 1 (such as 0.05), found 1.5.");
        Cli.Run("history", "check", damaged, "--model", Repository.TriggerModel, "--against", "worst").ExitCode.Should().Be(ExitCodes.BadInput);
        File.Exists(folder.File("h.jsonl")).Should().BeFalse();
    }

    [Test]
    public void The_sample_historys_latest_record_should_be_what_the_tool_measures_on_the_model_now()
    {
        var check = Cli.Run("history", "check", Repository.FashionHistory, "--model", Repository.FashionV3, "--quiet");

        check.ExitCode.Should().Be(ExitCodes.GateHolds, check.ToString());
        check.Output.Should().Contain("against: v3 (the latest record,").And.Contain("newly fooled (0): none").And.Contain("newly resisting (0): none")
            .And.Contain("newly misclassified (0): none").And.Contain("10.1 % in v3, 10.1 % now (0.0 points)");
    }
}
