using OnePixel.Testing.Attacks;

namespace OnePixel.Testing.Baselines;

/// <summary>
/// A model's one-pixel robustness at one moment, committed next to the model or the tests: what a
/// later model version is compared against, image by image. It records everything that decides the
/// outcome (image contents, budget, seed, pixels, search, engine version, and in <see cref="ModelIdentity.Preprocessing"/>
/// how the model was fed), so that a comparison with a run made differently is refused rather than misread.
/// </summary>
public sealed record RobustnessBaseline
{
    public const int CurrentSchema = 1;

    public int Schema { get; init; } = CurrentSchema;
    public required ModelIdentity Model { get; init; }
    public required string EngineVersion { get; init; }
    public required BaselineSettings Settings { get; init; }
    public required IReadOnlyList<BaselineImage> Images { get; init; }

    public int Attacked => Images.Count(i => i.Outcome is BaselineOutcome.Resisted or BaselineOutcome.Fooled);
    public int Fooled => Images.Count(i => i.Outcome == BaselineOutcome.Fooled);
    public double SuccessRate => Attacked == 0 ? 0 : (double)Fooled / Attacked;

    /// <summary>Clean accuracy: images classified correctly / images.</summary>
    public double Accuracy => Images.Count == 0 ? 0 : (double)Images.Count(i => i.Outcome != BaselineOutcome.Misclassified) / Images.Count;
}

/// <summary>The settings that decide an attack's outcome; two runs are comparable only when these are equal.</summary>
public sealed record BaselineSettings(int Budget, int Population, int? Generations, ulong Seed, int Pixels, string Mode, int? Target, string Search, string Fitness);

/// <summary>One image of a baseline: its identity (name and content hash) and what the attack did to it.</summary>
public sealed record BaselineImage(string Name, string Sha256, int Label, BaselineOutcome Outcome, int? AdversarialLabel);

public enum BaselineOutcome
{
    /// <summary>Correctly classified and no pixel found that fools it.</summary>
    Resisted,

    /// <summary>Fooled by the attack.</summary>
    Fooled,

    /// <summary>Already misclassified, so not attacked.</summary>
    Misclassified,

    /// <summary>Classified correctly and of the target class of a targeted run, so not attacked.</summary>
    TargetClass,
}
