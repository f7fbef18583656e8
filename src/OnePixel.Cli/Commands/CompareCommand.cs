using System.CommandLine;
using System.Globalization;
using OnePixel.Testing;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.Baselines;
using OnePixel.Testing.Models;
using OnePixel.Testing.Reports;

namespace OnePixel.Cli.Commands;

/// <summary>
/// `onepixel compare BEFORE AFTER`: two models (.onnx, attacked here on the same images with the
/// same budget and seed) or two JSON reports. Prints the images that flipped each way and the change
/// in success rate; exits 1 when AFTER's success rate exceeds BEFORE's by more than --max-increase.
/// </summary>
public static class CompareCommand
{
    public static Command Create(CliContext cli)
    {
        var settings = new AttackSettings();
        var before = new Argument<string>("before") { Description = "The reference: a model (.onnx) or a JSON report (.json)." };
        var after = new Argument<string>("after") { Description = "The candidate, of the same kind: a model (.onnx) or a JSON report (.json)." };
        var maxIncrease = new Option<double>("--max-increase") { Description = "Exit 1 when AFTER's success rate exceeds BEFORE's by more than this (a fraction: 0.02 = 2 points). Default 0: any increase.", DefaultValueFactory = _ => 0 };
        AttackSettings.CheckIncrease(maxIncrease);
        var significance = AttackSettings.Significance("A significance level such as 0.05: a rise of AFTER's success rate beyond --max-increase counts only when McNemar's exact two-sided test on the images that flipped (now fooled against no longer fooled) gives p below it. Default: any rise beyond --max-increase counts.");
        var jsonBefore = new Option<string?>("--json-before") { Description = "With two models: write BEFORE's JSON report to this file." };
        var jsonAfter = new Option<string?>("--json-after") { Description = "With two models: write AFTER's JSON report to this file." };
        var markdown = new Option<string?>("--markdown") { Description = "Write the comparison as Markdown (for a pull-request comment) to this file." };
        var quiet = new Option<bool>("--quiet") { Description = "No progress and no model details (for CI logs)." };
        var allowNewlyMisclassified = new Option<bool>("--allow-newly-misclassified") { Description = "Do not fail when images BEFORE classified correctly are misclassified by AFTER (by default they fail: they would leave the success rate's denominator)." };
        var allowPreprocessing = new Option<bool>("--allow-preprocessing-change") { Description = "Compare even when AFTER's model is fed differently than BEFORE's (input or output name, layout, size, scale, mean, std, output kind, backend). Default: refused (exit 2)." };

        var command = new Command("compare", "Compare two models (attacked alike) or two JSON reports: images flipped each way, change in success rate; exit 1 when AFTER regressed.")
        {
            before, after, maxIncrease, significance, jsonBefore, jsonAfter, markdown, quiet, allowNewlyMisclassified, allowPreprocessing,
        };
        settings.AddTo(command);
        command.SetAction(parse => CommandErrors.Guard(cli, () =>
        {
            AttackSettings.CheckOutputs(parse, jsonBefore, jsonAfter, markdown);
            var (beforePath, afterPath) = (parse.GetValue(before)!, parse.GetValue(after)!);
            var allowed = parse.GetValue(maxIncrease);
            var (beforeKind, afterKind) = (KindOf(beforePath), KindOf(afterPath));
            if (beforeKind != afterKind)
                throw new OnePixelException($"{afterPath}: is a {afterKind}, but {beforePath} is a {beforeKind}; expected two models (.onnx) or two JSON reports (.json).");

            AttackReport a, b;
            if (beforeKind == "report")
            {
                if (parse.GetValue(jsonBefore) is not null || parse.GetValue(jsonAfter) is not null)
                    throw new OnePixelException("--json-before, --json-after: only with two models; the reports compared are already JSON.");
                (a, b) = (JsonReportReader.Read(beforePath), JsonReportReader.Read(afterPath));
            }
            else
            {
                (a, b) = AttackBoth(parse, settings, beforePath, afterPath, cli, parse.GetValue(quiet));
                if (parse.GetValue(jsonBefore) is { } pa) JsonReport.Save(a, pa);
                if (parse.GetValue(jsonAfter) is { } pb) JsonReport.Save(b, pb);
            }
            var comparison = ReportComparison.Of(a, b, beforePath, afterPath, parse.GetValue(allowPreprocessing));
            var misclassifiedAllowed = parse.GetValue(allowNewlyMisclassified);
            var level = parse.GetValue(significance);
            var regressions = comparison.Regressions(allowed, misclassifiedAllowed, level);
            Print(cli.Output, comparison, beforePath, afterPath, allowed, level, regressions);
            if (parse.GetValue(markdown) is { } markdownPath) AtomicFile.WriteAllText(markdownPath, comparison.ToMarkdown(allowed, misclassifiedAllowed, level));
            return regressions.Count > 0 ? ExitCodes.GateFails : ExitCodes.GateHolds;
        }));
        return command;
    }

