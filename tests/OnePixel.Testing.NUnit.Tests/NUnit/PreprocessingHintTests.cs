using NUnit.Framework.Interfaces;
using OnePixel.Testing.NUnit.TestFixtures;

namespace OnePixel.Testing.NUnit.Tests.NUnit;

/// <summary>A model fed the wrong scale: every case's output names the [RobustnessModel] setting that classifies its images.</summary>
public class PreprocessingHintTests : FixtureRunTests<FedTheWrongScale>
{
    [Test]
    public void Every_case_says_which_setting_classifies_the_images()
    {
        Run.Cases.Should().HaveCount(6).And.AllSatisfy(c => c.Output.Should()
            .Contain("onepixel hint: only ").And.Contain("of 6 images are classified correctly with the pixels fed as now (scale 255, mean 0, std 1); fed 0..255 (--scale 1), 6 of 6 are.")
            .And.Contain("If the model was trained on 0..255 inputs, set Scale = 1 on [RobustnessModel], or put \"scale\": 1 in raw255-nhwc.onnx.json."));
    }

    [Test]
    public void The_misclassified_images_fail_the_accuracy_floor_with_the_hint_in_their_message()
    {
        var failed = Run.Cases.Where(c => c.ResultState.Status == TestStatus.Failed).ToList();

        failed.Should().NotBeEmpty();
        failed.Should().AllSatisfy(c => c.Message.Should().Contain("is misclassified").And.Contain("set Scale = 1 on [RobustnessModel]"));
    }
}

/// <summary>The same model set up as the hint says: its images are classified and no hint is given.</summary>
public class PreprocessingHintTakenTests : FixtureRunTests<FedAsTheHintSays>
{
    [Test]
    public void The_setting_it_names_classifies_every_image_and_draws_no_hint()
    {
        Run.Cases.Should().HaveCount(6).And.AllSatisfy(c =>
        {
            c.ResultState.Status.Should().Be(TestStatus.Passed);
            c.Output.Should().Contain("clean accuracy 100.0 % (6 of 6)").And.NotContain("onepixel hint");
        });
    }
}

/// <summary>The same hint for a verification of the model fed the wrong scale.</summary>
public class PreprocessingHintVerificationTests : FixtureRunTests<FedTheWrongScaleVerified>
{
    [Test]
    public void The_misclassified_images_fail_the_accuracy_floor_with_the_hint_in_their_message()
    {
        var failed = Run.Cases.Where(c => c.ResultState.Status == TestStatus.Failed).ToList();

        failed.Should().NotBeEmpty();
        failed.Should().AllSatisfy(c => c.Message.Should().Contain("misclassified").And.Contain("set Scale = 1 on [RobustnessModel]"));
    }
}
