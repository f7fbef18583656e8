using System.Globalization;
using System.Text;
using OnePixel.Testing.Attacks;

namespace OnePixel.Testing.Reports;

/// <summary>One image (towards one target) in both runs of a comparison.</summary>
public sealed record ComparedResult(ImageAttackResult Before, ImageAttackResult After);

/// <summary>
/// Two runs on the same images with the same settings (two model versions, or one model before and
/// after a change): which images flipped each way and how the success rate moved. "After"
/// regresses when its success rate exceeds "before"'s by more than an allowed increase.
/// </summary>
public sealed record ReportComparison
{
    public required AttackReport Before { get; init; }
    public required AttackReport After { get; init; }

    /// <summary>Fooled after, not fooled before (attacked in both).</summary>
    public required IReadOnlyList<ComparedResult> NowFooled { get; init; }

    /// <summary>Fooled before, not fooled after (attacked in both).</summary>
    public required IReadOnlyList<ComparedResult> NoLongerFooled { get; init; }

    /// <summary>Classified correctly before (so attacked), misclassified after (so not attacked).</summary>
    public required IReadOnlyList<ComparedResult> NowMisclassified { get; init; }

    /// <summary>Misclassified before, classified correctly after.</summary>
    public required IReadOnlyList<ComparedResult> NowClassifiedCorrectly { get; init; }

    /// <summary>After's success rate minus before's.</summary>
    public double SuccessRateChange => After.Summary.SuccessRate - Before.Summary.SuccessRate;

    /// <summary>The discordant images (now fooled b, no longer fooled c) and McNemar's exact p-value on them.</summary>
    public Statistics.PairedChange Paired => new(NowFooled.Count, NoLongerFooled.Count);

    /// <summary>How after's model is fed differently from before's, when the comparison was allowed to go ahead anyway.</summary>
    public IReadOnlyList<string> PreprocessingChanges { get; init; } = [];

    /// <summary>
    /// True when after is worse: its success rate exceeds before's by more than <paramref name="maxIncrease"/>
    /// (0 = any increase), nothing was attacked in after, or an image classified correctly before is misclassified
    /// after (a broken model drops images from the success rate's denominator).
    /// </summary>
    public bool Regressed(double maxIncrease) => Regressions(maxIncrease).Count > 0;

    /// <summary>Each way after is worse, in words; <paramref name="allowNewlyMisclassified"/> lets images turn misclassified.</summary>
    public IReadOnlyList<string> Regressions(double maxIncrease, bool allowNewlyMisclassified = false) => Regressions(maxIncrease, allowNewlyMisclassified, null);

    /// <summary>
    /// As the other overload; with a <paramref name="significance"/> level, a rise beyond <paramref name="maxIncrease"/>
    /// counts only when McNemar's exact test on the images that flipped finds it significant (see <see cref="Baselines.SuccessRateRule"/>).
    /// </summary>
    public IReadOnlyList<string> Regressions(double maxIncrease, bool allowNewlyMisclassified, double? significance)
    {
        Statistics.PairedChange.ValidateLevel(significance, "significance");
        var reasons = new List<string>();
        if (After.Summary.Attacked == 0)
            reasons.Add("nothing was attacked in after: no image was classified correctly, so no success rate can be measured");
        if (Baselines.SuccessRateRule.Fails(SuccessRateChange, maxIncrease, significance, Paired))
            reasons.Add(string.Create(CultureInfo.InvariantCulture, $"after's success rate is {SuccessRateChange * 100:F1} points above before's (allowed {maxIncrease * 100:F1}){Baselines.SuccessRateRule.Evidence(significance, Paired)}"));
        if (!allowNewlyMisclassified && NowMisclassified.Count > 0)
            reasons.Add($"{NowMisclassified.Count} image{(NowMisclassified.Count == 1 ? "" : "s")} classified correctly before {(NowMisclassified.Count == 1 ? "is" : "are")} misclassified after");
        return reasons;
    }

