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
    /// True when every single-pixel change was tried (8-bit grayscale), so "not vulnerable" is a
    /// certificate; false for RGB images, where only a grid of colours was tried.
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
}
