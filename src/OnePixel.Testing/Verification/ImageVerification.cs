using OnePixel.Testing.Attacks;

namespace OnePixel.Testing.Verification;

/// <summary>The verdict on one image: a certificate that no single pixel alters its top-1 class, or a counterexample.</summary>
public sealed record ImageVerification
{
    public required int Index { get; init; }
    public required string Name { get; init; }
    public required int Label { get; init; }
    public required int Predicted { get; init; }
    public required float PredictedConfidence { get; init; }

    /// <summary>False when the image was already misclassified, so there was nothing to verify.</summary>
    public required bool Checked { get; init; }

    /// <summary>Some single-pixel change alters the top-1 class.</summary>
    public required bool Vulnerable { get; init; }

    /// <summary>
    /// True when the verdict is exact: a counterexample, or a certificate that covers every colour
    /// (bounds, or enumeration of 8-bit grayscale). False for RGB enumeration, where only a grid of
    /// colours was tried, and for an image the time limit left undecided.
    /// </summary>
    public required bool Exact { get; init; }

    /// <summary>The first fooling change in scan order (extremes first, then every other value).</summary>
    public PixelChange? Counterexample { get; init; }
    public int? AdversarialLabel { get; init; }
    public float? AdversarialConfidence { get; init; }

    /// <summary>Every fooling candidate, and the pixels with at least one, when the whole space was scanned.</summary>
    public int? FoolingCandidates { get; init; }
    public int? VulnerablePositions { get; init; }

    /// <summary>Candidates scored, plus the one query for the unchanged image.</summary>
    public required long Queries { get; init; }

    /// <summary>How the image was decided: <see cref="VerificationMethod.Bounds"/> or <see cref="VerificationMethod.Enumerate"/>.</summary>
    public VerificationMethod Method { get; init; } = VerificationMethod.Enumerate;

    /// <summary>Wall time spent on this image.</summary>
    public double Seconds { get; init; }

    /// <summary>With bounds: pixel positions whose every colour was certified by bounds alone (no colour of theirs needed a query).</summary>
    public int? PositionsCertifiedByBounds { get; init; }

    /// <summary>With bounds: colour boxes split because their bounds did not decide them (in half across every channel, a colour box into eight, or across one channel once its bound is near zero).</summary>
    public long? BoxesSplit { get; init; }

    /// <summary>
    /// The time limit per image (<see cref="VerificationOptions.MaxSeconds"/>) ended the search before a
    /// certificate or a counterexample (by bounds, or by enumeration before every change was tried).
    /// </summary>
    public bool TimeLimitReached { get; init; }

    /// <summary>Why this image was not decided as the others were (such as a forward pass that did not match ONNX Runtime's on it).</summary>
    public string? Note { get; init; }

    /// <summary>The outcome in one word.</summary>
    public VerificationVerdict Verdict =>
        !Checked ? VerificationVerdict.Misclassified
        : Vulnerable ? VerificationVerdict.Counterexample
        : Exact ? VerificationVerdict.Certified
        : TimeLimitReached || Method == VerificationMethod.Bounds ? VerificationVerdict.Undecided
        : VerificationVerdict.NoneFoundOnGrid;
}
