using System.CommandLine;
using OnePixel.Testing;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.Models;
using OnePixel.Testing.Reports;

namespace OnePixel.Cli.Commands;

/// <summary>`onepixel attack`: attack a model on an image set, print the summary, gate on the success rate.</summary>
public static class AttackCommand
{
    public static Command Create(CliContext cli)
    {
        var settings = new AttackSettings();
        var model = AttackSettings.ModelOption();
        var maxSuccessRate = AttackSettings.MaxSuccessRate("The gate: exit 1 when more than this fraction of attacked images is fooled (or when nothing was attacked).");
        var minAccuracy = AttackSettings.MinAccuracy();
        var json = new Option<string?>("--json") { Description = "Write the JSON report to this file." };
        var html = new Option<string?>("--html") { Description = "Write the HTML report (one self-contained file, pictures inline) to this file." };
        var markdown = new Option<string?>("--markdown") { Description = "Write the Markdown report (for a pull-request comment) to this file." };
        var quiet = new Option<bool>("--quiet") { Description = "No progress and no model details: only the summary (for CI logs)." };

        var command = new Command("attack", "Attack a model on an image set and gate on the success rate.") { model };
        settings.AddTo(command);
        foreach (var option in new Option[] { maxSuccessRate, minAccuracy, json, html, markdown, quiet })
            command.Options.Add(option);

        command.SetAction(parse => CommandErrors.Guard(cli, () =>
        {
            AttackSettings.CheckOutputs(parse, json, html, markdown);
            var modelPath = parse.GetValue(model)!;
            var gate = parse.GetValue(maxSuccessRate);
            var floor = parse.GetValue(minAccuracy);
            settings.CheckCombinations(parse);
            var overrides = settings.ModelOverrides(parse);
            var shard = settings.ShardOf(parse);

            using var loaded = AttackSettings.LoadModel(modelPath, overrides);
            var set = settings.LoadImages(parse, loaded, overrides);
            var options = settings.AttackOptions(parse, loaded.Classifier, set);
            var report = AttackSettings.Run(loaded, set, options, shard, cli, parse.GetValue(quiet));

            var render = new ReportRenderOptions { MaxSuccessRate = gate, MinAccuracy = floor };
            if (parse.GetValue(json) is { } jsonPath) JsonReport.Save(report, jsonPath);
            if (parse.GetValue(html) is { } htmlPath) HtmlReport.Save(report, set, htmlPath, render);
            if (parse.GetValue(markdown) is { } markdownPath) MarkdownReport.Save(report, markdownPath, render);
            SummaryPrinter.Print(cli.Output, report, gate, floor);
            PreprocessingHint.Print(cli.Output, loaded, set, report.Summary.Accuracy);
            return RobustnessGate.Holds(report.Summary, gate, floor) ? ExitCodes.GateHolds : ExitCodes.GateFails;
        }));
        return command;
    }
}
