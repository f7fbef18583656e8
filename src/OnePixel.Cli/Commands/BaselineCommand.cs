using System.CommandLine;
using System.Globalization;
using OnePixel.Testing;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.Baselines;
using OnePixel.Testing.Models;

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
        command.SetAction(parse => CommandErrors.Guard(cli.Error, () =>
        {
            settings.CheckCombinations(parse);
            var overrides = settings.ModelOverrides(parse);
            using var loaded = LoadedModel.Load(parse.GetValue(model)!, overrides);
            var set = settings.LoadImages(parse, loaded, overrides);
            var options = settings.AttackOptions(parse, loaded.Classifier, set);
            var report = AttackSettings.Run(loaded, set, options, null, cli.Error, parse.GetValue(quiet), cli.Interactive);
            var record = BaselineFile.FromReport(report, set);
            var path = parse.GetValue(baseline)!;
            BaselineFile.Write(record, path);
            cli.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"baseline written: {path}: {record.Fooled} of {record.Attacked} attacked images fooled ({record.SuccessRate:P1}), budget {options.Budget.MaxQueries}, seed {options.Seed}"));
            return ExitCodes.GateHolds;
        }));
        return command;
    }

    private static Command Check(CliContext cli)
    {
        var settings = new AttackSettings();
        var model = AttackSettings.ModelOption();
        var baseline = BaselineFileOption();
        var maxIncrease = new Option<double>("--max-increase") { Description = "Allowed rise of the success rate (a fraction: 0.02 = 2 points). Default 0.", DefaultValueFactory = _ => 0 };
        var allowNewlyFooled = new Option<bool>("--allow-newly-fooled") { Description = "Do not fail when images that resisted are fooled now, as long as the success rate stays within --max-increase." };
        var quiet = new Option<bool>("--quiet") { Description = "Print only the comparison." };
        var command = new Command("check", "Attack the model with the baseline's settings and compare image by image: exit 1 on a regression, 2 when the baseline does not match (other images, budget, seed or engine).")
        {
            model, baseline, maxIncrease, allowNewlyFooled, quiet,
        };
        settings.AddModelAndImageOptionsTo(command);
        command.SetAction(parse => CommandErrors.Guard(cli.Error, () =>
        {
            var record = BaselineFile.Read(parse.GetValue(baseline)!);
            var policy = new BaselinePolicy { MaxSuccessRateIncrease = parse.GetValue(maxIncrease), FailOnNewlyFooledImages = !parse.GetValue(allowNewlyFooled) };
            policy.Validate();
            var overrides = settings.ModelOverrides(parse);
            using var loaded = LoadedModel.Load(parse.GetValue(model)!, overrides);
            var set = settings.LoadImages(parse, loaded, overrides);
            var options = BaselineComparison.OptionsFor(record) with { Threads = parse.GetValue(settings.Threads) };
            var report = AttackSettings.Run(loaded, set, options, null, cli.Error, parse.GetValue(quiet), cli.Interactive);
            var comparison = BaselineComparison.Compare(record, report, set, policy);
            Print(cli.Output, comparison, parse.GetValue(baseline)!, loaded.Path);
            return !comparison.Comparable ? ExitCodes.BadInput : comparison.Regressed ? ExitCodes.GateFails : ExitCodes.GateHolds;
        }));
        return command;
    }

    private static void Print(TextWriter output, BaselineComparison comparison, string baselinePath, string modelPath)
    {
        var c = CultureInfo.InvariantCulture;
        if (!comparison.Comparable)
        {
            output.WriteLine($"baseline {baselinePath} does not match this run, so it is not compared:");
            foreach (var mismatch in comparison.Mismatches) output.WriteLine($"  - {mismatch}");
            output.WriteLine($"Refresh it, if the change is intended: onepixel baseline update --model {modelPath} --baseline {baselinePath} (with the settings you want), or run the tests with {BaselineUpdate.EnvironmentVariable}=1.");
            return;
        }
        output.WriteLine(string.Create(c, $"success rate: {comparison.BaselineSuccessRate:P1} in the baseline, {comparison.CurrentSuccessRate:P1} now ({comparison.SuccessRateChange * 100:+0.0;-0.0;0.0} points)"));
        output.WriteLine($"newly fooled ({comparison.NewlyFooled.Count}): {(comparison.NewlyFooled.Count == 0 ? "none" : string.Join(", ", comparison.NewlyFooled))}");
        output.WriteLine($"newly resisting ({comparison.NewlyResisting.Count}): {(comparison.NewlyResisting.Count == 0 ? "none" : string.Join(", ", comparison.NewlyResisting))}");
        output.WriteLine(comparison.Regressed ? "verdict: REGRESSION" : "verdict: no regression");
    }
}