    private static string KindOf(string path)
    {
        if (path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase)) return "model";
        if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) return "report";
        throw new OnePixelException($"{path}: expected a model (.onnx) or a JSON report (.json).");
    }

    /// <summary>Both models, on the images chosen for BEFORE (its sidecar's, or --images), with the same options.</summary>
    private static (AttackReport, AttackReport) AttackBoth(System.CommandLine.ParseResult parse, AttackSettings settings, string beforePath, string afterPath, CliContext cli, bool quiet)
    {
        settings.CheckCombinations(parse);
        var overrides = settings.ModelOverrides(parse);
        var shard = settings.ShardOf(parse);
        using var modelA = AttackSettings.LoadModel(beforePath, overrides);
        using var modelB = AttackSettings.LoadModel(afterPath, overrides);
        var set = settings.LoadImages(parse, modelA, overrides);
        var options = settings.AttackOptions(parse, modelA.Classifier, set);
        var a = AttackSettings.Run(modelA, set, options, shard, cli, quiet);
        var b = AttackSettings.Run(modelB, set, options, shard, cli, quiet);
        return (a, b);
    }

    private static void Print(TextWriter output, ReportComparison comparison, string beforePath, string afterPath, double allowed, double? significance, IReadOnlyList<string> regressions)
    {
        var c = CultureInfo.InvariantCulture;
        var (a, b) = (comparison.Before.Summary, comparison.After.Summary);
        output.WriteLine(string.Create(c, $"before:  {beforePath}: success rate {a.SuccessRate:P1} ({a.Fooled} of {a.Attacked} fooled, {a.Misclassified} misclassified), clean accuracy {a.Accuracy:P1}"));
        output.WriteLine(string.Create(c, $"after:   {afterPath}: success rate {b.SuccessRate:P1} ({b.Fooled} of {b.Attacked} fooled, {b.Misclassified} misclassified), clean accuracy {b.Accuracy:P1}"));
        output.WriteLine(string.Create(c, $"change:  {comparison.SuccessRateChange * 100:+0.0;-0.0;0.0} points"));
        output.WriteLine($"paired:  {comparison.Paired} (images attacked in both)");
        foreach (var change in comparison.PreprocessingChanges) output.WriteLine($"preprocessing changed (allowed): {change}");
        List(output, "now fooled", comparison.NowFooled, comparison.After);
        List(output, "no longer fooled", comparison.NoLongerFooled, comparison.Before);
        if (comparison.NowMisclassified.Count > 0 || comparison.NowClassifiedCorrectly.Count > 0)
            output.WriteLine($"classification: {comparison.NowMisclassified.Count} image(s) now misclassified, {comparison.NowClassifiedCorrectly.Count} now classified correctly");
        if (comparison.NowMisclassified.Count > 0)
            output.WriteLine($"now misclassified: {string.Join(", ", comparison.NowMisclassified.Select(f => $"{f.After.Name} ({comparison.After.ClassName(f.After.Label)} -> {comparison.After.ClassName(f.After.Predicted)})"))}");
        if (SuccessRateRule.NotSignificant(comparison.SuccessRateChange, allowed, significance, comparison.Paired) is { } note)
            output.WriteLine($"note:    {note}");
        output.WriteLine(regressions.Count > 0
            ? $"verdict: REGRESSED: {string.Join("; ", regressions)}"
            : string.Create(c, $"verdict: OK: after's success rate is at most {allowed * 100:F1} points above before's"));
    }

    private static void List(TextWriter output, string title, IReadOnlyList<ComparedResult> flips, AttackReport fooledIn)
    {
        output.WriteLine($"{title}: {flips.Count}");
        foreach (var flip in flips)
        {
            var r = flip.After.Fooled ? flip.After : flip.Before;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {r.Name}: {fooledIn.ClassName(r.Label)} -> {fooledIn.ClassName(r.AdversarialLabel!.Value)} by {string.Join(" ", r.Pixels)}"));
        }
    }
}
