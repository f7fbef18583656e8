using OnePixel.Testing.Models;

namespace OnePixel.Testing.Attacks;

/// <summary>What counts as success.</summary>
public enum AttackMode
{
    /// <summary>The top-1 class is no longer the true class.</summary>
    Untargeted,

    /// <summary>The top-1 class becomes one chosen class.</summary>
    Targeted,

    /// <summary>One targeted attack towards every class other than the true one, in turn (the paper's targeted setting).</summary>
    EveryTarget,
}

/// <summary>How a search ranks candidates (lower is better).</summary>
public enum FitnessKind
{
    /// <summary>The paper's: the true class's probability (untargeted), or 1 - the target's (targeted).</summary>
    Probability,

    /// <summary>
    /// The margin: true-class probability minus the best other class (untargeted), or the best
    /// non-target class minus the target (targeted). Negative means fooled, so it keeps pointing
    /// the way where the probability alone flattens out (Carlini and Wagner 2017 use the same idea).
    /// </summary>
    Margin,
}

/// <summary>One attack's goal: the true class, and the target when targeted. Judges rows of class probabilities.</summary>
public readonly record struct AttackGoal(int Label, int? Target, FitnessKind Fitness)
{
    public bool IsFooledBy(ReadOnlySpan<float> probabilities)
    {
        var (top, _) = Probability.TopOne(probabilities);
        return Target is { } target ? top == target : top != Label;
    }

    /// <summary>Lower is better.</summary>
    public float FitnessOf(ReadOnlySpan<float> probabilities) => (Fitness, Target) switch
    {
        (FitnessKind.Probability, null) => probabilities[Label],
        (FitnessKind.Probability, { } t) => 1 - probabilities[t],
        (_, null) => probabilities[Label] - Probability.BestOther(probabilities, Label),
        (_, { } t) => Probability.BestOther(probabilities, t) - probabilities[t],
    };

    /// <summary>The probability the goal is about: the true class's (untargeted) or the target's (targeted).</summary>
    public float GoalProbability(ReadOnlySpan<float> probabilities) => probabilities[Target ?? Label];
}
