namespace OnePixel.Samples.Tests;

/// <summary>
/// The gate the sample fixtures share, so the demonstrations differ from the passing tests only in the
/// model. Chosen from measurements (seed 2019, the 100 sample images, DE/rand/1; README.md, "The samples"):
/// with three pixels at 2,000 queries v1 (sha256 25afe36851ab...) is fooled on 7 of 87 images (8.0 %),
/// likewise at 1,000 and 4,000 queries, so a 20 % maximum leaves it ten images of headroom. The current
/// v2 (sha256 b7658890100e...) is fooled on 47 of 89 (52.8 %); the earlier v2 the gate was chosen
/// against sat at 24.1 %. The committed baselines were made with these settings:
/// <c>onepixel baseline update --model models/fashion-cnn-v1.onnx --baseline models/fashion-cnn-v1.baseline.json --budget 2000 --pixels 3</c>.
/// </summary>
internal static class SampleGate
{
    public const int Budget = 2_000;

    public const int Pixels = 3;

    public const double MaxSuccessRate = 0.20;
}
