namespace OnePixel.Testing.Attacks;

/// <summary>Why an attack ended, so a report says which early-stop rule was used.</summary>
public enum StopReason
{
    /// <summary>The unchanged image was already misclassified, so there was nothing to attack.</summary>
    AlreadyMisclassified,

    /// <summary>Untargeted success: the top-1 class changed (stopped at once).</summary>
    TopOneChanged,

    /// <summary>Targeted success: the target became the top-1 class (stopped at once).</summary>
    TargetReached,

    /// <summary>The query budget was spent without success.</summary>
    BudgetExhausted,

    /// <summary>The generation limit was reached without success.</summary>
    GenerationsExhausted,

    /// <summary>The target is the true class, so there was nothing to attack.</summary>
    TargetIsTrueClass,
}
