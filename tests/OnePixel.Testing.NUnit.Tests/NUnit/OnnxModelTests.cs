using NUnit.Framework.Interfaces;
using OnePixel.Testing.NUnit.TestFixtures;

namespace OnePixel.Testing.NUnit.Tests.NUnit;

/// <summary>OnnxModelByPath: the single-pixel-trigger model on the five 8x8 images its sidecar names.</summary>
public class OnnxModelTests : FixtureRunTests<OnnxModelByPath>
{
    [Test]
    public void The_model_path_is_found_from_the_repository_root_and_the_sidecar_names_the_images()
    {
        Run.Cases.Select(c => c.Name).Should().Equal(
            "Resists_one_pixel_attacks(synthetic-00-black.png)", "Resists_one_pixel_attacks(synthetic-01-gray100.png)",
            "Resists_one_pixel_attacks(synthetic-02-dim-noise.png)", "Resists_one_pixel_attacks(synthetic-03-noise.png)",
            "Resists_one_pixel_attacks(synthetic-04-trigger-on.png)");
    }

    [Test]
    public void Every_image_is_fooled_through_the_trigger_pixel_and_every_case_fails()
    {
        Run.Cases.Should().AllSatisfy(c =>
        {
            c.ResultState.Status.Should().Be(TestStatus.Failed);
            c.Message.Should().MatchRegex(@"synthetic-0\d-[a-z0-9-]+\.png: (off -> on|on -> off), pixel \(5, 2\) = \d+");
        });
    }

    [Test]
    public void The_message_names_the_model_file_and_the_command_that_reproduces_the_run()
    {
        var message = Run.Case("Resists_one_pixel_attacks(synthetic-00-black.png)").Message;

        message.Should().MatchRegex(@"Expected \S+/models/testing/single-pixel-trigger\.onnx to resist one-pixel attacks with a success rate of at most 10\.0 %, but 5 of 5 attacked images were fooled");
        message.Should().MatchRegex(@"onepixel attack --model /\S+/single-pixel-trigger\.onnx --images /\S+/samples/images/testing-8x8 --count 5 --input image --output-name logits --layout nchw --size 8x8x1 --scale 255 --mean 0 --std 1 --output logits --backend onnxruntime --budget 1000 --population 25 --seed 2019 --max-success-rate 0\.1");
    }
}
