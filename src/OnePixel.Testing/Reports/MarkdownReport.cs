using System.Globalization;
using System.Text;
using OnePixel.Testing.Attacks;

namespace OnePixel.Testing.Reports;

/// <summary>The Markdown report: the summary and tables, short enough for a pull-request comment.</summary>
public static class MarkdownReport
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static string Render(AttackReport report, ReportRenderOptions? options = null)
    {
        options ??= new ReportRenderOptions();
        var s = report.Summary;
        var o = report.Options;
        var md = new StringBuilder();
        md.Append(C, $"### onepixel: `{report.Model?.Path ?? "model"}`\n\n");
        md.Append("| | |\n| --- | --- |\n");
        md.Append(C, $"| images attacked | {s.Attacked:N0} of {s.Images:N0} ({s.Misclassified:N0} already misclassified) |\n");
        md.Append(C, $"| clean accuracy | {s.Accuracy:P1} ({s.Correct:N0} of {s.Images:N0} classified correctly) |\n");
        md.Append(C, $"| fooled | {s.Fooled:N0} |\n");
        md.Append(C, $"| success rate | {s.SuccessRate:P1} (95% interval {s.SuccessRateInterval.Low:P1} to {s.SuccessRateInterval.High:P1}) |\n");
        if (options.Verdict(report) is { } verdict)
            md.Append(C, $"| gate | **{(verdict.Holds ? "PASS" : "FAIL")}**: {Cell(verdict.Describe())} |\n");
        md.Append(C, $"| budget | {o.Budget.MaxQueries:N0} queries per image (population {o.Budget.Population}), at half of it {ReportFigures.SuccessRateAt(report, o.Budget.MaxQueries / 2):P1} |\n");
        md.Append(C, $"| attack | {o.Pixels} pixel{(o.Pixels == 1 ? "" : "s")}, {JsonReport.ModeName(o.Mode)}, seed {o.Seed} |\n");
        if (report.Model is { } model) md.Append(C, $"| model sha256 | `{model.Sha256}` |\n");
        if (report.Model?.Preprocessing is { } preprocessing) md.Append(C, $"| preprocessing | {Cell(preprocessing.ToString())} |\n");

        var fooled = report.FooledResults.ToList();
        if (fooled.Count > 0)
        {
            md.Append(C, $"\n#### Fooled images ({fooled.Count:N0})\n\n");
            md.Append("| image | true class | became | confidence | pixel | queries |\n| --- | --- | --- | --: | --- | --: |\n");
            foreach (var r in fooled.Take(options.MaxFooledShown))
                md.Append(C, $"| {Cell(r.Name)} | {Cell(report.ClassName(r.Label))} | {Cell(report.ClassName(r.AdversarialLabel!.Value))} | {r.AdversarialConfidence:P1} | {Cell(string.Join(" ", r.Pixels))} | {r.Queries:N0} |\n");
            if (fooled.Count > options.MaxFooledShown)
                md.Append(C, $"\nand {fooled.Count - options.MaxFooledShown:N0} more, listed in the JSON report.\n");

            md.Append("\n#### Which classes turn into which\n\n| from | to | images |\n| --- | --- | --: |\n");
            foreach (var flip in ReportFigures.ClassFlips(report))
                md.Append(C, $"| {Cell(report.ClassName(flip.From))} | {Cell(report.ClassName(flip.To))} | {flip.Count} |\n");
        }
        return md.ToString();
    }

    public static void Save(AttackReport report, string path, ReportRenderOptions? options = null) =>
        AtomicFile.WriteAllText(path, Render(report, options));

    /// <summary>A table cell: pipes escaped so a class or file name cannot break the table.</summary>
    internal static string Cell(string text) => text.Replace("|", "\\|").Replace("\n", " ");
}
