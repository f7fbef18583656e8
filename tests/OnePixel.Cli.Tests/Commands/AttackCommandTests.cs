using OnePixel.Testing.Reports;

namespace OnePixel.Cli.Tests.Commands;

public class AttackCommandTests
{
    [Test]
    public void A_model_that_one_pixel_fools_should_fail_the_gate_with_exit_code_1()
    {
        var result = Cli.Run("attack", "--model", Repository.TriggerModel, "--budget", "400", "--quiet");

        result.ExitCode.Should().Be(ExitCodes.GateFails, result.ToString());
        result.Output.Should().Contain("gate:            FAIL").And.Contain("fooled synthetic-00-black.png: off -> on");
    }

    [Test]
    public void The_gate_should_hold_with_exit_code_0_when_the_success_rate_is_allowed()
    {
        var result = Cli.Run("attack", "--model", Repository.TriggerModel, "--budget", "400", "--quiet", "--max-success-rate", "1");

        result.ExitCode.Should().Be(ExitCodes.GateHolds, result.ToString());
        result.Output.Should().Contain("gate:            PASS");
    }

    [Test]
    public void Quiet_should_leave_out_progress_and_model_details()
    {
        var result = Cli.Run("attack", "--model", Repository.TriggerModel, "--budget", "400", "--quiet");

        result.Error.Should().BeEmpty();
    }

    [Test]
    public void Without_quiet_the_model_images_and_budget_should_be_described_on_standard_error()
    {
        var result = Cli.Run("attack", "--model", Repository.TriggerModel, "--budget", "400");

        result.Error.Should().Contain("model   models/testing/single-pixel-trigger.onnx (8x8x1, 2 classes)").And.Contain("budget  400 queries");
    }

    [TestCase(new[] { "--budget", "0" }, "--budget: expected 5 or more")]
    [TestCase(new[] { "--budget", "lots" }, "lots")]
    [TestCase(new[] { "--max-success-rate", "1.5" }, "--max-success-rate: expected a fraction 0..1")]
    [TestCase(new[] { "--max-success-rate", "-0.1" }, "--max-success-rate: expected a fraction 0..1")]
    [TestCase(new[] { "--population", "3" }, "--population: expected 4 or more")]
    [TestCase(new[] { "--budget", "50", "--population", "60" }, "--budget: 50 queries cannot score the image and a population of 60")]
    [TestCase(new[] { "--count", "0" }, "--count: expected 1 or more")]
    [TestCase(new[] { "--pixels", "0" }, "--pixels: expected 1 or more")]
    [TestCase(new[] { "--paper", "--budget", "400" }, "--paper: sets the budget and population itself")]
    [TestCase(new[] { "--shard", "5/4" }, "--shard: expected I/N with 1 <= I <= N, found '5/4'")]
    [TestCase(new[] { "--shard", "half" }, "--shard: expected I/N such as 1/4")]
    [TestCase(new[] { "--layout", "chw" }, "--layout")]
    [TestCase(new[] { "--output", "scores" }, "--output")]
    [TestCase(new[] { "--mean", "0.5,x" }, "--mean: expected numbers")]
    [TestCase(new[] { "--target", "socks" }, "--target: unknown label 'socks'")]
    [TestCase(new[] { "--no-such-option" }, "--no-such-option")]
    public void A_bad_option_value_should_exit_2_with_a_message_naming_the_option(string[] option, string message)
    {
        var result = Cli.Run(["attack", "--model", Repository.TriggerModel, "--quiet", .. option]);

        result.ExitCode.Should().Be(ExitCodes.BadInput, result.ToString());
        result.Error.Should().Contain(message);
        result.Output.Should().BeEmpty();
    }

    [Test]
    public void A_missing_model_option_should_exit_2_naming_it()
    {
        var result = Cli.Run("attack", "--budget", "400");

        result.ExitCode.Should().Be(ExitCodes.BadInput);
        result.Error.Should().Contain("--model");
    }

