using System.Text.Json;
using NUnit.Framework.Interfaces;
using OnePixel.Testing.NUnit.TestFixtures;
using OnePixel.Testing.NUnit.Tests.NUnit;

namespace OnePixel.Cli.Tests.Commands;

/// <summary>
/// The command a failing attribute test prints, run word for word through the command line, gives the same
/// fooled images: the model configured in [RobustnessModel] alone (no sidecar, scale 1) and a slice of the images.
/// </summary>
public class ReproduceCommandTests : FixtureRunTests<ConfiguredInTheAttribute>
{
    [Test]
    public void The_printed_command_attacks_the_same_images_the_same_way_and_fools_the_same_ones()
    {
        var failing = Run.Cases.Where(c => c.ResultState.Status == TestStatus.Failed).ToList();
        failing.Select(c => c.Name).Should().Equal(["Resists_one_pixel_attacks(synthetic-00-black.png)"], "at scale 1 the black image is fooled and the next two are misclassified");
        var message = failing[0].Message;
        var arguments = ShellWords.OnePixelCommandIn(message);
        arguments.Should().ContainInConsecutiveOrder("--scale", "1").And.ContainInConsecutiveOrder("--count", "3").And.ContainInConsecutiveOrder("--layout", "nchw");

        var result = RunCommand(arguments, out var fooled, out var accuracy);

        result.Should().Be(ExitCodes.GateFails, "the test failed, so must the command that reproduces it");
        fooled.Should().Equal("synthetic-00-black.png");
        accuracy.Should().BeApproximately(1 / 3.0, 1e-9);
        message.Should().Contain("Clean accuracy 33.3 %: 1 of 3 images classified correctly, 2 misclassified (not attacked).");
    }

    /// <summary>The FluentAssertions assertion's command (a model configured in code, a shard of the images), likewise.</summary>
    [Test]
    public void The_command_a_failing_assertion_prints_fools_the_same_images()
    {
        var run = FixtureRun.Of<AssertionConfiguredInCode>(WorkPath);
        var failed = run.Cases.Single();
        failed.ResultState.Status.Should().Be(TestStatus.Failed);
        var arguments = ShellWords.OnePixelCommandIn(failed.Message);
        arguments.Should().ContainInConsecutiveOrder("--scale", "1").And.ContainInConsecutiveOrder("--shard", "1/2").And.ContainInConsecutiveOrder("--count", "5");

        var result = RunCommand(arguments, out var fooled, out var accuracy);

        result.Should().Be(ExitCodes.GateFails);
        fooled.Should().Equal(AssertionConfiguredInCode.Fooled);
        accuracy.Should().BeApproximately(2 / 3.0, 1e-9, "of the shard's three images, the dim-noise image is misclassified at scale 1");
    }

    /// <summary>A failing verification's command (`onepixel verify`), likewise: the same vulnerable images, the same exit.</summary>
    [Test]
    public void The_command_a_failing_verification_prints_finds_the_same_counterexamples()
    {
        var run = FixtureRun.Of<VerifiedTriggerModel>(WorkPath);
        var arguments = ShellWords.OnePixelCommandIn(run.Cases.First(c => c.ResultState.Status == TestStatus.Failed).Message);
        arguments[0].Should().Be("verify");
        arguments.Should().ContainInConsecutiveOrder("--method", "bounds").And.ContainInConsecutiveOrder("--scale", "255");

        using var folder = new TempFolder();
        var json = folder.File("verify.json");
        var code = OnePixelCommandLine.Run([.. arguments, "--json", json, "--quiet"], new StringWriter(), new StringWriter());

        code.Should().Be(ExitCodes.GateFails);
        using var report = JsonDocument.Parse(File.ReadAllText(json));
        report.RootElement.GetProperty("results").EnumerateArray().Where(r => r.GetProperty("verdict").GetString() == "counterexample")
            .Select(r => r.GetProperty("name").GetString()).Should().HaveCount(5, "every case of the test failed with a counterexample");
    }

    /// <summary>
    /// A verification failed because its undecided images could break the gate: the printed command (time limit
    /// included) gives the same verdicts and fails its gate for the same reason.
    /// </summary>
    [Test]
    public void The_command_a_verification_with_undecided_images_prints_fails_the_gate_for_the_same_reason()
    {
        var run = FixtureRun.Of<VerifiedUndecidedAgainstAGate>(WorkPath);
        var arguments = ShellWords.OnePixelCommandIn(run.Cases.First(c => c.ResultState.Status == TestStatus.Failed).Message);
        arguments.Should().ContainInConsecutiveOrder("--max-seconds", "1E-06").And.ContainInConsecutiveOrder("--max-success-rate", "0.5");

        using var folder = new TempFolder();
        var json = folder.File("verify.json");
        var output = new StringWriter();
        var code = OnePixelCommandLine.Run([.. arguments, "--json", json], output, new StringWriter());

        code.Should().Be(ExitCodes.GateFails, output.ToString());
        output.ToString().Should().Contain("gate:            FAIL: 3 of the 3 checked images are undecided (the time limit came first): were they vulnerable, the vulnerable rate would be 100.0 % > 50.0 %");
        using var report = JsonDocument.Parse(File.ReadAllText(json));
        report.RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("verdict").GetString())
            .Should().Equal("undecided", "undecided", "undecided");
    }

    /// <summary>Runs `onepixel` in-process with a JSON report, returning the exit code, the fooled images and the clean accuracy.</summary>
    internal static int RunCommand(string[] arguments, out IReadOnlyList<string> fooled, out double accuracy)
    {
        using var folder = new TempFolder();
        var json = folder.File("report.json");
        var error = new StringWriter();
        var code = OnePixelCommandLine.Run([.. arguments, "--json", json, "--quiet"], new StringWriter(), error);
        File.Exists(json).Should().BeTrue($"the command ran: {string.Join(' ', arguments)}\n{error}");
        using var report = JsonDocument.Parse(File.ReadAllText(json));
        fooled = report.RootElement.GetProperty("results").EnumerateArray()
            .Where(r => r.GetProperty("fooled").GetBoolean()).Select(r => r.GetProperty("name").GetString()!).ToList();
        accuracy = report.RootElement.GetProperty("summary").GetProperty("accuracy").GetDouble();
        return code;
    }
}
