using System.Globalization;
using OnePixel.Testing.Statistics;

namespace OnePixel.Testing.Baselines;

/// <summary>
/// The success-rate part of every comparison's gate (baseline check, compare, history check, the test
/// adapters): one rule, so they never disagree. Without a significance level, any rise beyond the allowed
/// increase fails. With one, the rise must also be significant: more of the same images turned fooled than
/// stopped being fooled, and McNemar's exact two-sided p-value on those discordant images is below the level.
/// The allowed increase then says how large a rise matters, the level how sure the data must be of it.
/// </summary>
public static class SuccessRateRule
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>True when a rise of <paramref name="change"/> (after's rate minus before's) fails the gate.</summary>
    public static bool Fails(double change, double maxIncrease, double? significance, PairedChange paired) =>
        Beyond(change, maxIncrease) && (significance is not { } alpha || paired.SignificantRise(alpha));

    /// <summary>What a significance level adds to a failure's reason: ", significant at level 0.05 (38 newly fooled, 1 newly resisting: McNemar exact p = 1.5e-10)"; empty without a level.</summary>
    public static string Evidence(double? significance, PairedChange paired) =>
        significance is { } alpha ? string.Create(Invariant, $", significant at level {alpha} ({paired})") : "";

    /// <summary>
    /// A rise beyond the allowed increase that the paired test does not find significant, in words (a note, not a
    /// failure); null when there is no such rise or no level was asked for.
    /// </summary>
    public static string? NotSignificant(double change, double maxIncrease, double? significance, PairedChange paired) =>
        Beyond(change, maxIncrease) && significance is { } alpha && !paired.SignificantRise(alpha)
            ? string.Create(Invariant, $"the success rate rose by {change * 100:0.0} points, but not significantly at level {alpha} ({paired}), so it is within the policy")
            : null;

    private static bool Beyond(double change, double maxIncrease) => change > maxIncrease + 1e-12;
}
