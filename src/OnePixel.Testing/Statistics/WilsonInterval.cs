namespace OnePixel.Testing.Statistics;

/// <summary>
/// The Wilson score interval for a binomial proportion (Wilson 1927): unlike the normal
/// approximation it stays inside 0..1 and behaves at 0 of n and n of n, which a success rate on a
/// hundred images often is.
/// </summary>
public readonly record struct WilsonInterval(double Low, double High)
{
    /// <summary>z for a two-sided 95% interval.</summary>
    public const double Z95 = 1.959963984540054;

    public static WilsonInterval For(int successes, int trials, double z = Z95)
    {
        if (trials <= 0) return new WilsonInterval(0, 1);
        double n = trials, p = successes / n, z2 = z * z;
        var centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        var half = z / (1 + z2 / n) * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        return new WilsonInterval(Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    public override string ToString() => $"{Low:P1}..{High:P1}";
}
