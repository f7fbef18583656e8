using NUnit.Framework.Interfaces;
using OnePixel.Testing.NUnit.TestFixtures;

namespace OnePixel.Testing.NUnit.Tests.NUnit;

/// <summary>A model that misclassifies every image fails the samples' gate: every case, saying why.</summary>
public class BrokenModelTests : FixtureRunTests<BrokenModel>
{
    [Test]
    public void Every_case_fails_because_nothing_was_attacked()
    {
        Run.Cases.Should().HaveCount(5).And.AllSatisfy(c =>
        {
            c.ResultState.Status.Should().Be(TestStatus.Failed);
            c.Message.Should().Contain("is misclassified: ")
                .And.Contain("to resist one-pixel attacks with a success rate of at most 20.0 %, but nothing was attacked: no image of the 5 was classified correctly (clean accuracy 0 %), so no success rate can be measured.");
        });
        Run.Case("Resists_one_pixel_attacks(dark.png)").Message.Should().StartWith("dark.png is misclassified: dark classified as bright.");
    }
}

/// <summary>An accuracy floor fails the misclassified images' cases, even though nothing was fooled.</summary>
public class AccuracyFloorTests : FixtureRunTests<BelowTheAccuracyFloor>
{
    [Test]
    public void The_misclassified_images_cases_fail_and_the_others_pass()
    {
        Run.Cases.Where(c => c.ResultState.Status == TestStatus.Failed).Select(c => c.Name).Should().BeEquivalentTo(
            "Resists_one_pixel_attacks(light.png)", "Resists_one_pixel_attacks(edge-bright.png)");
        Run.Case("Resists_one_pixel_attacks(light.png)").Message.Should()
            .Contain("to resist one-pixel attacks with a success rate of at most 10.0 % and a clean accuracy of at least 90.0 %, but clean accuracy 60.0 % < 90.0 % (3 of 5 images classified correctly).");
        Run.Case("Resists_one_pixel_attacks(dark.png)").Output.Should().Contain("gate FAIL: clean accuracy 60.0 % < 90.0 %");
    }
}

/// <summary>Images of the target class are not attacked, and are not called misclassified.</summary>
public class TargetClassTests : FixtureRunTests<TargetClassImages>
{
    [Test]
    public void A_target_class_image_says_it_is_of_the_target_class()
    {
        var dark = Run.Case("Resists_one_pixel_attacks(dark.png)");

        dark.ResultState.Status.Should().Be(TestStatus.Passed);
        dark.Output.Should().Contain("Not attacked: dark.png is of the target class dark (the model classifies it correctly), so there is nothing to turn it into.")
            .And.NotContain("already classifies");
    }
}

/// <summary>A passing FluentAssertions assertion under NUnit prints its summary and attaches the evidence, as the attribute does.</summary>
public class PassingAssertionTests : FixtureRunTests<AssertionPasses>
{
    [Test]
    public void It_prints_the_one_line_summary_and_attaches_the_fooled_pictures_and_the_report()
    {
        var result = Run.Cases.Single();

        result.ResultState.Status.Should().Be(TestStatus.Passed, result.Message);
        result.Output.Should().Contain("onepixel: the classifier: 2 of 5 attacked images fooled (40.0 %, 95% Wilson interval 11.8 %..76.9 %), clean accuracy 100.0 % (5 of 5); gate PASS: success rate 40.0 % <= 50.0 %");
        result.TestAttachments.Select(a => Path.GetFileName(a.FilePath)).Should().BeEquivalentTo("edge-dark.png.png", "edge-bright.png.png", "report.json");
        result.TestAttachments.Should().OnlyContain(a => File.Exists(a.FilePath));
    }

    [TestCase("mnist_test.csv:9", "mnist_test.csv_9")]
    [TestCase("train-images-idx3-ubyte#0042", "train-images-idx3-ubyte_0042")]
    [TestCase("a<b>c|d?e*f\"g\\h/i", "a_b_c_d_e_f_g_h_i")]
    [TestCase("trailing. ", "trailing")]
    public void Attachment_names_hold_no_character_a_file_system_or_artifact_uploader_refuses(string name, string safe) =>
        RobustnessAttachments.Safe(name).Should().Be(safe);
}

/// <summary>Mean, std, output kind and backend given in [RobustnessModel] are in force, and recorded in the report.</summary>
public class NormalisedInTheAttributeTests : FixtureRunTests<NormalisedInTheAttribute>
{
    [Test]
    public void The_attributes_preprocessing_is_used_and_recorded()
    {
        var result = Run.Cases.Single();
        result.ResultState.Status.Should().Be(TestStatus.Passed, result.Message);
        var report = OnePixel.Testing.Reports.JsonReportReader.Read(result.TestAttachments.Single(a => a.FilePath.EndsWith("report.json", StringComparison.Ordinal)).FilePath);

        report.Model!.Preprocessing.Should().BeEquivalentTo(new { Std = new[] { 0.25f }, OutputKind = "logits", Backend = "mlnet", Scale = 255f });
        report.Summary.Accuracy.Should().Be(0.4, "at std 0.25 the trigger fires from raw value 32, so the gray-100 and noise images read as 'on'");
    }
}
