using OnePixel.Testing.Attacks;
using OnePixel.Testing.Imaging;

namespace OnePixel.Testing.Tests.Fakes;

/// <summary>
/// Versions of one model whose robustness is set by a number: on ten 8x8 images of brightness 0, 10, ..., 90
/// (all class 0), version t is fooled by a bright pixel (5, 2) exactly on the images darker than t. So going from
/// version 20 to version 40 fools two more images (b = 2, c = 0), from 0 to 60 six (McNemar exact p = 0.03125).
/// </summary>
internal static class ModelVersions
{
    // Extremes first: pixel (5, 2) at 255 is among the first 128 candidates, so every image that can be fooled is.
    public static readonly AttackOptions Options = AttackOptions.StrongSearch(AttackBudget.Queries(400));

    public static ImageSet Images() => new("ten images", Enumerable.Range(0, 10)
        .Select(i => new LabeledImage($"image-{i}", ByteImage.Filled(FunctionClassifier.Small, (byte)(i * 10)), 0)).ToList());

    public static FunctionClassifier Model(int threshold) => new(FunctionClassifier.Small, 2, p =>
        p[0] < threshold && p[2 * 8 + 5] > 200 ? [0.1f, 0.9f] : [0.9f, 0.1f]) { ClassNames = ["dark", "bright"] };

    /// <summary>Version <paramref name="threshold"/> attacked on <see cref="Images"/>, as if from the file model-v{threshold}.onnx.</summary>
    public static AttackReport Run(int threshold, AttackOptions? options = null) =>
        new AttackRunner(Model(threshold), options ?? Options).Run(Images(), model: new ModelIdentity($"/models/model-v{threshold}.onnx", $"sha-of-v{threshold}"));
}
