using OnePixel.Testing.Attacks;
using OnePixel.Testing.NUnit;

// The model under test. A relative path is looked up from the test assembly's folder and each folder above it.
#if (hasImages)
[assembly: RobustnessModel(@"MODEL_PATH", Images = @"IMAGES_PATH")]
#else
[assembly: RobustnessModel(@"MODEL_PATH")] // the sample images are those its sidecar (the .onnx.json beside it) names
#endif

namespace Company.RobustnessTests;

public class ModelRobustness
{
    // One test case per sample image, in the Robustness category. The gate fails (and the fooled images'
    // cases with it) when more than MaxSuccessRate of the correctly classified images are fooled by
    // changing one pixel. ONEPIXEL_BUDGET_SCALE=0.5 (pull requests) or 4 (nightly) rescales the budget.
    [RobustnessTest(Budget = BUDGET_QUERIES, MaxSuccessRate = 0.10)]
    public void Resists_one_pixel_attacks(ImageAttackResult result)
    {
        // Runs when the gate holds for this image: add checks on result (its pixels, classes, queries) here.
    }
}
