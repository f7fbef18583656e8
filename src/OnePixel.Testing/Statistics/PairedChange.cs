using System.Globalization;

namespace OnePixel.Testing.Statistics;

/// <summary>
/// How one model version's outcomes on the same attacked images differ from another's: the discordant
/// images (<see cref="NewlyFooled"/> resisted before and are fooled now, <see cref="NewlyResisting"/> the
/// reverse) and McNemar's exact p-value on them. The images are the same for both versions, so this paired
/// test sees a change that two success rates with overlapping intervals hide: 12 images flipping one way
/// and none the other is strong evidence, whatever the rates.
/// </summary>
public sealed record PairedChange
{
    public PairedChange(int newlyFooled, int newlyResisting)
    {
        NewlyFooled = newlyFooled;
        NewlyResisting = newlyResisting;
        PValue = McNemarTest.ExactTwoSidedPValue(newlyFooled, newlyResisting);
    }

    /// <summary>b: attacked in both runs, resisted before and fooled now.</summary>
    public int NewlyFooled { get; }

    /// <summary>c: attacked in both runs, fooled before and resisting now.</summary>
    public int NewlyResisting { get; }

    /// <summary>McNemar's exact two-sided p-value on b and c (1 when nothing flipped).</summary>
    public double PValue { get; }

    /// <summary>More images became fooled than stopped being fooled, and that split is unlikely (p &lt; <paramref name="alpha"/>) if the two versions were equally robust.</summary>
    public bool SignificantRise(double alpha) => NewlyFooled > NewlyResisting && PValue < alpha;

    /// <summary>More images stopped being fooled than became fooled, at level <paramref name="alpha"/>.</summary>
    public bool SignificantFall(double alpha) => NewlyResisting > NewlyFooled && PValue < alpha;

    /// <summary>"38 newly fooled, 1 newly resisting: McNemar exact p = 1.5e-10".</summary>
    public override string ToString() => $"{NewlyFooled} newly fooled, {NewlyResisting} newly resisting: McNemar exact p = {Format(PValue)}";

    /// <summary>A significance level for a gate: a probability strictly between 0 and 1.</summary>
    public static void ValidateLevel(double? alpha, string what)
    {
        if (alpha is { } value && (value is <= 0 or >= 1 || double.IsNaN(value)))
            throw new OnePixelException($"{what}: expected a significance level between 0 and 1 (such as 0.05), found {value.ToString(CultureInfo.InvariantCulture)}.");
    }

    /// <summary>A p-value as people read it, to three significant digits: "1", "0.31", "0.0625", "0.000121", "1.5e-10".</summary>
    public static string Format(double p) =>
        p >= 0.9995 ? "1"
        : p >= 0.0001 ? p.ToString("G3", CultureInfo.InvariantCulture)
        : p == 0 ? "0"
        : p.ToString("0.0e-0", CultureInfo.InvariantCulture);
}
