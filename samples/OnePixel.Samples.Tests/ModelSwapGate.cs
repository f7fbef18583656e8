using OnePixel.Testing.Attacks;
using OnePixel.Testing.NUnit;

namespace OnePixel.Samples.Tests;

/// <summary>
/// The test a pull request runs when it replaces the model: the model file in the repository, attacked
/// with the settings of the baseline committed for the release in production
/// (models/fashion-cnn-v1.baseline.json, made with <c>onepixel baseline update</c>), and compared image by
/// image. A pull request that swaps in a model fooled on images v1 resisted fails here, naming them (see
/// <see cref="ModelSwapDemonstration"/>); one that only improves passes, and the improved images say so.
/// Once the new model is accepted, its pull request refreshes the baseline with ONEPIXEL_UPDATE_BASELINES=1.
/// </summary>
[RobustnessModel("models/fashion-cnn-v1.onnx")]
public class ModelSwapGate
{
    [RobustnessTest(Budget = SampleGate.Budget, Pixels = SampleGate.Pixels, Baseline = "models/fashion-cnn-v1.baseline.json")]
    public void Does_not_regress_from_the_released_baseline(ImageAttackResult result) { }
}
