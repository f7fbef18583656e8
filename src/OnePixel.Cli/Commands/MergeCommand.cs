using System.CommandLine;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.Reports;

namespace OnePixel.Cli.Commands;

/// <summary>
/// `onepixel report merge A.json B.json ... --json OUT.json`: combines the reports of the shards of
/// one run into the report of the whole run, prints its summary and gates on it like `attack`.
/// </summary>
public static class MergeCommand
{
    public static Command Create(CliContext cli)
    {
        var reports = new Argument<string[]>("reports") { Description = "The shard reports (from attack --shard I/N --json).", Arity = ArgumentArity.OneOrMore };
        var json = new Option<string?>("--json") { Description = "Write the merged JSON report to this file." };
        var html = new Option<string?>("--html") { Description = "Write the merged HTML report to this file (the images are loaded from the reports' imageSource or --images)." };
        var markdown = new Option<string?>("--markdown") { Description = "Write the merged Markdown report to this file." };
        var images = new Option<string?>("--images") { Description = "Where the images are, for --html, when not at the reports' imageSource." };
        var labels = new Option<string?>("--labels") { Description = "The IDX labels file that goes with an IDX images file." };
        var maxSuccessRate = AttackSettings.MaxSuccessRate("The gate: exit 1 when more than this fraction of attacked images is fooled (or when nothing was attacked).");
        var minAccuracy = AttackSettings.MinAccuracy();
        var quiet = new Option<bool>("--quiet") { Description = "Only the summary (for CI logs)." };

        var command = new Command("merge", "Merge the reports of the shards of one run (attack --shard I/N) into one, and gate on it.")
        {
            reports, json, html, markdown, images, labels, maxSuccessRate, minAccuracy, quiet,
        };
        command.SetAction(parse => CommandErrors.Guard(cli.Error, () =>
        {
            AttackSettings.CheckOutputs(parse, json, html, markdown);
            var paths = parse.GetValue(reports)!;
            var gate = parse.GetValue(maxSuccessRate);
            var floor = parse.GetValue(minAccuracy);
            var parts = paths.Select(p => (p, JsonReportReader.Read(p))).ToList();
            var merged = ReportMerger.Merge(parts);
            if (!parse.GetValue(quiet))
                cli.Error.WriteLine($"merged  {parts.Count} report{(parts.Count == 1 ? "" : "s")}: {merged.Summary.Images} images");
            var render = new ReportRenderOptions { MaxSuccessRate = gate, MinAccuracy = floor };
            if (parse.GetValue(json) is { } jsonPath) JsonReport.Save(merged, jsonPath);
            if (parse.GetValue(html) is { } htmlPath)
                HtmlReport.Save(merged, ReportCommand.LoadImages(paths[0], merged, parse.GetValue(images), parse.GetValue(labels), null), htmlPath, render);
            if (parse.GetValue(markdown) is { } markdownPath) MarkdownReport.Save(merged, markdownPath, render);
            SummaryPrinter.Print(cli.Output, merged, gate, floor);
            return RobustnessGate.Holds(merged.Summary, gate, floor) ? ExitCodes.GateHolds : ExitCodes.GateFails;
        }));
        return command;
    }
}
