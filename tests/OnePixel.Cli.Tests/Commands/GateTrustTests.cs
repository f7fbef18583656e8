using System.Text.Json;
using OnePixel.Testing.Tests;

namespace OnePixel.Cli.Tests.Commands;

/// <summary>
/// A green run means the model was tested, and a red run's message can be repeated: no gate over
/// nothing, accuracy reported and floored, preprocessing recorded and compared, refresh commands that run.
/// </summary>
public class GateTrustTests
{
    // The constant model says class 1 ("b") whatever the image.
    private const string ConstantModel = "models/testing/constant.onnx";

    /// <summary>The five 8x8 sample images, labelled with the constant model's class names: the first four "a", the last "b".</summary>
    private static string ConstantImages(TempFolder folder)
    {
        var images = Path.Combine(folder.Path, "images");
        Directory.CreateDirectory(images);
        var source = Path.Combine(Repository.Root, "samples/images/testing-8x8");
        var names = File.ReadAllLines(Path.Combine(source, "labels.csv")).Skip(1).Select(l => l.Split(',')[0]).ToList();
        foreach (var name in names) File.Copy(Path.Combine(source, name), Path.Combine(images, name));
        File.WriteAllLines(Path.Combine(images, "labels.csv"), ["file,label", .. names.Select((n, i) => $"{n},{(i < 4 ? "a" : "b")}")]);
        return images;
    }

    [Test]
    public void A_model_that_misclassifies_every_image_fails_the_main_command_with_exit_1()
    {
        using var folder = new TempFolder();

        var result = Cli.Run("attack", "--model", ConstantModel, "--images", ConstantImages(folder), "--count", "4", "--quiet");

        result.ExitCode.Should().Be(ExitCodes.GateFails, result.ToString());
        result.Output.Should().Contain("images attacked: 0 of 4 (4 already misclassified)")
            .And.Contain("clean accuracy:  0.0 % (0 of 4 classified correctly)")
            .And.Contain("gate:            FAIL: nothing was attacked: no image of the 4 was classified correctly (clean accuracy 0 %), so no success rate can be measured");
    }

    [Test]
    public void A_verification_over_nothing_fails_its_gate()
    {
        using var folder = new TempFolder();

        var result = Cli.Run("verify", "--model", ConstantModel, "--images", ConstantImages(folder), "--count", "4", "--quiet", "--max-success-rate", "1");

        result.ExitCode.Should().Be(ExitCodes.GateFails, result.ToString());
        result.Output.Should().Contain("clean accuracy:  0.0 % (0 of 4 classified correctly)")
            .And.Contain("gate:            FAIL: nothing was checked: no image of the 4 was classified correctly (clean accuracy 0 %), so no vulnerable rate can be measured");
    }

    [Test]
    public void A_floor_on_clean_accuracy_fails_a_gate_the_success_rate_alone_would_pass()
    {
        using var folder = new TempFolder();
        var images = ConstantImages(folder);

        var without = Cli.Run("attack", "--model", ConstantModel, "--images", images, "--quiet");
        var with = Cli.Run("attack", "--model", ConstantModel, "--images", images, "--quiet", "--min-accuracy", "0.5");

        without.ExitCode.Should().Be(ExitCodes.GateHolds, without.ToString());
        without.Output.Should().Contain("clean accuracy:  20.0 % (1 of 5 classified correctly)");
        with.ExitCode.Should().Be(ExitCodes.GateFails, with.ToString());
        with.Output.Should().Contain("gate:            FAIL: clean accuracy 20.0 % < 50.0 % (1 of 5 images classified correctly)");
    }

    [Test]
    public void The_json_report_and_the_model_lines_record_accuracy_and_the_preprocessing_in_force()
    {
        using var folder = new TempFolder();
        var json = folder.File("report.json");

        var result = Cli.Run("attack", "--model", Repository.TriggerModel, "--budget", "200", "--scale", "1", "--json", json);

        result.Error.Should().Contain("        input 'image' NCHW 8x8x1, scale 1, mean [0], std [1], output 'logits' (logits), backend onnxruntime");
        using var document = JsonDocument.Parse(File.ReadAllText(json));
        var summary = document.RootElement.GetProperty("summary");
        summary.GetProperty("accuracy").GetDouble().Should().Be(0.4, "at scale 1 the gray-100 and noise images read as 'on'");
        var p = summary.GetProperty("model").GetProperty("preprocessing");
        p.GetProperty("scale").GetDouble().Should().Be(1);
        p.GetProperty("layout").GetString().Should().Be("nchw");
        p.GetProperty("inputName").GetString().Should().Be("image");
        p.GetProperty("backend").GetString().Should().Be("onnxruntime");
    }

    [Test]
    public void The_html_and_markdown_reports_show_accuracy_the_preprocessing_and_the_verdict_with_its_reason()
    {
        using var folder = new TempFolder();
        var (html, markdown) = (folder.File("report.html"), folder.File("report.md"));

        var result = Cli.Run("attack", "--model", ConstantModel, "--images", ConstantImages(folder), "--count", "4", "--html", html, "--markdown", markdown, "--quiet");

        result.ExitCode.Should().Be(ExitCodes.GateFails);
        File.ReadAllText(html).Should().Contain("<tr><th>clean accuracy</th><td>0.0 % (0 of 4 classified correctly)</td></tr>")
            .And.Contain("<tr><th>preprocessing</th><td>input &#39;image&#39; NCHW 8x8x1, scale 255, mean [0], std [1], output &#39;logits&#39; (logits), backend onnxruntime</td></tr>")
            .And.Contain("<span class=\"fail\">FAIL</span> nothing was attacked");
        File.ReadAllText(markdown).Should().Contain("| clean accuracy | 0.0 % (0 of 4 classified correctly) |")
            .And.Contain("| gate | **FAIL**: nothing was attacked: no image of the 4 was classified correctly");
    }

