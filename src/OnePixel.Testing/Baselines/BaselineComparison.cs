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

    /// <summary>Images the baseline's model classified correctly (resisted or fooled) that are misclassified now.</summary>
    public IReadOnlyList<string> NewlyMisclassified { get; init; } = [];

    /// <summary>Images misclassified in the baseline that are classified correctly now.</summary>
    public IReadOnlyList<string> NewlyClassifiedCorrectly { get; init; } = [];

    public required double BaselineSuccessRate { get; init; }
    public required double CurrentSuccessRate { get; init; }
    public double SuccessRateChange => CurrentSuccessRate - BaselineSuccessRate;

    /// <summary>Clean accuracy (correct / images) in the baseline and now.</summary>
    public double BaselineAccuracy { get; init; }
    public double CurrentAccuracy { get; init; }

    /// <summary>Images attacked now; 0 means the success rate is not measured at all.</summary>
    public int CurrentAttacked { get; init; }

    /// <summary>
    /// How the model is fed differently from the baseline's, when <see cref="BaselinePolicy.AllowPreprocessingChanges"/>
    /// let the comparison go ahead (otherwise those differences are <see cref="Mismatches"/>).
    /// </summary>
    public IReadOnlyList<string> PreprocessingChanges { get; init; } = [];

    public required BaselinePolicy Policy { get; init; }
    public bool Comparable => Mismatches.Count == 0;

    /// <summary>The discordant images (newly fooled b, newly resisting c) and McNemar's exact p-value on them.</summary>
    public Statistics.PairedChange Paired => new(NewlyFooled.Count, NewlyResisting.Count);

    /// <summary>
    /// A rise of the success rate beyond the allowed increase that the paired test does not find significant at
    /// <see cref="BaselinePolicy.Significance"/>, in words; null when there is none (or no level was asked for).
    /// </summary>
    public string? InsignificantRise => Comparable ? SuccessRateRule.NotSignificant(SuccessRateChange, Policy.MaxSuccessRateIncrease, Policy.Significance, Paired) : null;

    /// <summary>Comparable, and worse than the policy allows: see <see cref="Regressions"/>.</summary>
    public bool Regressed => Comparable && Regressions.Count > 0;

    /// <summary>Each way the run is worse than the policy allows, in words; empty when it is not (or when not comparable).</summary>
    public IReadOnlyList<string> Regressions
    {
        get
        {
            var c = System.Globalization.CultureInfo.InvariantCulture;
            var reasons = new List<string>();
            if (!Comparable) return reasons;
            if (CurrentAttacked == 0)
                reasons.Add("nothing was attacked now: no image was classified correctly, so no success rate can be measured");
            if (SuccessRateRule.Fails(SuccessRateChange, Policy.MaxSuccessRateIncrease, Policy.Significance, Paired))
                reasons.Add(string.Create(c, $"the success rate rose by {SuccessRateChange * 100:0.0} points (at most +{Policy.MaxSuccessRateIncrease * 100:0.0} allowed){SuccessRateRule.Evidence(Policy.Significance, Paired)}"));
            if (Policy.FailOnNewlyFooledImages && NewlyFooled.Count > 0)
                reasons.Add($"{NewlyFooled.Count} image{(NewlyFooled.Count == 1 ? "" : "s")} that resisted in the baseline {(NewlyFooled.Count == 1 ? "is" : "are")} fooled now");
            if (Policy.FailOnNewlyMisclassifiedImages && NewlyMisclassified.Count > 0)
                reasons.Add($"{NewlyMisclassified.Count} image{(NewlyMisclassified.Count == 1 ? "" : "s")} classified correctly in the baseline {(NewlyMisclassified.Count == 1 ? "is" : "are")} misclassified now");
            if (Policy.MinAccuracy is { } floor && CurrentAccuracy < floor)
                reasons.Add(string.Create(c, $"clean accuracy {CurrentAccuracy:P1} is below the minimum {floor:P1}"));
            return reasons;
        }
    }

    public static BaselineComparison Compare(RobustnessBaseline baseline, AttackReport report, IImageSource images, BaselinePolicy? policy = null)
    {
        policy ??= new BaselinePolicy();
        policy.Validate();
        return Compare(baseline, BaselineFile.FromReport(report, images), policy);
    }

    /// <summary>A fresh run's record (<paramref name="current"/>, from <see cref="BaselineFile.FromReport"/>) compared with its baseline image by image.</summary>
    public static BaselineComparison Compare(RobustnessBaseline baseline, RobustnessBaseline current, BaselinePolicy? policy = null) =>
        Compare(baseline, current, policy, ("baseline", "now", "in the baseline", "now"));

    /// <summary>
    /// Two versions' records compared image by image, as a history compares consecutive versions: the messages name
    /// them by <paramref name="beforeLabel"/> and <paramref name="afterLabel"/> ("scale: 255 in v3, 1 in v4"; an
    /// <paramref name="afterLabel"/> of "now" reads "scale: 255 in v3, 1 now", for a fresh run).
    /// </summary>
    public static BaselineComparison Compare(RobustnessBaseline before, RobustnessBaseline after, BaselinePolicy? policy, string beforeLabel, string afterLabel) =>
        Compare(before, after, policy, (beforeLabel, afterLabel, $"in {beforeLabel}", afterLabel == "now" ? "now" : $"in {afterLabel}"));

    private static BaselineComparison Compare(RobustnessBaseline baseline, RobustnessBaseline current, BaselinePolicy? policy,
        (string Before, string After, string InBefore, string InAfter) names)
    {
        policy ??= new BaselinePolicy();
        policy.Validate();
        var mismatches = new List<string>();
        if (baseline.Settings != current.Settings)
            mismatches.Add($"settings differ: {names.Before} {Describe(baseline.Settings)}, {names.After} {Describe(current.Settings)}");
        var preprocessing = Models.ModelPreprocessing.Mismatches(baseline.Model.Preprocessing, current.Model.Preprocessing, names.InBefore, names.InAfter);
        if (!policy.AllowPreprocessingChanges)
            mismatches.AddRange(preprocessing.Select(p => $"the model is fed differently: {p}"));
        if (baseline.EngineVersion != current.EngineVersion)
            mismatches.Add($"engine version differs: {names.Before} {baseline.EngineVersion}, {names.After} {current.EngineVersion}");
        var before = baseline.Images.ToDictionary(i => i.Name);
        var after = current.Images.ToDictionary(i => i.Name);
        var missing = before.Keys.Except(after.Keys).Order(StringComparer.Ordinal).ToList();
        var added = after.Keys.Except(before.Keys).Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0) mismatches.Add($"images missing {names.InAfter}: {Names(missing)}");
        if (added.Count > 0) mismatches.Add($"images not {names.InBefore}: {Names(added)}");
        var changed = before.Keys.Intersect(after.Keys).Where(n => before[n].Sha256 != after[n].Sha256 || before[n].Label != after[n].Label).Order(StringComparer.Ordinal).ToList();
        if (changed.Count > 0) mismatches.Add($"images whose content or label changed: {Names(changed)}");

        var common = before.Keys.Intersect(after.Keys).Order(StringComparer.Ordinal).ToList();
        return new BaselineComparison
        {
            Mismatches = mismatches,
            NewlyFooled = common.Where(n => before[n].Outcome == BaselineOutcome.Resisted && after[n].Outcome == BaselineOutcome.Fooled).ToList(),
            NewlyResisting = common.Where(n => before[n].Outcome == BaselineOutcome.Fooled && after[n].Outcome == BaselineOutcome.Resisted).ToList(),
            NewlyMisclassified = common.Where(n => before[n].Outcome != BaselineOutcome.Misclassified && after[n].Outcome == BaselineOutcome.Misclassified).ToList(),
            NewlyClassifiedCorrectly = common.Where(n => before[n].Outcome == BaselineOutcome.Misclassified && after[n].Outcome != BaselineOutcome.Misclassified).ToList(),
            BaselineSuccessRate = baseline.SuccessRate,
            CurrentSuccessRate = current.SuccessRate,
            BaselineAccuracy = baseline.Accuracy,
            CurrentAccuracy = current.Accuracy,
            CurrentAttacked = current.Attacked,
            PreprocessingChanges = policy.AllowPreprocessingChanges ? preprocessing : [],
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
