using System.IO.Compression;
using System.Text;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.Baselines;
using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;
using OnePixel.Testing.Tests.Fakes;
using OnePixel.Testing.Tests.Imaging;

namespace OnePixel.Testing.Tests.Robustness;

/// <summary>Every parser, under thousands of random and mutated inputs: only the documented errors come out.</summary>
public class ParserFuzzTests
{
    private const int Cases = 2_000;

    [Test]
    public void Idx_images_files_should_only_ever_fail_with_a_documented_error()
    {
        using var folder = new TempFolder();
        var path = folder.File("images.idx");
        var valid = IdxFileTests.IdxImages(4, 5, 6, i => (byte)(i * 7));

        var (accepted, refused) = Mutator.Fuzz(valid, Cases, seed: 1, bytes =>
        {
            File.WriteAllBytes(path, bytes);
            IdxFile.ReadImages(path);
        });

        refused.Should().BeGreaterThan(Cases / 2, "most mutations break the header or the length");
        accepted.Should().BeGreaterThan(0, "flips in the pixel data leave a valid file");
    }

    [Test]
    public void Gzipped_idx_files_should_only_ever_fail_with_a_documented_error()
    {
        using var folder = new TempFolder();
        var path = folder.File("labels.idx.gz");
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal)) gzip.Write(IdxFileTests.IdxLabels(1, 2, 3, 4, 5, 6, 7, 8, 9));

        var (_, refused) = Mutator.Fuzz(output.ToArray(), Cases, seed: 2, bytes =>
        {
            File.WriteAllBytes(path, bytes);
            IdxFile.ReadLabels(path);
        });

        refused.Should().BeGreaterThan(0);
    }

    [Test]
    public void Png_files_should_only_ever_fail_with_a_documented_error()
    {
        using var folder = new TempFolder();
        var path = folder.File("image.png");
        var valid = ImageFile.EncodePng(new ByteImage(new ImageShape(6, 5, 3), Enumerable.Range(0, 90).Select(i => (byte)(i * 3)).ToArray()));

        var (_, refused) = Mutator.Fuzz(valid, Cases, seed: 3, bytes =>
        {
            File.WriteAllBytes(path, bytes);
            ImageFile.Load(path);
        });

        refused.Should().BeGreaterThan(Cases / 2);
    }

    [Test]
    public void Csv_image_files_should_only_ever_fail_with_a_documented_error()
    {
        using var folder = new TempFolder();
        var path = folder.File("images.csv");
        var rows = Enumerable.Range(0, 4).Select(r => r % 3 + "," + string.Join(",", Enumerable.Range(0, 16).Select(i => (i * 17 + r) % 256)));
        var valid = Encoding.UTF8.GetBytes("label,pixels\n" + string.Join("\n", rows) + "\n");

        var (accepted, refused) = Mutator.Fuzz(valid, Cases, seed: 4, bytes =>
        {
            File.WriteAllBytes(path, bytes);
            ImageSetLoader.Load(path);
        });

        refused.Should().BeGreaterThan(0);
        accepted.Should().BeGreaterThan(0);
    }

    [Test]
    public void Labels_csv_folders_should_only_ever_fail_with_a_documented_error()
    {
        using var folder = new TempFolder();
        foreach (var name in new[] { "a.png", "b.png" })
            ImageFile.SavePng(ByteImage.Filled(new ImageShape(2, 2, 3), 9), folder.File(name));
        folder.Write("classes.txt", "cat\ndog\n");
        var valid = Encoding.UTF8.GetBytes("file,label\na.png,0\nb.png,dog\n");

        var (_, refused) = Mutator.Fuzz(valid, Cases, seed: 5, bytes =>
        {
            File.WriteAllBytes(folder.File("labels.csv"), bytes);
            ImageSetLoader.Load(folder.Path);
        });

        refused.Should().BeGreaterThan(0);
    }

    [Test]
    public void Model_sidecars_should_only_ever_fail_with_a_documented_error()
    {
        using var folder = new TempFolder();
        var path = folder.File("model.onnx.json");
        var valid = Encoding.UTF8.GetBytes("""
            { "schema": 1, "inputName": "image", "layout": "nchw", "width": 28, "height": 28, "channels": 1,
              "scale": 255.0, "mean": [0.5], "std": [0.25], "outputKind": "logits", "classes": ["a", "b"], "sampleImages": "../x" }
            """);

        var (accepted, refused) = Mutator.Fuzz(valid, Cases, seed: 6, bytes =>
        {
            File.WriteAllBytes(path, bytes);
            ModelSidecar.Read(path);
        });

        refused.Should().BeGreaterThan(Cases / 2);
        accepted.Should().BeGreaterThan(0);
    }

    [Test]
    public void Baselines_should_only_ever_fail_with_a_documented_error()
    {
        using var folder = new TempFolder();
        var path = folder.File("model.baseline.json");
        var images = Images.Uniform(3, 10, 0);
        var report = new AttackRunner(FunctionClassifier.TriggerPixel(), new AttackOptions { Budget = AttackBudget.Queries(200) }).Run(images, model: new ModelIdentity("m.onnx", "00"));
        var valid = Encoding.UTF8.GetBytes(BaselineFile.ToJson(BaselineFile.FromReport(report, images)));

        var (_, refused) = Mutator.Fuzz(valid, Cases, seed: 7, bytes =>
        {
            File.WriteAllBytes(path, bytes);
            BaselineFile.Read(path);
        });

        refused.Should().BeGreaterThan(Cases / 2);
    }
}
