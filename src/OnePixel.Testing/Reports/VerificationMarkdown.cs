using System.Globalization;
using System.Text;
using OnePixel.Testing.Verification;

namespace OnePixel.Testing.Reports;

/// <summary>The Markdown page of `onepixel verify`: the summary and the counterexamples, short enough for a pull-request comment.</summary>
public static class VerificationMarkdown
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static string Render(VerificationReport report, ReportRenderOptions? options = null)
    {
        options ??= new ReportRenderOptions();
        var md = new StringBuilder();
        var summary = report.Summary;
        md.Append(C, $"### onepixel verify: `{report.Model?.Path ?? "model"}`\n\n");
        md.Append("| | |\n| --- | --- |\n");
        md.Append(C, $"| images checked | {report.Checked:N0} of {report.Images:N0} ({summary.Misclassified:N0} already misclassified) |\n");
        md.Append(C, $"| clean accuracy | {summary.Accuracy:P1} ({summary.Correct:N0} of {report.Images:N0} classified correctly) |\n");
        md.Append(C, $"| certified | {report.Certified:N0} |\n");
        md.Append(C, $"| counterexamples | {report.Vulnerable:N0} ({report.VulnerableRate:P1} of the checked images) |\n");
        if (report.Undecided > 0) md.Append(C, $"| undecided | {report.Undecided:N0} (the time limit came first; not a certificate) |\n");
        if (report.NoneFoundOnGrid > 0) md.Append(C, $"| none found on the grid | {report.NoneFoundOnGrid:N0} (not a certificate) |\n");
        if (options.Verdict(report) is { } verdict)
            md.Append(C, $"| gate | **{(verdict.Holds ? "PASS" : "FAIL")}**: {MarkdownReport.Cell(verdict.Describe())} |\n");
        md.Append(C, $"| method | {VerificationJson.MethodName(report.Method)}{(report.Exact ? " (exact)" : " (not exact)")}{(report.Options.MaxSeconds is { } limit ? $", at most {limit} s per image" : "")} |\n");
        if (report.Model is { } model) md.Append(C, $"| model sha256 | `{model.Sha256}` |\n");
        if (report.Model?.Preprocessing is { } preprocessing) md.Append(C, $"| preprocessing | {MarkdownReport.Cell(preprocessing.ToString())} |\n");
        md.Append(C, $"| queries | {report.Queries:N0} in {report.Seconds:F1} s |\n");
        md.Append('\n').Append(VerificationHtml.Guarantee(report)).Append('\n');

        var vulnerable = report.Results.Where(r => r.Vulnerable).ToList();
        if (vulnerable.Count > 0)
        {
            md.Append(C, $"\n#### Counterexamples ({vulnerable.Count:N0})\n\n");
            md.Append("| image | true class | becomes | confidence | pixel |\n| --- | --- | --- | --: | --- |\n");
            foreach (var r in vulnerable.Take(options.MaxFooledShown))
                md.Append(C, $"| {MarkdownReport.Cell(r.Name)} | {MarkdownReport.Cell(report.ClassName(r.Label))} | {MarkdownReport.Cell(report.ClassName(r.AdversarialLabel!.Value))} | {r.AdversarialConfidence:P1} | {MarkdownReport.Cell(r.Counterexample!.ToString())} |\n");
            if (vulnerable.Count > options.MaxFooledShown)
                md.Append(C, $"\nand {vulnerable.Count - options.MaxFooledShown:N0} more, listed in the JSON report.\n");
        }
        var open = report.Results.Where(r => r.Verdict is VerificationVerdict.Undecided or VerificationVerdict.NoneFoundOnGrid).ToList();
        if (open.Count > 0)
        {
            md.Append(C, $"\n#### Not certified, no counterexample ({open.Count:N0})\n\n");
            md.Append(string.Join(", ", open.Take(options.MaxFooledShown).Select(r => $"`{r.Name}` ({VerificationJson.VerdictName(r.Verdict)})")));
            if (open.Count > options.MaxFooledShown) md.Append(C, $", and {open.Count - options.MaxFooledShown:N0} more");
            md.Append('\n');
        }
        return md.ToString();
    }

    public static void Save(VerificationReport report, string path, ReportRenderOptions? options = null) =>
        AtomicFile.WriteAllText(path, Render(report, options));
}
