using System.Text.RegularExpressions;

namespace OnePixel.Cli.Tests.Commands;

/// <summary>
/// The summary's "hint:" line for a model fed the wrong way: it names options that classify the images,
/// and running the same command with them (in place of the run's own) classifies them and draws no hint.
/// </summary>
public partial class PreprocessingHintTests
{
    // fashion-cnn-v1 as Keras exports it: it takes raw 0..255 values and scales them itself.
    private const string Raw255 = "models/variants/raw255-nhwc.onnx";

    [TestCase("attack", "--budget", "100")]
    [TestCase("verify", "--method", "bounds")]
    public void A_model_fed_the_wrong_scale_is_told_the_options_that_classify_its_images_and_they_do(string command, string option, string value)
    {
        string[] given = [command, "--model", Raw255, "--count", "6", "--quiet", option, value];
        var wrong = Cli.Run([.. given, "--scale", "255"]);

        var hint = wrong.Output.Split('\n').SingleOrDefault(l => l.StartsWith("hint:", StringComparison.Ordinal));
        hint.Should().NotBeNull(wrong.ToString());
        hint.Should().Contain("images are classified correctly with the pixels fed as now (scale 255, mean 0, std 1); fed 0..255 (--scale 1)");
        var suggested = SuggestedOptions().Match(hint!);
        suggested.Success.Should().BeTrue(hint);

        var right = Cli.Run([.. given, .. ShellWords.Split(suggested.Groups[1].Value)]);

        right.Output.Should().Contain("clean accuracy:  100.0 % (6 of 6").And.NotContain("hint:", right.ToString());
    }

    [Test]
    public void A_model_fed_as_it_was_trained_draws_no_hint()
    {
        var result = Cli.Run("attack", "--model", Raw255, "--count", "6", "--quiet", "--budget", "100");

        result.Output.Should().Contain("clean accuracy:  100.0 %").And.NotContain("hint:");
    }

    [GeneratedRegex(@"run with (.+?), or put ")]
    private static partial Regex SuggestedOptions();
}
