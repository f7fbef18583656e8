using OnePixel.Testing.Imaging;

namespace OnePixel.Testing.Tests.Fakes;

internal static class Images
{
    /// <summary>An image set of <paramref name="count"/> uniform images of the given gray, all labelled <paramref name="label"/>.</summary>
    public static ImageSet Uniform(int count, byte gray, int label, ImageShape? shape = null) =>
        new("test images", Enumerable.Range(0, count)
            .Select(i => new LabeledImage($"image-{i:D2}", ByteImage.Filled(shape ?? FunctionClassifier.Small, (byte)(gray + i % 3)), label))
            .ToList());
}
