using System.Globalization;

namespace OnePixel.Testing.Attacks;

/// <summary>
/// Lets CI choose how hard robustness tests search without touching the tests: a quick run on pull
/// requests (<c>ONEPIXEL_BUDGET_SCALE=0.25</c>), a deep one at night (<c>ONEPIXEL_BUDGET_SCALE=10</c>
/// or <c>ONEPIXEL_BUDGET=paper</c>). The budget a test names is the nominal one;
/// <see cref="BudgetVariable"/> replaces it, then <see cref="ScaleVariable"/> multiplies its queries.
/// </summary>
public static class BudgetEnvironment
{
    /// <summary>A positive number multiplying every test's query budget.</summary>
    public const string ScaleVariable = "ONEPIXEL_BUDGET_SCALE";

    /// <summary>Replaces every test's budget: <c>paper</c>, <c>default</c>, or a number of queries per image.</summary>
    public const string BudgetVariable = "ONEPIXEL_BUDGET";

    /// <summary>The budget in force for <paramref name="nominal"/>, read from this process's environment.</summary>
    public static EffectiveBudget Apply(AttackBudget nominal) => Apply(nominal, Environment.GetEnvironmentVariable);

    /// <summary>The budget in force for <paramref name="nominal"/>, with the variables read through <paramref name="read"/>.</summary>
    public static EffectiveBudget Apply(AttackBudget nominal, Func<string, string?> read)
    {
        var budget = nominal;
        var notes = new List<string>();
        if (read(BudgetVariable) is { Length: > 0 } replacement)
        {
            budget = ParseBudget(replacement.Trim());
            notes.Add($"{BudgetVariable}={replacement.Trim()}");
        }
        if (read(ScaleVariable) is { Length: > 0 } scaleText)
        {
            if (!double.TryParse(scaleText.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var scale) || !double.IsFinite(scale) || scale <= 0)
                throw new OnePixelException($"{ScaleVariable}: expected a positive number such as 0.25 or 10, found '{scaleText}'.");
            budget = budget.Scaled(scale);
            notes.Add($"{ScaleVariable}={scaleText.Trim()}");
        }
        return new EffectiveBudget(budget, nominal, notes.Count == 0 ? null : string.Join(", ", notes));
    }

    private static AttackBudget ParseBudget(string text)
    {
        if (text.Equals("paper", StringComparison.OrdinalIgnoreCase)) return AttackBudget.Paper;
        if (text.Equals("default", StringComparison.OrdinalIgnoreCase)) return AttackBudget.Default;
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var queries))
        {
            try { return AttackBudget.Queries(queries); }
            catch (OnePixelException e) { throw new OnePixelException($"{BudgetVariable}: {e.Message}", e); }
        }
        throw new OnePixelException($"{BudgetVariable}: expected 'paper', 'default' or a number of queries per image such as 1000, found '{text}'.");
    }
}

/// <summary>The budget a run uses, the one the test named, and which environment variables changed it (null when none did).</summary>
public sealed record EffectiveBudget(AttackBudget Budget, AttackBudget Nominal, string? ChangedBy)
{
    public override string ToString() => ChangedBy is null
        ? Budget.ToString()
        : string.Create(CultureInfo.InvariantCulture, $"{Budget} (set by {ChangedBy}; the test names {Nominal.MaxQueries:N0} queries)");
}
