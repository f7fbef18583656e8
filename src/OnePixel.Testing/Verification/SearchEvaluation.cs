using OnePixel.Testing.Attacks;
using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;

namespace OnePixel.Testing.Verification;

/// <summary>One search at one budget, measured against the exhaustive ground truth.</summary>
public sealed record SearchRecall(string Search, int Budget, int Vulnerable, int Found, int FalseFinds, long Queries, double Seconds)
{
    /// <summary>Images fooled / images the exhaustive pass calls vulnerable.</summary>
    public double Recall => Vulnerable == 0 ? 1 : (double)Found / Vulnerable;
}

/// <summary>
/// Measures searches against the exhaustive verdicts: recall as a function of the query budget.
/// A search can only find images that are vulnerable; one that "finds" another is a bug, counted
/// separately so it cannot hide.
/// </summary>
public static class SearchEvaluation
{
    public static IReadOnlyList<SearchRecall> Measure(
        IImageClassifier model,
        ImageSet images,
        VerificationReport truth,
        IEnumerable<(string Name, Func<AttackBudget, AttackOptions> Options)> searches,
        IEnumerable<int> budgets,
        ulong seed,
        IProgress<SearchRecall>? progress = null,
        CancellationToken cancellation = default)
    {
        var vulnerable = truth.Results.Where(r => r.Vulnerable).Select(r => r.Name).ToHashSet();
        var rows = new List<SearchRecall>();
        foreach (var (name, options) in searches)
        foreach (var budget in budgets)
        {
            var report = new AttackRunner(model, options(AttackBudget.Queries(budget)) with { Seed = seed }).Run(images, cancellation: cancellation);
            var fooled = report.Results.Where(r => r.Fooled).Select(r => r.Name).ToHashSet();
            var row = new SearchRecall(name, budget, vulnerable.Count, fooled.Count(vulnerable.Contains), fooled.Count(f => !vulnerable.Contains(f)), report.Summary.Queries, report.Summary.Seconds);
            rows.Add(row);
            progress?.Report(row);
        }
        return rows;
    }
}
