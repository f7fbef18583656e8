namespace OnePixel.Samples.Tests;

/// <summary>The gate both sample fixtures share, so the demonstration differs from the passing test only in the model.</summary>
internal static class SampleGate
{
    public const int Budget = 2_000;

    public const double MaxSuccessRate = 0.20;
}
