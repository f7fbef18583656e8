using System.Globalization;
using System.Text;
using OnePixel.Testing.History;
using OnePixel.Testing.Statistics;

namespace OnePixel.Testing.Reports;

/// <summary>
/// A history's trend as a table, one row per model version (for a terminal, or Markdown for a pull-request
/// comment), then what changed at each step: the paired test, the images that flipped, or why the trend breaks.
/// </summary>
public static class HistoryTable
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    private static readonly string[] Header =
        ["version", "date", "model", "accuracy", "fooled", "success rate", "95% interval", "change", "newly fooled / resisting", "McNemar p", "verified vulnerable"];

    /// <summary>The rows' cells, the header first; the verified vulnerable rate only when some version has one.</summary>
    public static IReadOnlyList<string[]> Rows(RobustnessTrend trend)
    {
        var verified = trend.Records.Any(r => r.Verification is not null);
        var rows = new List<string[]> { verified ? Header : Header[..^1] };
        for (var i = 0; i < trend.Records.Count; i++)
        {
            var r = trend.Records[i];
            var step = i == 0 ? null : trend.Steps[i - 1];
            var direction = step is null ? 0 : trend.SignificantDirection(step);
            rows.Add(
            [
                r.Label,
                r.Date.Length > 10 ? r.Date[..10] : r.Date,
                Path.GetFileName(r.Model.Path),
                string.Create(C, $"{r.Accuracy:P1}"),
                string.Create(C, $"{r.Fooled} of {r.Attacked}"),
                string.Create(C, $"{r.SuccessRate:P1}"),
                string.Create(C, $"{r.SuccessRateInterval.Low:P1}..{r.SuccessRateInterval.High:P1}"),
                step is null ? "" : step.Comparable ? string.Create(C, $"{step.Change * 100:+0.0;-0.0;0.0} points") : "not compared",
                step is { Comparable: true } ? string.Create(C, $"{step.Paired.NewlyFooled} / {step.Paired.NewlyResisting}") : "",
                step is { Comparable: true } ? PairedChange.Format(step.Paired.PValue) + (direction > 0 ? " (significant rise)" : direction < 0 ? " (significant fall)" : "") : "",
                r.Verification is { } v ? string.Create(C, $"{v.VulnerableRate:P1} ({v.Vulnerable} of {v.Checked}{(v.Exact ? "" : ", not exact")})") : "",
            ]);
            if (!verified) rows[^1] = rows[^1][..^1];
        }
        return rows;
    }

    /// <summary>The table with aligned columns, then a line per step.</summary>
    public static string Text(RobustnessTrend trend)
    {
        var rows = Rows(trend);
        var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var row in rows)
            text.Append(string.Join("  ", row.Select((cell, c) => cell.PadRight(widths[c]))).TrimEnd()).Append('\n');
        text.Append('\n');
        foreach (var step in trend.Steps) text.Append(StepLine(trend, step)).Append('\n');
        text.Append("trend: ").Append(trend.Line()).Append('\n');
        return text.ToString();
    }

    /// <summary>The table in Markdown, then a line per step.</summary>
    public static string Markdown(RobustnessTrend trend, string title)
    {
        var rows = Rows(trend);
        var md = new StringBuilder();
        md.Append(C, $"### onepixel history: `{title}`\n\n");
        md.Append("| ").Append(string.Join(" | ", rows[0])).Append(" |\n");
        md.Append("| ").Append(string.Join(" | ", rows[0].Select((_, c) => c >= 3 ? "--:" : "---"))).Append(" |\n");
        foreach (var row in rows.Skip(1)) md.Append("| ").Append(string.Join(" | ", row.Select(MarkdownReport.Cell))).Append(" |\n");
        md.Append('\n');
        foreach (var step in trend.Steps) md.Append("- ").Append(MarkdownReport.Cell(StepLine(trend, step))).Append('\n');
        md.Append(C, $"\nMcNemar's exact test on the images attacked in both versions; significant at level {trend.Significance}.\n");
        return md.ToString();
    }

    /// <summary>
    /// "v1 -> v2: +44.8 points; 38 newly fooled, 1 newly resisting: McNemar exact p = 1.5e-10, a significant rise at level 0.05; 3 newly misclassified",
    /// or "v3 | v4: not compared: settings differ: ...".
    /// </summary>
    public static string StepLine(RobustnessTrend trend, TrendStep step)
    {
        if (!step.Comparable) return $"{step.Before.Label} | {step.After.Label}: not compared: {string.Join("; ", step.Breaks)}";
        var c = step.Comparison;
        var direction = trend.SignificantDirection(step);
        var text = new StringBuilder(string.Create(C, $"{step.Before.Label} -> {step.After.Label}: {step.Change * 100:+0.0;-0.0;0.0} points; {step.Paired}"));
        text.Append(direction > 0 ? string.Create(C, $", a significant rise at level {trend.Significance}")
            : direction < 0 ? string.Create(C, $", a significant fall at level {trend.Significance}")
            : string.Create(C, $", not significant at level {trend.Significance}"));
        if (c.NewlyMisclassified.Count > 0) text.Append(C, $"; {c.NewlyMisclassified.Count} newly misclassified");
        if (c.NewlyClassifiedCorrectly.Count > 0) text.Append(C, $"; {c.NewlyClassifiedCorrectly.Count} newly classified correctly");
        foreach (var change in c.PreprocessingChanges) text.Append("; preprocessing changed: ").Append(change);
        return text.ToString();
    }
}
