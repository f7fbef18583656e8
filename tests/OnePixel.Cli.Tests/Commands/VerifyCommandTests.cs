using System.Text.Json;

namespace OnePixel.Cli.Tests.Commands;

public class VerifyCommandTests
{
    [Test]
    public void A_model_that_one_pixel_fools_should_get_a_counterexample_per_image_and_fail_the_gate()
    {
        var result = Cli.Run("verify", "--model", Repository.TriggerModel, "--quiet");

        result.ExitCode.Should().Be(ExitCodes.GateFails, result.ToString());
        result.Output.Should().Contain("counterexample synthetic-00-black.png: off -> on").And.Contain("by (5, 2) = 255");
    }

    [Test]
    public void A_model_that_ignores_its_input_should_be_certified_and_pass()
    {
        using var folder = new TempFolder();
        var json = folder.File("verify.json");
        var images = Path.Combine(folder.Path, "images");
        Directory.CreateDirectory(images);
        foreach (var name in new[] { "synthetic-00-black.png", "synthetic-03-noise.png" })
            File.Copy(Path.Combine(Repository.Root, "samples/images/testing-8x8", name), Path.Combine(images, name));
        File.WriteAllText(Path.Combine(images, "labels.csv"), "file,label\nsynthetic-00-black.png,b\nsynthetic-03-noise.png,b\n");

        var result = Cli.Run("verify", "--model", "models/testing/constant.onnx", "--images", images, "--json", json, "--quiet", "--max-success-rate", "0");

        result.ExitCode.Should().Be(ExitCodes.GateHolds, result.ToString());
        using var report = JsonDocument.Parse(File.ReadAllText(json));
        var results = report.RootElement.GetProperty("results").EnumerateArray().Where(r => r.GetProperty("checked").GetBoolean()).ToList();
        results.Should().HaveCount(2).And.OnlyContain(r => r.GetProperty("verdict").GetString() == "certified" && r.GetProperty("queries").GetInt64() == 1 + 64 * 255);
    }

    [Test]
    public void A_full_scan_should_count_every_fooling_change()
    {
        var result = Cli.Run("verify", "--model", Repository.TriggerModel, "--full", "--count", "1", "--quiet");

        // The image is black: values 128..255 at (5, 2) turn the trigger on.
        result.Output.Should().Contain("128 fooling changes at 1 pixels");
    }

    [TestCase(new[] { "--rgb-grid", "0,300" }, "--rgb-grid: expected values 0..255")]
    [TestCase(new[] { "--max-success-rate", "2" }, "--max-success-rate: expected a fraction 0..1")]
    public void Bad_options_should_exit_2_naming_the_option(string[] options, string message)
    {
        var result = Cli.Run(["verify", "--model", Repository.TriggerModel, .. options]);

        result.ExitCode.Should().Be(ExitCodes.BadInput, result.ToString());
        result.Error.Should().Contain(message);
    }
}
