using OnePixel.Testing.Attacks;
using OnePixel.Testing.Imaging;

namespace OnePixel.Testing.Baselines;

/// <summary>A fresh run against its baseline: what changed, image by image, and whether that is a regression.</summary>
public sealed record BaselineComparison
{
    /// <summary>Why the two cannot be compared (other images, budget, seed, pixels, search or engine); empty when they can.</summary>
    public required IReadOnlyList<string> Mismatches { get; init; }

    /// <summary>Images that resisted in the baseline and are fooled now.</summary>
    public required IReadOnlyList<string> NewlyFooled { get; init; }

    /// <summary>Images fooled in the baseline that resist now.</summary>
    public required IReadOnlyList<string> NewlyResisting { get; init; }

    public required double BaselineSuccessRate { get; init; }
    public required double CurrentSuccessRate { get; init; }
    public double SuccessRateChange => CurrentSuccessRate - BaselineSuccessRate;

    public required BaselinePolicy Policy { get; init; }
    public bool Comparable => Mismatches.Count == 0;

    /// <summary>Comparable, and worse than the policy allows.</summary>
    public bool Regressed => Comparable &&
        (SuccessRateChange > Policy.MaxSuccessRateIncrease + 1e-12 || (Policy.FailOnNewlyFooledImages && NewlyFooled.Count > 0));

    public static BaselineComparison Compare(RobustnessBaseline baseline, AttackReport report, IImageSource images, BaselinePolicy? policy = null)
    {
        policy ??= new BaselinePolicy();
        policy.Validate();
        var current = BaselineFile.FromReport(report, images);
        var mismatches = new List<string>();
        if (baseline.Settings != current.Settings)
            mismatches.Add($"settings differ: baseline {Describe(baseline.Settings)}, now {Describe(current.Settings)}");
        if (baseline.EngineVersion != current.EngineVersion)
            mismatches.Add($"engine version differs: baseline {baseline.EngineVersion}, now {current.EngineVersion}");
        var before = baseline.Images.ToDictionary(i => i.Name);
        var after = current.Images.ToDictionary(i => i.Name);
        var missing = before.Keys.Except(after.Keys).Order(StringComparer.Ordinal).ToList();
        var added = after.Keys.Except(before.Keys).Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0) mismatches.Add($"images missing now: {Names(missing)}");
        if (added.Count > 0) mismatches.Add($"images not in the baseline: {Names(added)}");
        var changed = before.Keys.Intersect(after.Keys).Where(n => before[n].Sha256 != after[n].Sha256 || before[n].Label != after[n].Label).Order(StringComparer.Ordinal).ToList();
        if (changed.Count > 0) mismatches.Add($"images whose content or label changed: {Names(changed)}");

        var common = before.Keys.Intersect(after.Keys).Order(StringComparer.Ordinal).ToList();
        return new BaselineComparison
        {
            Mismatches = mismatches,
            NewlyFooled = common.Where(n => before[n].Outcome == BaselineOutcome.Resisted && after[n].Outcome == BaselineOutcome.Fooled).ToList(),
            NewlyResisting = common.Where(n => before[n].Outcome == BaselineOutcome.Fooled && after[n].Outcome == BaselineOutcome.Resisted).ToList(),
            BaselineSuccessRate = baseline.SuccessRate,
            CurrentSuccessRate = current.SuccessRate,
            Policy = policy,
        };
    }

    /// <summary>The settings a fresh run must use to be compared with <paramref name="baseline"/>.</summary>
    public static AttackOptions OptionsFor(RobustnessBaseline baseline)
    {
        var s = baseline.Settings;
        return new AttackOptions
        {
            Budget = new AttackBudget(s.Budget, s.Population, s.Generations),
            Seed = s.Seed,
            Pixels = s.Pixels,
            Mode = s.Mode == "targeted" ? AttackMode.Targeted : AttackMode.Untargeted,
            Target = s.Target,
            Search = s.Search == "extremes-then-de" ? SearchKind.ExtremesThenEvolution : SearchKind.DifferentialEvolution,
            Fitness = s.Fitness == "margin" ? FitnessKind.Margin : FitnessKind.Probability,
        };
    }

    private static string Describe(BaselineSettings s) =>
        $"budget {s.Budget} (population {s.Population}), seed {s.Seed}, {s.Pixels} pixel(s), {s.Mode}{(s.Target is null ? "" : $" target {s.Target}")}, search {s.Search}, fitness {s.Fitness}";

    private static string Names(List<string> names) => names.Count <= 5 ? string.Join(", ", names) : $"{string.Join(", ", names.Take(5))} and {names.Count - 5} more";
}
