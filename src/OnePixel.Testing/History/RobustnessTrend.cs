using System.Globalization;
using OnePixel.Testing.Baselines;
using OnePixel.Testing.Statistics;

namespace OnePixel.Testing.History;

/// <summary>
/// Two consecutive records of a history compared image by image: the images that flipped, the paired test on
/// them, and how the version's preprocessing changed; or, when they were made with other settings, images or
/// engine versions, why they are not compared (<see cref="Breaks"/>).
/// </summary>
public sealed record TrendStep(HistoryRecord Before, HistoryRecord After, BaselineComparison Comparison)
{
    public bool Comparable => Comparison.Comparable;

    /// <summary>Why the two are not compared (empty when they are): the trend breaks here.</summary>
    public IReadOnlyList<string> Breaks => Comparison.Mismatches;

    public PairedChange Paired => Comparison.Paired;

    /// <summary>After's success rate minus before's.</summary>
    public double Change => After.SuccessRate - Before.SuccessRate;
}

/// <summary>
/// A model's robustness release by release: every record of a history, and each consecutive pair compared where
/// they can be (the same settings, images and engine version), with McNemar's exact test on the images that
/// flipped. A record made differently is kept and shown, and the trend breaks there instead of comparing it.
/// </summary>
public sealed record RobustnessTrend
{
    /// <summary>The level at which a change is marked significant, unless another is asked for.</summary>
    public const double DefaultSignificance = 0.05;

    public required IReadOnlyList<HistoryRecord> Records { get; init; }

    /// <summary>One step per consecutive pair of records: Steps[i] goes from Records[i] to Records[i + 1].</summary>
    public required IReadOnlyList<TrendStep> Steps { get; init; }

    /// <summary>The level at which steps are marked significant.</summary>
    public required double Significance { get; init; }

    public static RobustnessTrend Of(IReadOnlyList<HistoryRecord> records, double significance = DefaultSignificance)
    {
        PairedChange.ValidateLevel(significance, "significance");
        // A new version may be fed differently on purpose: listed with its step, not a reason to break the trend.
        var policy = new BaselinePolicy { AllowPreprocessingChanges = true, Significance = significance };
        var steps = records.Zip(records.Skip(1), (a, b) => new TrendStep(a, b, BaselineComparison.Compare(a.ToBaseline(), b.ToBaseline(), policy, a.Label, b.Label))).ToList();
        return new RobustnessTrend { Records = records, Steps = steps, Significance = significance };
    }

    /// <summary>Whether <paramref name="step"/> changed the success rate significantly, and which way: +1 a rise, -1 a fall, 0 neither.</summary>
    public int SignificantDirection(TrendStep step) =>
        !step.Comparable ? 0 : step.Paired.SignificantRise(Significance) ? 1 : step.Paired.SignificantFall(Significance) ? -1 : 0;

    /// <summary>
    /// The records <paramref name="record"/> can be compared with: made with the same settings, on the same images,
    /// by the same engine version (the model may differ, which is the point).
    /// </summary>
    public static bool Comparable(HistoryRecord record, HistoryRecord other) =>
        record.Settings == other.Settings && record.ImageSet.Sha256 == other.ImageSet.Sha256 && record.EngineVersion == other.EngineVersion;

    /// <summary>
    /// "v1 8.0 % -> v2 52.8 % (rise, p = 1.5e-10) -> v3 3.4 % (fall, p = 2e-12)"; " | " where the trend breaks.
    /// </summary>
    public string Line()
    {
        var c = CultureInfo.InvariantCulture;
        if (Records.Count == 0) return "(no records)";
        var text = new System.Text.StringBuilder(string.Create(c, $"{Records[0].Label} {Records[0].SuccessRate:P1}"));
        foreach (var step in Steps)
        {
            text.Append(step.Comparable ? " -> " : " | ");
            text.Append(string.Create(c, $"{step.After.Label} {step.After.SuccessRate:P1}"));
            var direction = SignificantDirection(step);
            if (direction != 0) text.Append(string.Create(c, $" ({(direction > 0 ? "significant rise" : "significant fall")}, p = {PairedChange.Format(step.Paired.PValue)})"));
        }
        return text.ToString();
    }
}
