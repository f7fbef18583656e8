using System.Collections.Concurrent;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.Baselines;

namespace OnePixel.Testing.NUnit.TestFixtures;

/// <summary>What the fixtures' test methods received, for the plugin's tests to check.</summary>
public static class Recorder
{
    public static ConcurrentBag<(string Test, AttackReport? Report, ImageAttackResult? Result)> Calls { get; } = [];

    /// <summary>What the baseline fixtures' methods received.</summary>
    public static ConcurrentBag<(string Test, ImageAttackResult Result, BaselineComparison? Comparison)> Comparisons { get; } = [];
}
