using NUnit.Framework.Interfaces;
using OnePixel.Testing.NUnit.TestFixtures;

namespace OnePixel.Testing.NUnit.Tests.NUnit;

/// <summary>GateHolds: the same 2 of 5 images are fooled, but 50% may be.</summary>
public class WhenTheGateHoldsTests : FixtureRunTests<GateHolds>
{
    [Test]
    public void Every_case_passes()
    {
        Run.Cases.Should().HaveCount(5).And.AllSatisfy(c => c.ResultState.Should().Be(ResultState.Success));
    }

    [Test]
    public void A_fooled_image_says_so_in_its_output()
    {
        Run.Case("Resists_one_pixel_attacks(edge-dark.png)").Output
            .Should().Contain("Fooled, within the gate (2 of 5 attacked images were fooled").And.Contain("at most 50.0 % allowed): edge-dark.png: dark -> bright");
    }

    [Test]
    public void A_fooled_image_still_gets_its_picture_and_the_report_attached()
    {
        Run.Case("Resists_one_pixel_attacks(edge-bright.png)").TestAttachments.Select(a => Path.GetFileName(a.FilePath))
            .Should().BeEquivalentTo("edge-bright.png.png", "report.json");
    }

    [Test]
    public void The_method_receives_the_report_and_its_own_image_result()
    {
        var calls = Recorder.Calls.Where(c => c.Test.StartsWith(typeof(GateHolds).FullName + ".", StringComparison.Ordinal)).ToList();

        calls.Select(c => c.Result!.Name).Distinct().Should().HaveCount(5);
        calls.Should().AllSatisfy(c =>
        {
            c.Test.Should().EndWith($"({c.Result!.Name})");
            c.Report!.Summary.Fooled.Should().Be(2);
        });
    }
}
