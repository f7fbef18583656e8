using NUnit.Framework.Interfaces;
using OnePixel.Testing.Imaging;
using OnePixel.Testing.NUnit.TestFixtures;

namespace OnePixel.Testing.NUnit.Tests.NUnit;

/// <summary>GateFails: 2 of the 5 images (edge-dark, edge-bright) are fooled; at most 10% may be.</summary>
public class WhenTheGateFailsTests : FixtureRunTests<GateFails>
{
    [Test]
    public void There_is_one_case_per_image_named_after_the_image()
    {
        Run.Cases.Select(c => c.Name).Should().BeEquivalentTo(
            "Resists_one_pixel_attacks(dark.png)", "Resists_one_pixel_attacks(light.png)", "Resists_one_pixel_attacks(speckled.png)",
            "Resists_one_pixel_attacks(edge-dark.png)", "Resists_one_pixel_attacks(edge-bright.png)");
    }

    [Test]
    public void Every_case_is_in_the_Robustness_category()
    {
        Run.Cases.Should().AllSatisfy(c => c.Test.Properties["Category"].Cast<string>().Should().Contain(RobustnessTestAttribute.Category));
    }

    [Test]
    public void The_cases_of_the_fooled_images_fail()
    {
        Run.Cases.Where(c => c.ResultState.Status == TestStatus.Failed).Select(c => c.Name).Should().BeEquivalentTo(
            "Resists_one_pixel_attacks(edge-dark.png)", "Resists_one_pixel_attacks(edge-bright.png)");
    }

    [Test]
    public void The_cases_of_the_images_that_resist_pass()
    {
        Run.Case("Resists_one_pixel_attacks(dark.png)").ResultState.Should().Be(ResultState.Success);
        Run.Case("Resists_one_pixel_attacks(speckled.png)").ResultState.Should().Be(ResultState.Success);
    }

    [Test]
    public void The_message_names_the_image_its_classes_the_pixel_and_the_confidence()
    {
        var message = Run.Case("Resists_one_pixel_attacks(edge-dark.png)").Message;

        message.Should().StartWith("edge-dark.png was fooled:");
        message.Should().MatchRegex(@"edge-dark\.png: dark -> bright, pixel \(\d, [4-7]\) = \d+, confidence 80\.0 %");
    }

    [Test]
    public void The_message_gives_the_success_rate_with_its_Wilson_interval_against_the_maximum()
    {
        var message = Run.Case("Resists_one_pixel_attacks(edge-dark.png)").Message;

        message.Should().Contain("with a success rate of at most 10.0 %");
        message.Should().Contain("2 of 5 attacked images were fooled: a success rate of 40.0 % (95% Wilson interval 11.8 %..76.9 %)");
    }

    [Test]
    public void The_message_lists_every_fooled_image()
    {
        var message = Run.Case("Resists_one_pixel_attacks(edge-dark.png)").Message;

        message.Should().Contain("  - edge-dark.png: dark -> bright").And.Contain("  - edge-bright.png: bright -> dark");
    }

    [Test]
    public void The_message_gives_the_budget_and_seed_that_reproduce_it()
    {
        var message = Run.Case("Resists_one_pixel_attacks(edge-bright.png)").Message;

        message.Should().Contain("Reproduce with budget 200 queries (population 5, ").And.Contain("seed 2019, 1 pixel, untargeted");
    }

    [Test]
    public void A_fooled_image_gets_its_picture_attached()
    {
        var attachment = Run.Case("Resists_one_pixel_attacks(edge-dark.png)").TestAttachments
            .Single(a => a.FilePath.EndsWith(".png", StringComparison.Ordinal));

        attachment.Description.Should().Contain("edge-dark.png: dark -> bright");
        var picture = ImageFile.Load(attachment.FilePath);
        // Two 8x8 images enlarged 8 times, a 2-pixel margin round each, 8 pixels between them.
        picture.Shape.Should().Be(new ImageShape(2 * (64 + 4) + 8, 64 + 4, 3));
    }

    [Test]
    public void A_fooled_image_gets_the_JSON_report_attached()
    {
        var attachment = Run.Case("Resists_one_pixel_attacks(edge-bright.png)").TestAttachments
            .Single(a => a.FilePath.EndsWith(".json", StringComparison.Ordinal));

        var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(attachment.FilePath)).RootElement;
        json.GetProperty("schemaVersion").GetInt32().Should().Be(1);
        json.GetProperty("summary").GetProperty("fooled").GetInt32().Should().Be(2);
    }

    [Test]
    public void An_image_that_resists_gets_no_attachment()
    {
        Run.Case("Resists_one_pixel_attacks(light.png)").TestAttachments.Should().BeEmpty();
    }

    [Test]
    public void The_method_runs_only_for_the_cases_that_pass()
    {
        Recorder.Calls.Where(c => c.Test.StartsWith(typeof(GateFails).FullName + ".", StringComparison.Ordinal))
            .Select(c => c.Result!.Name).Distinct()
            .Should().BeEquivalentTo("dark.png", "light.png", "speckled.png");
    }
}
