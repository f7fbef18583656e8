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

    [Test]
    public void Bounds_should_decide_an_rgb_model_exactly_and_report_how()
    {
        using var folder = new TempFolder();
        var json = folder.File("verify.json");

        var result = Cli.Run("verify", "--model", "models/testing/tiny-rgb-graph.onnx", "--json", json, "--quiet", "--max-success-rate", "1");

        result.ExitCode.Should().Be(ExitCodes.GateHolds, result.ToString());
        result.Output.Should().Contain("method:          bounds (exact)");
        using var report = JsonDocument.Parse(File.ReadAllText(json));
        var summary = report.RootElement.GetProperty("summary");
        summary.GetProperty("exact").GetBoolean().Should().BeTrue();
        summary.GetProperty("method").GetString().Should().Be("bounds");
        summary.GetProperty("tolerance").GetDouble().Should().Be(1e-3);
        var results = report.RootElement.GetProperty("results").EnumerateArray().ToList();
        results.Select(r => r.GetProperty("verdict").GetString()).Should().Contain("certified").And.Contain("counterexample").And.OnlyContain(v => v == "certified" || v == "counterexample");
        foreach (var r in results)
        {
            r.GetProperty("method").GetString().Should().Be("bounds");
            r.GetProperty("seconds").GetDouble().Should().BeGreaterThanOrEqualTo(0);
            r.GetProperty("positionsCertifiedByBounds").GetInt32().Should().BeInRange(0, 64);
            r.GetProperty("boxesSplit").GetInt64().Should().BeGreaterThanOrEqualTo(0);
            r.GetProperty("queries").GetInt64().Should().BeGreaterThan(0);
        }
        results.Where(r => r.GetProperty("verdict").GetString() == "certified").Should().OnlyContain(r => r.GetProperty("positionsCertifiedByBounds").GetInt32() == 64,
            "this small network's certificates come from bounds alone");
    }

    [Test]
    public void Enumeration_of_an_rgb_model_should_stay_a_grid_and_not_exact()
    {
        using var folder = new TempFolder();
        var json = folder.File("verify.json");

        Cli.Run("verify", "--model", "models/testing/tiny-rgb-graph.onnx", "--method", "enumerate", "--json", json, "--quiet", "--max-success-rate", "1");

        using var report = JsonDocument.Parse(File.ReadAllText(json));
        report.RootElement.GetProperty("summary").GetProperty("exact").GetBoolean().Should().BeFalse();
        report.RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("verdict").GetString()).Should().Contain("none-found-on-grid");
    }

    [Test]
    public void A_gate_that_rgb_images_searched_only_on_the_grid_could_break_should_fail_saying_so()
    {
        // 2 of 6 images have a counterexample on the grid (33 %, within 50 %); the 4 others were only searched there.
        var result = Cli.Run("verify", "--model", "models/testing/tiny-rgb-graph.onnx", "--method", "enumerate", "--max-success-rate", "0.5");

        result.ExitCode.Should().Be(ExitCodes.GateFails, "nothing proves the 4 other images robust: were they vulnerable, 6 of 6 would be");
        result.Output.Should().Contain("none found:      4 (on the colour grid; not a certificate)")
            .And.Contain("gate:            FAIL: 4 of the 6 checked images were searched only on the colour grid (RGB enumeration tries a few values per channel; finding no counterexample there is not a certificate): were they vulnerable, the vulnerable rate would be 100.0 % > 50.0 %");
    }

    [Test]
    public void The_time_limit_should_hold_for_enumeration_too()
    {
        using var folder = new TempFolder();
        var json = folder.File("verify.json");

        var result = Cli.Run("verify", "--model", "models/fashion-cnn-v1.onnx", "--method", "enumerate", "--count", "2", "--max-seconds", "0.000001", "--json", json, "--quiet");

        result.ExitCode.Should().Be(ExitCodes.GateFails, "two images with no verdict could both have a counterexample");
        result.Output.Should().Contain("undecided:       2 (the time limit came first; not a certificate)").And.Contain("method:          enumerate (not exact)");
        using var report = JsonDocument.Parse(File.ReadAllText(json));
        report.RootElement.GetProperty("results").EnumerateArray().Should().HaveCount(2).And.AllSatisfy(r =>
        {
            r.GetProperty("verdict").GetString().Should().Be("undecided");
            r.GetProperty("queries").GetInt64().Should().BeLessThan(1 + 28 * 28 * 255, "the scan stopped at the limit, not after every change");
        });
    }

    [Test]
    public void An_image_the_time_limit_leaves_open_should_be_undecided_and_not_exact()
    {
        using var folder = new TempFolder();
        var json = folder.File("verify.json");

        var result = Cli.Run("verify", "--model", "models/fashion-colour-cnn.onnx", "--skip", "1", "--count", "1", "--max-seconds", "0.000001", "--json", json, "--quiet");

        result.Output.Should().Contain("undecided:       1 (the time limit came first; not a certificate)").And.Contain("method:          bounds (not exact)");
        result.ExitCode.Should().Be(ExitCodes.GateFails, "an image with no verdict could have a counterexample: the gate (10 %) cannot be confirmed");
        result.Output.Should().Contain("gate:            FAIL: 1 of the 1 checked images is undecided (the time limit came first): were it vulnerable, the vulnerable rate would be 100.0 % > 10.0 %");
        using var report = JsonDocument.Parse(File.ReadAllText(json));
        report.RootElement.GetProperty("summary").GetProperty("exact").GetBoolean().Should().BeFalse();
        report.RootElement.GetProperty("results")[0].GetProperty("verdict").GetString().Should().Be("undecided");
    }

    [Test]
    public void Bounds_asked_for_on_a_graph_they_cannot_read_should_exit_2_naming_the_operator()
    {
        var result = Cli.Run("verify", "--model", "models/testing/constant.onnx", "--method", "bounds");

        result.ExitCode.Should().Be(ExitCodes.BadInput, result.ToString());
        result.Error.Should().Contain("--method bounds:").And.Contain("ReduceSum");
    }

    [Test]
    public void The_html_and_markdown_pages_should_show_every_counterexample_the_counts_and_the_gate()
    {
        using var folder = new TempFolder();
        var (json, html, markdown) = (folder.File("verify.json"), folder.File("verify.html"), folder.File("verify.md"));

        var result = Cli.Run("verify", "--model", "models/testing/tiny-rgb-graph.onnx", "--json", json, "--html", html, "--markdown", markdown, "--quiet", "--max-success-rate", "0.25");

        result.ExitCode.Should().Be(ExitCodes.GateFails, result.ToString());
        using var report = JsonDocument.Parse(File.ReadAllText(json));
        var results = report.RootElement.GetProperty("results").EnumerateArray().ToList();
        var counterexamples = results.Where(r => r.GetProperty("verdict").GetString() == "counterexample").ToList();
        var certified = results.Count(r => r.GetProperty("verdict").GetString() == "certified");
        counterexamples.Should().NotBeEmpty("the tiny network has images a pixel fools");
        var page = File.ReadAllText(html);
        var summary = File.ReadAllText(markdown);
        page.Should().Contain($"<tr><th>certified</th><td>{certified} (no single-pixel change alters the class)</td></tr>")
            .And.Contain("<span class=\"fail\">FAIL</span>").And.Contain("bounds (exact)");
        System.Text.RegularExpressions.Regex.Count(page, "<figure>").Should().Be(counterexamples.Count, "one picture per counterexample");
        summary.Should().Contain($"| certified | {certified} |").And.Contain("| gate | **FAIL**").And.Contain($"#### Counterexamples ({counterexamples.Count})");
        foreach (var c in counterexamples)
        {
            var name = c.GetProperty("name").GetString()!;
            var pixel = c.GetProperty("counterexample");
            var value = string.Join(", ", pixel.GetProperty("value").EnumerateArray().Select(v => v.GetInt32()));
            var where = $"({pixel.GetProperty("x").GetInt32()}, {pixel.GetProperty("y").GetInt32()}) = [{value}]";
            page.Should().Contain($"<strong>{name}</strong>").And.Contain($"pixel {where}");
            summary.Should().Contain($"| {name} |").And.Contain($"| {where} |");
        }
        foreach (var r in results)
            page.Should().Contain($"<tr><td>{r.GetProperty("name").GetString()}</td>", "every image's verdict is listed");
    }

    [TestCase(new[] { "--rgb-grid", "0,300" }, "--rgb-grid: expected values 0..255")]
    [TestCase(new[] { "--method", "fast" }, "--method: expected 'auto', 'bounds' or 'enumerate', found 'fast'")]
    [TestCase(new[] { "--full", "--method", "bounds" }, "--full: counts every fooling change, which only enumeration does")]
    [TestCase(new[] { "--max-seconds", "0" }, "--max-seconds: expected a positive number of seconds, found 0")]
    [TestCase(new[] { "--max-success-rate", "2" }, "--max-success-rate: expected a fraction 0..1")]
    [TestCase(new[] { "--threads-per-image", "0" }, "--threads-per-image: expected 1 or more, found 0")]
    public void Bad_options_should_exit_2_naming_the_option(string[] options, string message)
    {
        var result = Cli.Run(["verify", "--model", Repository.TriggerModel, .. options]);

        result.ExitCode.Should().Be(ExitCodes.BadInput, result.ToString());
        result.Error.Should().Contain(message);
    }
}
