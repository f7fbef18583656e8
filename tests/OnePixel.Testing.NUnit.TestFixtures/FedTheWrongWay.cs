namespace OnePixel.Testing.NUnit.TestFixtures;

/// <summary>
/// fashion-cnn-v1 as Keras exports it takes raw 0..255 values and scales them itself; fed 0..1 (Scale = 255)
/// it classifies few of its images, fails its accuracy floor, and its cases say which feeding classifies them.
/// </summary>
[RobustnessModel("models/variants/raw255-nhwc.onnx", Scale = 255)]
public class FedTheWrongScale
{
    [RobustnessTest(Budget = 100, ImageCount = 6, MinAccuracy = 0.8)]
    public void Resists_one_pixel_attacks() { }
}

/// <summary>The same model set up as <see cref="FedTheWrongScale"/>'s hint says.</summary>
[RobustnessModel("models/variants/raw255-nhwc.onnx", Scale = 1)]
public class FedAsTheHintSays
{
    [RobustnessTest(Budget = 100, ImageCount = 6, MinAccuracy = 0.8)]
    public void Resists_one_pixel_attacks() { }
}

/// <summary><see cref="FedTheWrongScale"/> verified instead of attacked: its cases carry the same hint.</summary>
[RobustnessModel("models/variants/raw255-nhwc.onnx", Scale = 255)]
public class FedTheWrongScaleVerified
{
    [RobustnessTest(Verify = true, ImageCount = 6, MinAccuracy = 0.8)]
    public void Has_no_one_pixel_counterexample() { }
}
