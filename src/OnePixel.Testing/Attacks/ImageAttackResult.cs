namespace OnePixel.Testing.Attacks;

/// <summary>The outcome of attacking one image (towards one target, in targeted mode).</summary>
public sealed record ImageAttackResult
{
    /// <summary>The image's index in its source.</summary>
    public required int Index { get; init; }
    public required string Name { get; init; }

    /// <summary>The true class.</summary>
    public required int Label { get; init; }

    /// <summary>The top-1 class of the unchanged image, and its probability.</summary>
    public required int Predicted { get; init; }
    public required float PredictedConfidence { get; init; }

    /// <summary>False when the unchanged image was already misclassified (or the target is the true class).</summary>
    public required bool Attacked { get; init; }

    /// <summary>The target class of a targeted attack; null when untargeted.</summary>
    public int? Target { get; init; }

    public required bool Fooled { get; init; }

    /// <summary>The top-1 class of the adversarial image and its probability; null when not fooled.</summary>
    public int? AdversarialLabel { get; init; }
    public float? AdversarialConfidence { get; init; }

    /// <summary>The changed pixels of the adversarial image; empty when not fooled.</summary>
    public IReadOnlyList<PixelChange> Pixels { get; init; } = [];

    /// <summary>
    /// The lowest true-class probability (untargeted) or highest target probability (targeted) the
    /// search reached: how close a resisting image came to being fooled.
    /// </summary>
    public float? ClosestConfidence { get; init; }

    /// <summary>Model queries spent, the one that scored the unchanged image included.</summary>
    public required int Queries { get; init; }

    /// <summary>Generations run after the initial population.</summary>
    public int Generations { get; init; }

    public required StopReason StopReason { get; init; }
}
