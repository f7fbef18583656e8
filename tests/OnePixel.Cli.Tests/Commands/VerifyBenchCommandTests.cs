namespace OnePixel.Cli.Tests.Commands;

public class VerifyBenchCommandTests
{
    [Test]
    public void It_should_print_the_seconds_per_image_and_check_the_bounds_against_enumeration_and_both_searches()
    {
        var result = Cli.Run("verify-bench", "--model", "models/testing/tiny-rgb-graph.onnx", "--enumerate", "--attack");

        result.ExitCode.Should().Be(ExitCodes.GateHolds, result.ToString());
        result.Output.Should().MatchRegex(@"bounds: 6 correctly classified images: 4 certified, 2 with a counterexample, 0 undecided; seconds per image median \d+\.\d\d")
            .And.Contain("disagreements with bounds 0")
            .And.Contain("de at the paper's budget on the 4 certified images: 0 fooled")
            .And.Contain("extremes-de at the paper's budget on the 4 certified images: 0 fooled")
            .And.Contain("checks: all hold");
    }

    [Test]
    public void With_no_image_certified_the_attacks_should_be_skipped_not_fail_on_an_empty_set()
    {
        // The second sample has a one-pixel counterexample: nothing is certified, so there is nothing to attack.
        var result = Cli.Run("verify-bench", "--model", "models/testing/tiny-rgb-graph.onnx", "--skip", "1", "--count", "1", "--attack");

        result.ExitCode.Should().Be(ExitCodes.GateHolds, result.ToString());
        result.Output.Should().Contain("0 certified, 1 with a counterexample")
            .And.Contain("attacks: no certified image to attack")
            .And.Contain("checks: all hold");
    }
}
