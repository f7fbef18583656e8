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
