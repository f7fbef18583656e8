using OnePixel.Testing.Imaging;

namespace OnePixel.Testing.NUnit.Tests.Fakes;

/// <summary>
/// The fixtures' five 8x8 images (copied next to the tests): with BrightCountClassifier, edge-dark and
/// edge-bright are fooled by one pixel, the other three resist.
/// </summary>
internal static class TestImages
{
    public static ImageSet BrightCount() => ImageSetLoader.Load(Path.Combine(AppContext.BaseDirectory, "Images"));
}
