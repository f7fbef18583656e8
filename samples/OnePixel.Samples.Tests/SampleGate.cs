namespace OnePixel.Samples.Tests;

/// <summary>
/// The gate both sample fixtures share, so the demonstration differs from the passing tests only in the
/// model. Chosen from measurements (seed 2019, the 100 sample images, DE/rand/1, model files sha256
/// 583ca07eb6ab... for v1 and cfe986961d33... for v2; README.md, "The samples"):
/// with one pixel the two releases are alike (v1 11.0 %, v2 10.3 % at 4,000 queries), with three pixels
/// they part: v1 13.2 % (12 of 91), v2 24.1 % (21 of 87) at 2,000 queries, and likewise at 1,000 and
/// 4,000 queries (v1 15.4 % and 16.5 %, v2 26.4 % and 24.1 %). A 20 % maximum leaves v1 seven fooled
/// images of headroom and fails v2 by four.
/// </summary>
internal static class SampleGate
{
    public const int Budget = 2_000;

    public const int Pixels = 3;

    public const double MaxSuccessRate = 0.20;
}