    /// <summary>
    /// Compares two reports; both must use the same attack settings and cover the same images, and feed
    /// their models alike (the same preprocessing record) unless <paramref name="allowPreprocessingChanges"/>.
    /// </summary>
    public static ReportComparison Of(AttackReport before, AttackReport after, string beforeName = "before", string afterName = "after", bool allowPreprocessingChanges = false)
    {
        var (a, b) = (ReportMerger.SettingsOf(before.Options), ReportMerger.SettingsOf(after.Options));
        if (a != b)
            throw new OnePixelException($"{afterName}: attack settings {b}, but {beforeName} has {a}; expected runs with the same budget, seed, pixels and mode.");
        var preprocessing = Models.ModelPreprocessing.Mismatches(before.Model?.Preprocessing, after.Model?.Preprocessing, $"in {beforeName}", $"in {afterName}");
        if (preprocessing.Count > 0 && !allowPreprocessingChanges)
            throw new OnePixelException($"{afterName}: feeds its model differently than {beforeName}: {string.Join("; ", preprocessing)}; expected the same preprocessing, or --allow-preprocessing-change for a new version that takes other input.");
        var beforeResults = Key(before, beforeName);
        var afterResults = Key(after, afterName);
        var onlyBefore = beforeResults.Keys.Except(afterResults.Keys).ToList();
        var onlyAfter = afterResults.Keys.Except(beforeResults.Keys).ToList();
        if (onlyBefore.Count > 0 || onlyAfter.Count > 0)
        {
            static string List(List<(string Name, int Target)> keys) => string.Join(", ", keys.Take(3).Select(k => $"'{k.Name}'")) + (keys.Count > 3 ? $" and {keys.Count - 3} more" : "");
            var problems = new List<string>();
            if (onlyBefore.Count > 0) problems.Add($"{onlyBefore.Count} only in {beforeName} ({List(onlyBefore)})");
            if (onlyAfter.Count > 0) problems.Add($"{onlyAfter.Count} only in {afterName} ({List(onlyAfter)})");
            throw new OnePixelException($"{afterName}: covers different images than {beforeName}: {string.Join("; ", problems)}; expected runs on the same images.");
        }
        var pairs = before.Results.Select(r => new ComparedResult(r, afterResults[(r.Name, r.Target ?? -1)])).ToList();
        return new ReportComparison
        {
            Before = before,
            After = after,
            NowFooled = pairs.Where(p => p.Before.Attacked && p.After.Attacked && !p.Before.Fooled && p.After.Fooled).ToList(),
            NoLongerFooled = pairs.Where(p => p.Before.Attacked && p.After.Attacked && p.Before.Fooled && !p.After.Fooled).ToList(),
            NowMisclassified = pairs.Where(p => p.Before.StopReason != StopReason.AlreadyMisclassified && p.After.StopReason == StopReason.AlreadyMisclassified).ToList(),
            NowClassifiedCorrectly = pairs.Where(p => p.Before.StopReason == StopReason.AlreadyMisclassified && p.After.StopReason != StopReason.AlreadyMisclassified).ToList(),
            PreprocessingChanges = preprocessing,
        };
    }

    private static Dictionary<(string Name, int Target), ImageAttackResult> Key(AttackReport report, string name)
    {
        var keyed = new Dictionary<(string, int), ImageAttackResult>();
        foreach (var result in report.Results)
            if (!keyed.TryAdd((result.Name, result.Target ?? -1), result))
                throw new OnePixelException($"{name}: lists image '{result.Name}' twice; expected each image once.");
        return keyed;
    }

    /// <summary>The comparison as Markdown, for a pull-request comment.</summary>
    public string ToMarkdown(double maxIncrease = 0, bool allowNewlyMisclassified = false) => ToMarkdown(maxIncrease, allowNewlyMisclassified, null);

