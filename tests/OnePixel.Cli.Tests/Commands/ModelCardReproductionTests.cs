using System.Text.RegularExpressions;

namespace OnePixel.Cli.Tests.Commands;

/// <summary>The robustness figures in the model cards are the ones the README's main command prints.</summary>
public partial class ModelCardReproductionTests
{
    [TestCase("fashion-cnn-v1")]
    [TestCase("fashion-cnn-v2")]
    [TestCase("fashion-cnn-v3")]
    [TestCase("fashion-colour-cnn")]
    public void The_main_command_should_reproduce_the_cards_one_pixel_figures(string model)
    {
        var card = File.ReadAllText(Path.Combine(Repository.Root, "models", $"{model}.md"));
        var stated = CardFigure().Match(card);
        stated.Success.Should().BeTrue($"models/{model}.md states its one-pixel success rate");

        var result = Cli.Run("attack", "--model", $"models/{model}.onnx", "--quiet");

        result.Output.Should().Contain($"images attacked: {stated.Groups[2].Value} of 100").And.Contain($"fooled:          {stated.Groups[1].Value}\n");
    }

    [GeneratedRegex(@"one-pixel success rate: (\d+) of (\d+) attacked images fooled")]
    private static partial Regex CardFigure();
}
