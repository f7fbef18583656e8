using OnePixel.Testing.Attacks;
using OnePixel.Testing.Baselines;

namespace OnePixel.Testing.History;

/// <summary>
/// One model version's one-pixel robustness: a line of a history file (JSON Lines, committed beside the model).
/// It holds what a baseline holds (the model, how it was fed, the engine version, the settings and, per image, its
/// content hash and outcome), so any two records can be compared image by image, plus the headline figures, the
/// fooling pixels (for the trend page's pictures), where the images are, and when and under which label it was made.
/// Fields are only ever added.
/// </summary>
public sealed record HistoryRecord
{
    public const int CurrentSchema = 1;

    public int Schema { get; init; } = CurrentSchema;

    /// <summary>The version's name: "v3", a date, a commit. Unique within a history.</summary>
    public required string Label { get; init; }

    /// <summary>When the record was made, or the date given for it: ISO 8601 ("2026-11-29" or "2026-11-29T21:35:00Z").</summary>
    public required string Date { get; init; }

    /// <summary>The model file (relative to the history file's folder), its sha256 and how it was fed.</summary>
    public required ModelIdentity Model { get; init; }

    public required string EngineVersion { get; init; }

    /// <summary>The settings that decide an attack's outcome, as a baseline records them.</summary>
    public required BaselineSettings Settings { get; init; }

    /// <summary>Where the images are and which of them were attacked, with a hash of their names, contents and labels.</summary>
    public required HistoryImageSet ImageSet { get; init; }

    public required int Images { get; init; }

    /// <summary>Images classified correctly before any attack.</summary>
    public required int Correct { get; init; }

    /// <summary>Clean accuracy: correct / images.</summary>
    public required double Accuracy { get; init; }

    public required int Attacked { get; init; }
    public required int Fooled { get; init; }

    /// <summary>fooled / attacked (0 when nothing was attacked).</summary>
    public required double SuccessRate { get; init; }

    public required HistoryInterval SuccessRateInterval { get; init; }

    /// <summary>The exhaustive verification's figures, when one ran on the same images.</summary>
    public HistoryVerification? Verification { get; init; }

    /// <summary>The version's baseline file (relative to the history file's folder), when one was named.</summary>
    public string? Baseline { get; init; }

    public IReadOnlyList<string>? Classes { get; init; }

    /// <summary>One entry per image, in the run's order.</summary>
    public required IReadOnlyList<HistoryResult> Results { get; init; }

    /// <summary>The class name for an index, or the index itself when names are unknown.</summary>
    public string ClassName(int label) => Classes is { } names && label >= 0 && label < names.Count ? names[label] : label.ToString();

    /// <summary>The record as a baseline: what comparisons (<see cref="BaselineComparison"/>) are made on.</summary>
    public RobustnessBaseline ToBaseline() => new()
    {
        Model = Model,
        EngineVersion = EngineVersion,
        Settings = Settings,
        Images = Results.Select(r => new BaselineImage(r.Name, r.Sha256, r.Label, r.Outcome, r.AdversarialLabel)).ToList(),
    };
}

/// <summary>
/// The images of a record: <see cref="Source"/> (relative to the history file's folder when it is below the same
/// root), the IDX labels file if any, the positions attacked (as --indices reads them), and a sha256 over every
/// image's name, content hash and label in order: two records on equal hashes ran on the same images.
/// </summary>
public sealed record HistoryImageSet(string Source, string? Labels, string Indices, string Sha256);

/// <summary>A 95% interval of a rate, and how it was made ("wilson-95").</summary>
public sealed record HistoryInterval(double Low, double High, string Method);

/// <summary>An exhaustive verification's figures: correctly classified images checked, those with a one-pixel counterexample, and whether it was exact.</summary>
public sealed record HistoryVerification(int Checked, int Vulnerable, double VulnerableRate, bool Exact);

/// <summary>One image of a record: its identity, its outcome, and how it was fooled (or misclassified).</summary>
public sealed record HistoryResult(string Name, string Sha256, int Label, BaselineOutcome Outcome)
{
    /// <summary>The class the unchanged image was taken for, when misclassified.</summary>
    public int? Predicted { get; init; }

    /// <summary>The class of the adversarial image, when fooled.</summary>
    public int? AdversarialLabel { get; init; }

    /// <summary>The pixels that fooled it, when fooled.</summary>
    public IReadOnlyList<PixelChange>? Pixels { get; init; }
}
