using OnePixel.Testing.Imaging;

namespace OnePixel.Testing.Tests.Models;

/// <summary>The committed models the scoring tests run, and a few sample images to score.</summary>
internal static class CommittedModels
{
    public static readonly string[] Variants =
        ["nhwc", "batch1", "probabilities", "external-norm", "raw255-nhwc", "flat", "flat3d", "punctuated", "multi-output"];

    /// <summary>Every committed model that scores images (28x28 grayscale, RGB and 8x8), with its sidecar.</summary>
    public static readonly string[] Scorable =
    [
        "models/fashion-cnn-v1.onnx", "models/fashion-cnn-v2.onnx", "models/fashion-colour-cnn.onnx",
        .. Variants.Select(v => $"models/variants/{v}.onnx"),
        "models/testing/single-pixel-trigger.onnx", "models/testing/constant.onnx",
    ];

    /// <summary>The first <paramref name="count"/> images of the model's sample folder, end to end.</summary>
    public static (byte[] Pixels, int Count, IReadOnlyList<LabeledImage> Images) Samples(string model, int count = 10)
    {
        var folder = model.Contains("colour") ? "samples/images/fashion-mnist-colour"
            : model.Contains("testing/") ? "samples/images/testing-8x8"
            : "samples/images/fashion-mnist";
        var set = ImageSetLoader.Load(Repository.File(folder));
        var images = set.Images.Take(count).ToList();
        var length = set.Shape.Length;
        var pixels = new byte[images.Count * length];
        for (var i = 0; i < images.Count; i++) images[i].Image.Pixels.CopyTo(pixels.AsSpan(i * length));
        return (pixels, images.Count, images);
    }
}