    [Test]
    public void A_baseline_made_at_another_scale_is_refused_and_its_refresh_command_runs_as_printed()
    {
        using var folder = new TempFolder();
        var baseline = folder.File("trigger.baseline.json");
        Cli.Run("baseline", "update", "--model", Repository.TriggerModel, "--baseline", baseline, "--budget", "200", "--scale", "1", "--quiet").ExitCode.Should().Be(0);

        var check = Cli.Run("baseline", "check", "--model", Repository.TriggerModel, "--baseline", baseline, "--quiet");

        check.ExitCode.Should().Be(ExitCodes.BadInput, check.ToString());
        check.Output.Should().Contain("  - the model is fed differently: scale: 1 in the baseline, 255 now");
        var refresh = ShellWords.OnePixelCommandIn(check.Output.Split("Refresh it, if the change is intended: ")[1]);
        refresh.Should().Contain("--scale").And.Contain("255");
        Cli.Run(refresh).ExitCode.Should().Be(ExitCodes.GateHolds);
        var again = Cli.Run("baseline", "check", "--model", Repository.TriggerModel, "--baseline", baseline, "--quiet");
        again.ExitCode.Should().Be(ExitCodes.GateHolds, again.ToString());
        again.Output.Should().Contain("verdict: no regression");
    }

    [Test]
    public void A_baseline_check_fails_on_images_that_are_misclassified_now()
    {
        using var folder = new TempFolder();
        var baseline = folder.File("trigger.baseline.json");
        Cli.Run("baseline", "update", "--model", Repository.TriggerModel, "--baseline", baseline, "--budget", "200", "--quiet").ExitCode.Should().Be(0);

        // Fed at scale 1, the gray-100 and noise images read as "on": misclassified. The preprocessing change is allowed, so they are what fails.
        var check = Cli.Run("baseline", "check", "--model", Repository.TriggerModel, "--baseline", baseline, "--scale", "1", "--allow-preprocessing-change", "--quiet");
        var allowed = Cli.Run("baseline", "check", "--model", Repository.TriggerModel, "--baseline", baseline, "--scale", "1", "--allow-preprocessing-change", "--allow-newly-misclassified", "--quiet");

        check.ExitCode.Should().Be(ExitCodes.GateFails, check.ToString());
        check.Output.Should().Contain("preprocessing changed (allowed): scale: 255 in the baseline, 1 now")
            .And.Contain("newly misclassified (3): synthetic-01-gray100.png, synthetic-02-dim-noise.png, synthetic-03-noise.png")
            .And.Contain("verdict: REGRESSION: 3 images classified correctly in the baseline are misclassified now");
        allowed.ExitCode.Should().Be(ExitCodes.GateHolds, allowed.ToString());
    }

    [TestCase(new[] { "--scale", "abc" }, "onepixel: --scale: expected a number (such as 255, 0.5 or 1e-3), found 'abc'.")]
    [TestCase(new[] { "--seed", "-1" }, "onepixel: --seed: expected a whole number 0 or more, found '-1'.")]
    [TestCase(new[] { "--min-accuracy", "high" }, "onepixel: --min-accuracy: expected a fraction 0..1 (such as 0.1 for 10%), found 'high'.")]
    [TestCase(new[] { "--min-accuracy", "1.2" }, "onepixel: --min-accuracy: expected a fraction 0..1 (0.8 for 80%), found 1.2.")]
    [TestCase(new[] { "--indices", "3,1" }, "onepixel: --indices: positions must ascend, each once; found 1 after 3 in '3,1'.")]
    public void A_value_of_the_wrong_kind_is_named_by_its_option(string[] option, string message)
    {
        var result = Cli.Run(["attack", "--model", Repository.TriggerModel, "--quiet", .. option]);

        result.ExitCode.Should().Be(ExitCodes.BadInput, result.ToString());
        result.Error.Should().StartWith(message).And.NotContain("System.");
    }

    [Test]
    public void A_model_without_a_sidecar_is_said_to_have_none()
    {
        using var folder = new TempFolder();
        var bare = folder.File("bare.onnx");
        File.Copy(Path.Combine(Repository.Root, Repository.TriggerModel), bare);

        var result = Cli.Run("attack", "--model", bare, "--quiet");

        result.ExitCode.Should().Be(ExitCodes.BadInput);
        result.Error.Should().Be($"onepixel: --images: not given, and {bare} has no sidecar (bare.onnx.json) to name sampleImages; expected an image folder or file.\n".ReplaceLineEndings());
    }

    [Test]
    public void Indices_attack_exactly_the_positions_named()
    {
        using var folder = new TempFolder();
        var json = folder.File("report.json");

        var result = Cli.Run("attack", "--model", Repository.TriggerModel, "--budget", "200", "--indices", "1,3-4", "--json", json, "--quiet");

        result.Output.Should().Contain("images attacked: 3 of 3", result.ToString());
        using var document = JsonDocument.Parse(File.ReadAllText(json));
        document.RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("index").GetInt32()).Should().Equal(1, 3, 4);
    }

    [Test]
    public void A_model_path_that_is_not_there_is_named_with_the_folder_it_was_looked_for_in()
    {
        var result = Cli.Run("attack", "--model", "models/no-such.onnx", "--quiet");

        result.ExitCode.Should().Be(ExitCodes.BadInput);
        result.Error.Should().StartWith($"onepixel: models/no-such.onnx: model file not found in the current directory ({Repository.Root}).");
    }
}
