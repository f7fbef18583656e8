using System.CommandLine;
using System.Globalization;
using System.Text;
using OnePixel.Testing;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.Baselines;
using OnePixel.Testing.Models;
using OnePixel.Testing.Reports;

namespace OnePixel.Cli.Commands;

/// <summary>
/// `onepixel baseline update` writes a model's baseline (explicitly: nothing else ever does);
/// `onepixel baseline check` attacks a model with the baseline's own settings and compares, image by image.
/// </summary>
public static class BaselineCommand
{
    public static Command Create(CliContext cli)
    {
        var command = new Command("baseline", "Record a model's robustness per image, or check a model against such a record.");
        command.Subcommands.Add(Update(cli));
        command.Subcommands.Add(Check(cli));
        return command;
    }

    private static Option<string> BaselineFileOption() => new("--baseline") { Description = "The baseline file (JSON), e.g. models/fashion-cnn.baseline.json.", Required = true };

    private static Command Update(CliContext cli)
    {
        var settings = new AttackSettings();
        var model = AttackSettings.ModelOption();
        var baseline = BaselineFileOption();
        var quiet = new Option<bool>("--quiet") { Description = "Print only the summary." };
        var command = new Command("update", "Attack the model and write its baseline (atomically). The only way, besides ONEPIXEL_UPDATE_BASELINES=1 in tests, that a baseline changes.") { model, baseline, quiet };
        settings.AddTo(command);
        command.SetAction(parse => CommandErrors.Guard(cli, () =>
        {
            settings.CheckCombinations(parse);
            var overrides = settings.ModelOverrides(parse);
            using var loaded = AttackSettings.LoadModel(parse.GetValue(model)!, overrides);
            var set = settings.LoadImages(parse, loaded, overrides);
            var options = settings.AttackOptions(parse, loaded.Classifier, set);
            var report = AttackSettings.Run(loaded, set, options, null, cli, parse.GetValue(quiet));
            var record = BaselineFile.FromReport(report, set);
            var path = parse.GetValue(baseline)!;
            BaselineFile.Write(record, path);
            cli.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"baseline written: {path}: {record.Fooled} of {record.Attacked} attacked images fooled ({record.SuccessRate:P1}), clean accuracy {record.Accuracy:P1}, budget {options.Budget.MaxQueries}, seed {options.Seed}"));
            if (record.Attacked == 0)
                cli.Error.WriteLine($"onepixel: warning: nothing was attacked (no image was classified correctly); a check against this baseline measures no success rate.");
            return ExitCodes.GateHolds;
        }));
        return command;
    }

    private static Command Check(CliContext cli)
    {
        var settings = new AttackSettings();
        var model = AttackSettings.ModelOption();
        var baseline = BaselineFileOption();
        var rules = new ComparisonPolicyOptions();
        var quiet = new Option<bool>("--quiet") { Description = "Print only the comparison." };
        var command = new Command("check", "Attack the model with the baseline's settings and compare image by image: exit 1 on a regression, 2 when the baseline does not match (other images, budget, seed, preprocessing or engine).")
        {
            model, baseline, quiet,
        };
        rules.AddTo(command);
        settings.AddModelAndImageOptionsTo(command);
        command.SetAction(parse => CommandErrors.Guard(cli, () =>
        {
            var policy = rules.PolicyOf(parse);
            var record = BaselineFile.Read(parse.GetValue(baseline)!);
            var overrides = settings.ModelOverrides(parse);
            using var loaded = AttackSettings.LoadModel(parse.GetValue(model)!, overrides);
            var set = settings.LoadImages(parse, loaded, overrides);
            var options = BaselineComparison.OptionsFor(record) with { Threads = parse.GetValue(settings.Threads) };
            var report = AttackSettings.Run(loaded, set, options, null, cli, parse.GetValue(quiet));
            var comparison = BaselineComparison.Compare(record, report, set, policy);
            Print(cli.Output, comparison, parse.GetValue(baseline)!, RefreshCommand(parse.GetValue(baseline)!, report, options));
            return !comparison.Comparable ? ExitCodes.BadInput : comparison.Regressed ? ExitCodes.GateFails : ExitCodes.GateHolds;
        }));
        return command;
    }

    /// <summary>
    /// The `baseline update` that rewrites <paramref name="baselinePath"/> with the settings this check ran and
    /// the model fed as it is now: what "refresh the baseline" means, as a command to run.
    /// </summary>
    internal static string RefreshCommand(string baselinePath, AttackReport report, AttackOptions options)
    {
        var text = new StringBuilder("onepixel baseline update --model ").Append(CommandLineArguments.Quote(report.Model!.Path));
        if (report.ImageSource is { } images) CommandLineArguments.AppendImages(text, images, report.ImageLabels, report.Results.Select(r => r.Index));
        text.Append(" --baseline ").Append(CommandLineArguments.Quote(baselinePath));
        if (report.Model.Preprocessing is { } preprocessing) CommandLineArguments.AppendPreprocessing(text, preprocessing);
        CommandLineArguments.AppendAttack(text, options.Budget, options);
        return text.ToString();
    }

    private static void Print(TextWriter output, BaselineComparison comparison, string baselinePath, string refresh)
    {
        if (!comparison.Comparable)
        {
            output.WriteLine($"baseline {baselinePath} does not match this run, so it is not compared:");
            foreach (var mismatch in comparison.Mismatches) output.WriteLine($"  - {mismatch}");
            output.WriteLine($"Refresh it, if the change is intended: {refresh}");
            output.WriteLine($"(or run the tests with {BaselineUpdate.EnvironmentVariable}=1)");
            return;
        }
        PrintChanges(output, comparison, "in the baseline");
        if (comparison.Regressed)
        {
            output.WriteLine($"verdict: REGRESSION: {string.Join("; ", comparison.Regressions)}");
            output.WriteLine($"If the change is intended, refresh the baseline: {refresh}");
        }
        else
        {
            output.WriteLine("verdict: no regression");
        }
    }

    /// <summary>
    /// A comparable comparison's figures and flips, image by image, with the paired test on the flips; the recorded
    /// side is named <paramref name="recorded"/> ("in the baseline", "in v3"). `baseline check` and `history check` print alike.
    /// </summary>
    internal static void PrintChanges(TextWriter output, BaselineComparison comparison, string recorded)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c, $"success rate:   {comparison.BaselineSuccessRate:P1} {recorded}, {comparison.CurrentSuccessRate:P1} now ({comparison.SuccessRateChange * 100:+0.0;-0.0;0.0} points)"));
        output.WriteLine(string.Create(c, $"clean accuracy: {comparison.BaselineAccuracy:P1} {recorded}, {comparison.CurrentAccuracy:P1} now"));
        foreach (var change in comparison.PreprocessingChanges) output.WriteLine($"preprocessing changed (allowed): {change}");
        output.WriteLine($"newly fooled ({comparison.NewlyFooled.Count}): {(comparison.NewlyFooled.Count == 0 ? "none" : string.Join(", ", comparison.NewlyFooled))}");
        output.WriteLine($"newly resisting ({comparison.NewlyResisting.Count}): {(comparison.NewlyResisting.Count == 0 ? "none" : string.Join(", ", comparison.NewlyResisting))}");
        output.WriteLine($"paired test:    {comparison.Paired}");
        output.WriteLine($"newly misclassified ({comparison.NewlyMisclassified.Count}): {(comparison.NewlyMisclassified.Count == 0 ? "none" : string.Join(", ", comparison.NewlyMisclassified))}");
        if (comparison.NewlyClassifiedCorrectly.Count > 0)
            output.WriteLine($"newly classified correctly ({comparison.NewlyClassifiedCorrectly.Count}): {string.Join(", ", comparison.NewlyClassifiedCorrectly)}");
        if (comparison.InsignificantRise is { } note) output.WriteLine($"note: {note}");
    }
}
