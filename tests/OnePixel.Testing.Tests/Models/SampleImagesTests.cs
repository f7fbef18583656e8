using System.Text.Json;
using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;

namespace OnePixel.Testing.Tests.Models;

/// <summary>
/// A sidecar's sampleImages is what `onepixel attack --model FILE` attacks when no --images is given: every
/// committed sidecar that names one must name images the model can score (same shape, same class names), or
/// the shortest command a user tries on a bundled model fails.
/// </summary>
public class SampleImagesTests
{
    // Broken on purpose: loading or scoring them is what their tests check.
    private static readonly string[] DeliberatelyBroken = ["corrupt.onnx", "nan.onnx", "not-a-classifier.onnx"];

    public static IEnumerable<TestCaseData> SidecarsWithSamples() =>
        Directory.GetFiles(Repository.File("models"), "*.onnx.json", SearchOption.AllDirectories)
            .Where(sidecar => JsonDocument.Parse(File.ReadAllText(sidecar)).RootElement.TryGetProperty("sampleImages", out _))
            .Where(sidecar => !DeliberatelyBroken.Contains(Path.GetFileNameWithoutExtension(sidecar)))
            .Select(sidecar => Path.GetRelativePath(Repository.Root, sidecar).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .Select(sidecar => new TestCaseData(sidecar).SetName($"Sample images of {sidecar}"));

    [TestCaseSource(nameof(SidecarsWithSamples))]
    public void The_sample_images_a_sidecar_names_should_fit_its_model(string sidecar)
    {
        using var model = LoadedModel.Load(Repository.File(sidecar[..^".json".Length]));
        var source = model.Options.SampleImages!;

        var images = ImageSetLoader.Open(new ImageSetSource(source) { ClassNames = model.Classifier.ClassNames });

        images.Count.Should().BePositive($"{sidecar} names {source}");
        images.Shape.Should().Be(model.Classifier.InputShape);
        images.Entries().Should().OnlyContain(e => e.Label >= 0 && e.Label < model.Classifier.ClassCount);
    }

    [Test]
    public void The_bundled_sidecars_should_name_sample_images()
    {
        SidecarsWithSamples().Should().HaveCountGreaterThan(10, "the main models, the variants and the small test models name theirs");
    }
}
