using OnePixel.Testing.Attacks;

namespace OnePixel.Testing.Reports;

/// <summary>A point of the success-rate curve: the share of attacked images fooled within <see cref="Queries"/> queries.</summary>
public readonly record struct BudgetPoint(int Queries, int Fooled, double SuccessRate);

/// <summary>How often one class turned into another.</summary>
public readonly record struct ClassFlip(int From, int To, int Count);

/// <summary>The figures the HTML and Markdown reports draw, computed from a report's results.</summary>
public static class ReportFigures
{
    /// <summary>
    /// The success rate as a function of the query budget: each fooled image counts from the query
    /// at which it was fooled (its <c>queries</c>), so the curve ends at the run's success rate at
    /// its full budget. One point per distinct query count, plus the start and the full budget.
    /// </summary>
    public static IReadOnlyList<BudgetPoint> SuccessByBudget(AttackReport report)
    {
        var attacked = report.Summary.Attacked;
        var points = new List<BudgetPoint> { new(0, 0, 0) };
        var fooled = 0;
        foreach (var group in report.FooledResults.GroupBy(r => r.Queries).OrderBy(g => g.Key))
        {
            fooled += group.Count();
            points.Add(new BudgetPoint(group.Key, fooled, attacked == 0 ? 0 : (double)fooled / attacked));
        }
        var budget = report.Options.Budget.MaxQueries;
        if (points[^1].Queries < budget)
            points.Add(new BudgetPoint(budget, fooled, attacked == 0 ? 0 : (double)fooled / attacked));
        return points;
    }

    /// <summary>The success rate had the budget been <paramref name="queries"/> per image.</summary>
    public static double SuccessRateAt(AttackReport report, int queries) =>
        report.Summary.Attacked == 0 ? 0 : (double)report.FooledResults.Count(r => r.Queries <= queries) / report.Summary.Attacked;

    /// <summary>Which true classes turned into which adversarial classes, most frequent first.</summary>
    public static IReadOnlyList<ClassFlip> ClassFlips(AttackReport report) =>
        Count(report.FooledResults.Select(r => (r.Label, r.AdversarialLabel!.Value)));

    /// <summary>Which true classes the counterexamples of a verification turn into which, most frequent first.</summary>
    public static IReadOnlyList<ClassFlip> ClassFlips(Verification.VerificationReport report) =>
        Count(report.Results.Where(r => r.Vulnerable).Select(r => (r.Label, r.AdversarialLabel!.Value)));

    private static List<ClassFlip> Count(IEnumerable<(int From, int To)> flips) =>
        flips.GroupBy(f => f)
            .Select(g => new ClassFlip(g.Key.From, g.Key.To, g.Count()))
            .OrderByDescending(f => f.Count).ThenBy(f => f.From).ThenBy(f => f.To)
            .ToList();
}