    [Test]
    public void A_model_file_that_does_not_exist_should_exit_2_naming_the_file()
    {
        var result = Cli.Run("attack", "--model", "models/no-such-model.onnx");

        result.ExitCode.Should().Be(ExitCodes.BadInput);
        result.Error.Should().Contain("models/no-such-model.onnx: model file not found");
    }

    [Test]
    public void A_corrupt_model_file_should_exit_2_naming_the_file()
    {
        var result = Cli.Run("attack", "--model", "models/testing/corrupt.onnx", "--quiet");

        result.ExitCode.Should().Be(ExitCodes.BadInput, result.ToString());
        result.Error.Should().Contain("corrupt.onnx");
    }

    [Test]
    public void An_image_folder_that_does_not_exist_should_exit_2_naming_it()
    {
        var result = Cli.Run("attack", "--model", Repository.TriggerModel, "--images", "samples/no-such-folder", "--quiet");

        result.ExitCode.Should().Be(ExitCodes.BadInput);
        result.Error.Should().Contain("samples/no-such-folder: image source not found");
    }

    [Test]
    public void An_unreadable_image_should_exit_2_naming_the_file()
    {
        using var folder = new TempFolder();
        folder.Write("labels.csv", "file,label\nbroken.png,0\n");
        folder.Write("broken.png", "this is not a PNG");

        var result = Cli.Run("attack", "--model", Repository.TriggerModel, "--images", folder.Path, "--quiet");

        result.ExitCode.Should().Be(ExitCodes.BadInput, result.ToString());
        result.Error.Should().Contain("broken.png: not a readable image");
    }

    [Test]
    public void The_JSON_report_should_read_back_with_the_printed_figures()
    {
        using var folder = new TempFolder();
        var json = folder.File("report.json");

        var result = Cli.Run("attack", "--model", Repository.TriggerModel, "--budget", "400", "--quiet", "--json", json);
        var report = JsonReportReader.Read(json);

        result.ExitCode.Should().Be(ExitCodes.GateFails);
        report.Summary.Images.Should().Be(5);
        result.Output.Should().Contain($"fooled:          {report.Summary.Fooled}\n");
        report.Model!.Path.Should().Be(Repository.TriggerModel);
    }

    [Test]
    public void Html_and_markdown_reports_should_be_written_beside_the_json()
    {
        using var folder = new TempFolder();

        var result = Cli.Run("attack", "--model", Repository.TriggerModel, "--budget", "400", "--quiet",
            "--html", folder.File("report.html"), "--markdown", folder.File("report.md"));

        result.ExitCode.Should().Be(ExitCodes.GateFails, result.ToString());
        File.ReadAllText(folder.File("report.html")).Should().Contain("data:image/png;base64,");
        File.ReadAllText(folder.File("report.md")).Should().Contain("| synthetic-00-black.png | off | on |");
    }

    [Test]
    public void A_report_path_that_is_a_folder_should_exit_2_before_attacking()
    {
        using var folder = new TempFolder();

        var result = Cli.Run("attack", "--model", Repository.TriggerModel, "--json", folder.Path);

        result.ExitCode.Should().Be(ExitCodes.BadInput);
        result.Error.Should().Be($"onepixel: --json: {folder.Path} is a folder; expected a file name to write.\n");
    }

    [Test]
    public void A_shard_should_attack_only_its_share_of_the_images()
    {
        using var folder = new TempFolder();
        var json = folder.File("shard.json");

        var result = Cli.Run("attack", "--model", Repository.TriggerModel, "--budget", "400", "--quiet", "--shard", "2/2", "--json", json);
        var report = JsonReportReader.Read(json);

        result.ExitCode.Should().Be(ExitCodes.GateFails, result.ToString());
        report.Results.Select(r => r.Index).Should().Equal(1, 3);
        report.Shard.Should().Be(new OnePixel.Testing.Imaging.ImageShard(2, 2));
    }

    [Test]
    public void More_shards_than_images_should_exit_2_saying_so()
    {
        var result = Cli.Run("attack", "--model", Repository.TriggerModel, "--quiet", "--shard", "6/6");

        result.ExitCode.Should().Be(ExitCodes.BadInput);
        result.Error.Should().Contain("shard 6/6 holds no image: the set has 5 image(s)");
    }
}
