namespace OnePixel.Testing.Attacks;

/// <summary>The pass/fail rule every adapter shares: the success rate may not exceed a maximum.</summary>
public static class RobustnessGate
{
    /// <summary>
    /// The default maximum success rate: at most 10% of the attacked (correctly classified) images
    /// may be fooled. A plain Fashion-MNIST CNN sits near 8% at the paper's budget; CIFAR-10 networks
    /// in the paper sit near 70%, so teams with such models set their own maximum.
    /// </summary>
    public const double DefaultMaxSuccessRate = 0.10;

    public static bool Holds(AttackSummary summary, double maxSuccessRate) => summary.SuccessRate <= maxSuccessRate;

    public static void ValidateMaximum(double maxSuccessRate, string what)
    {
        if (maxSuccessRate is < 0 or > 1 || double.IsNaN(maxSuccessRate))
            throw new OnePixelException($"{what}: expected a fraction 0..1, found {maxSuccessRate.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
    }
}
