using OnePixel.Testing.Baselines;

namespace OnePixel.Cli.Tests.Commands;

public class BaselineCommandTests
{
    [Test]
    public void Update_should_write_the_baseline_and_check_should_then_find_no_regression()
    {
        using var folder = new TempFolder();
        var path = folder.File("trigger.baseline.json");

        var update = Cli.Run("baseline", "update", "--model", Repository.TriggerModel, "--baseline", path, "--budget", "300", "--quiet");
        var check = Cli.Run("baseline", "check", "--model", Repository.TriggerModel, "--baseline", path, "--quiet");

        update.ExitCode.Should().Be(ExitCodes.GateHolds, update.ToString());
        BaselineFile.Read(path).Settings.Budget.Should().Be(300);
        check.ExitCode.Should().Be(ExitCodes.GateHolds, check.ToString());
        check.Output.Should().Contain("newly fooled (0): none").And.Contain("verdict: no regression");
    }

    [Test]
    public void Check_should_exit_1_and_name_the_images_a_weaker_model_lets_through()
    {
        using var folder = new TempFolder();
        var (path, images) = SturdierBaseline(folder);

        var check = Cli.Run("baseline", "check", "--model", Repository.TriggerModel, "--images", images, "--baseline", path, "--quiet");

        check.ExitCode.Should().Be(ExitCodes.GateFails, check.ToString());
        check.Output.Should().Contain("newly fooled (2): a.png, b.png").And.Contain("verdict: REGRESSION");
    }

    [Test]
    public void Check_with_a_significance_level_should_pass_two_newly_fooled_images_unless_asked_to_fail_on_them()
    {
        using var folder = new TempFolder();
        var (path, images) = SturdierBaseline(folder);
        string[] check = ["baseline", "check", "--model", Repository.TriggerModel, "--images", images, "--baseline", path, "--quiet"];

        var level = Cli.Run([.. check, "--significance", "0.05"]);
        var strict = Cli.Run([.. check, "--significance", "0.05", "--fail-on-newly-fooled"]);
        var contradictory = Cli.Run([.. check, "--allow-newly-fooled", "--fail-on-newly-fooled", "--significance", "0.05"]);
        var pointless = Cli.Run([.. check, "--fail-on-newly-fooled"]);

        level.ExitCode.Should().Be(ExitCodes.GateHolds, level.ToString());
        level.Output.Should().Contain("paired test:    2 newly fooled, 0 newly resisting: McNemar exact p = 0.5")
            .And.Contain("note: the success rate rose by 100.0 points, but not significantly at level 0.05").And.Contain("verdict: no regression");
        strict.ExitCode.Should().Be(ExitCodes.GateFails, strict.ToString());
        strict.Output.Should().Contain("verdict: REGRESSION: 2 images that resisted in the baseline are fooled now");
        contradictory.ExitCode.Should().Be(ExitCodes.BadInput);
        contradictory.Error.Should().Contain("--allow-newly-fooled, --fail-on-newly-fooled: say opposite things");
        pointless.ExitCode.Should().Be(ExitCodes.BadInput);
        pointless.Error.Should().Contain("--fail-on-newly-fooled: is the default without --significance");
    }

    [Test]
    public void Check_should_exit_2_and_say_what_differs_when_the_baseline_was_made_on_other_images()
    {
        using var folder = new TempFolder();
        var path = folder.File("baseline.json");
        Cli.Run("baseline", "update", "--model", Repository.TriggerModel, "--baseline", path, "--budget", "300", "--quiet");

        var check = Cli.Run("baseline", "check", "--model", Repository.TriggerModel, "--baseline", path, "--count", "2", "--quiet");

        check.ExitCode.Should().Be(ExitCodes.BadInput, check.ToString());
        check.Output.Should().Contain("does not match this run").And.Contain("images missing now:").And.Contain("onepixel baseline update");
    }

    [Test]
    public void Check_without_a_baseline_file_should_exit_2_and_say_how_to_make_one()
    {
        var check = Cli.Run("baseline", "check", "--model", Repository.TriggerModel, "--baseline", "/nowhere/baseline.json");

        check.ExitCode.Should().Be(ExitCodes.BadInput);
        check.Error.Should().Contain("/nowhere/baseline.json: baseline file not found. Make one");
    }

    /// <summary>A baseline in which both black images resisted, for a check against the trigger model that one pixel fools (2 newly fooled).</summary>
    private static (string Path, string Images) SturdierBaseline(TempFolder folder)
    {
        var path = folder.File("baseline.json");
        var images = BlackImages(folder);
        Cli.Run("baseline", "update", "--model", Repository.TriggerModel, "--images", images, "--baseline", path, "--budget", "300", "--quiet");
        var baseline = BaselineFile.Read(path);
        BaselineFile.Write(baseline with { Images = baseline.Images.Select(i => i with { Outcome = BaselineOutcome.Resisted, AdversarialLabel = null }).ToList() }, path);
        return (path, images);
    }

    /// <summary>Two black 8x8 images labelled "off", in a folder of their own.</summary>
    private static string BlackImages(TempFolder folder)
    {
        var images = Path.Combine(folder.Path, "images");
        Directory.CreateDirectory(images);
        foreach (var name in new[] { "a.png", "b.png" })
            File.Copy(Path.Combine(Repository.Root, "samples/images/testing-8x8/synthetic-00-black.png"), Path.Combine(images, name));
        File.WriteAllText(Path.Combine(images, "labels.csv"), "file,label\na.png,off\nb.png,off\n");
        return images;
    }
}
