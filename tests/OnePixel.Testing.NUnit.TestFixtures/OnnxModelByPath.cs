namespace OnePixel.Testing.NUnit.TestFixtures;

/// <summary>
/// A real ONNX model named by a path relative to the repository root, its sample images taken from its
/// sidecar: the 8x8 single-pixel-trigger model, which one pixel at (5, 2) flips either way.
/// </summary>
[RobustnessModel("models/testing/single-pixel-trigger.onnx")]
public class OnnxModelByPath
{
    [RobustnessTest(Budget = 1_000)]
    public void Resists_one_pixel_attacks() { }
}
