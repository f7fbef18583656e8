namespace OnePixel.Testing.NUnit.TestFixtures;

/// <summary>
/// A model with no sidecar, configured in the attribute alone (scale 1: the trigger fires from raw value 1),
/// on a slice of the 8x8 images: the black image is fooled, the next two are misclassified at that scale.
/// The failure's reproduce command must carry the scale and the slice, or it attacks another experiment.
/// </summary>
[RobustnessModel("bare-models/single-pixel-trigger.onnx", Scale = 1, InputName = "image", Layout = "nchw", Images = "samples/images/testing-8x8")]
public class ConfiguredInTheAttribute
{
    [RobustnessTest(Budget = 400, ImageCount = 3)]
    public void Resists_one_pixel_attacks() { }
}

/// <summary>Normalisation outside the graph given in the attribute alone (std 0.25), the output kind and the backend too.</summary>
[RobustnessModel("bare-models/single-pixel-trigger.onnx", Std = [0.25f], OutputKind = "logits", Backend = "mlnet", Images = "samples/images/testing-8x8")]
public class NormalisedInTheAttribute
{
    [RobustnessTest(Budget = 200, MaxSuccessRate = 1.0, PerImage = false)]
    public void Resists_one_pixel_attacks() { }
}
