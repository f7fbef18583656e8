using NUnit.Framework.Interfaces;
using OnePixel.Testing.NUnit.TestFixtures;

namespace OnePixel.Testing.NUnit.Tests.NUnit;

/// <summary>WholeRun: PerImage = false makes one test per method for the whole run.</summary>
public class WholeRunTests : FixtureRunTests<WholeRun>
{
    [Test]
    public void Each_method_is_one_case_named_after_the_method()
    {
        Run.Cases.Select(c => c.Name).Should().BeEquivalentTo("Resists_as_a_whole", "Resists_within_a_looser_gate");
    }

    [Test]
    public void When_the_gate_fails_the_message_has_the_expectation_and_every_fooled_image()
    {
        var result = Run.Case("Resists_as_a_whole");

        result.ResultState.Status.Should().Be(TestStatus.Failed);
        result.Message.Should().StartWith("Expected BrightCountClassifier to resist one-pixel attacks with a success rate of at most 10.0 %, but 2 of 5 attacked images were fooled")
            .And.Contain("  - edge-dark.png: dark -> bright")
            .And.Contain("  - edge-bright.png: bright -> dark");
    }

    [Test]
    public void The_run_attaches_a_picture_per_fooled_image_and_the_report()
    {
        Run.Case("Resists_as_a_whole").TestAttachments.Select(a => Path.GetFileName(a.FilePath))
            .Should().BeEquivalentTo("edge-dark.png.png", "edge-bright.png.png", "report.json");
    }

    [Test]
    public void When_the_gate_holds_the_method_receives_the_report()
    {
        Run.Case("Resists_within_a_looser_gate").ResultState.Should().Be(ResultState.Success);
        Recorder.Calls.Should().Contain(c => c.Test == typeof(WholeRun).FullName + ".Resists_within_a_looser_gate" && c.Report!.Summary.Attacked == 5);
    }

    [Test]
    public void When_the_gate_fails_the_method_does_not_run()
    {
        Recorder.Calls.Should().NotContain(c => c.Test == typeof(WholeRun).FullName + ".Resists_as_a_whole");
    }
}
