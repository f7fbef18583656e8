using FluentAssertions;
using NUnit.Framework;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.NUnit;

namespace OnePixel.Samples.Tests;

/// <summary>
/// The released model, attacked on the 100 sample images its sidecar names: one test case per image,
/// and the build fails when more than the allowed share of them can be fooled by one pixel.
/// </summary>
[RobustnessModel("models/fashion-cnn-v1.onnx")]
public class FashionModelRobustness
{
    [RobustnessTest(Budget = SampleGate.Budget, Pixels = SampleGate.Pixels, MaxSuccessRate = SampleGate.MaxSuccessRate)]
    public void Resists_one_pixel_attacks(ImageAttackResult result)
    {
        // Runs for every image whose case passes the gate: room for checks of your own.
        result.Queries.Should().BeLessThanOrEqualTo(SampleGate.Budget);
    }
}