    /// <summary>The comparison as Markdown, judged with a significance level (see <see cref="Regressions(double, bool, double?)"/>).</summary>
    public string ToMarkdown(double maxIncrease, bool allowNewlyMisclassified, double? significance)
    {
        var c = CultureInfo.InvariantCulture;
        var (sa, sb) = (Before.Summary, After.Summary);
        var md = new StringBuilder();
        md.Append(c, $"### onepixel compare: `{Before.Model?.Path ?? "before"}` → `{After.Model?.Path ?? "after"}`\n\n");
        md.Append("| | before | after | change |\n| --- | --: | --: | --: |\n");
        md.Append(c, $"| success rate | {sa.SuccessRate:P1} | {sb.SuccessRate:P1} | {SuccessRateChange * 100:+0.0;-0.0;0.0} points |\n");
        md.Append(c, $"| fooled | {sa.Fooled} of {sa.Attacked} | {sb.Fooled} of {sb.Attacked} | {sb.Fooled - sa.Fooled:+0;-0;0} |\n");
        md.Append(c, $"| misclassified | {sa.Misclassified} | {sb.Misclassified} | {sb.Misclassified - sa.Misclassified:+0;-0;0} |\n");
        md.Append(c, $"| clean accuracy | {sa.Accuracy:P1} | {sb.Accuracy:P1} | {(sb.Accuracy - sa.Accuracy) * 100:+0.0;-0.0;0.0} points |\n");
        md.Append(c, $"\nPaired test on the images attacked in both: {Paired}.\n");
        var regressions = Regressions(maxIncrease, allowNewlyMisclassified, significance);
        md.Append(c, $"\n**{(regressions.Count > 0 ? "REGRESSED" : "OK")}**: {NowFooled.Count} image(s) now fooled, {NoLongerFooled.Count} no longer fooled, {NowMisclassified.Count} now misclassified (allowed increase {maxIncrease:P1}).\n");
        foreach (var reason in regressions) md.Append("- ").Append(reason).Append('\n');
        if (Baselines.SuccessRateRule.NotSignificant(SuccessRateChange, maxIncrease, significance, Paired) is { } note) md.Append("- ").Append(note).Append('\n');
        foreach (var change in PreprocessingChanges) md.Append("- preprocessing changed (allowed): ").Append(MarkdownReport.Cell(change)).Append('\n');
        Flips(md, "Now fooled", NowFooled, After);
        Flips(md, "No longer fooled", NoLongerFooled, Before);
        if (NowMisclassified.Count > 0)
        {
            md.Append(c, $"\n#### Now misclassified ({NowMisclassified.Count})\n\n| image | true class | classified as |\n| --- | --- | --- |\n");
            foreach (var flip in NowMisclassified.Take(50))
                md.Append(c, $"| {MarkdownReport.Cell(flip.After.Name)} | {MarkdownReport.Cell(After.ClassName(flip.After.Label))} | {MarkdownReport.Cell(After.ClassName(flip.After.Predicted))} |\n");
            if (NowMisclassified.Count > 50) md.Append(c, $"\nand {NowMisclassified.Count - 50} more.\n");
        }
        return md.ToString();
    }

    private static void Flips(StringBuilder md, string title, IReadOnlyList<ComparedResult> flips, AttackReport fooledIn)
    {
        if (flips.Count == 0) return;
        md.Append(CultureInfo.InvariantCulture, $"\n#### {title} ({flips.Count})\n\n| image | true class | became | pixel |\n| --- | --- | --- | --- |\n");
        foreach (var flip in flips.Take(50))
        {
            var r = flip.After.Fooled ? flip.After : flip.Before; // the run in which it was fooled
            md.Append(CultureInfo.InvariantCulture, $"| {MarkdownReport.Cell(r.Name)} | {MarkdownReport.Cell(fooledIn.ClassName(r.Label))} | {MarkdownReport.Cell(fooledIn.ClassName(r.AdversarialLabel!.Value))} | {MarkdownReport.Cell(string.Join(" ", r.Pixels))} |\n");
        }
        if (flips.Count > 50) md.Append(CultureInfo.InvariantCulture, $"\nand {flips.Count - 50} more.\n");
    }
}
