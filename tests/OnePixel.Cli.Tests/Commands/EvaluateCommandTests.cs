namespace OnePixel.Cli.Tests.Commands;

public class EvaluateCommandTests
{
    [Test]
    public void It_should_print_the_recall_of_each_search_at_each_budget()
    {
        var result = Cli.Run("evaluate", "--model", Repository.TriggerModel, "--budgets", "200,1000");

        result.ExitCode.Should().Be(ExitCodes.GateHolds, result.ToString());
        result.Output.Should().Contain("| de | 200 |").And.Contain("| extremes-de | 1,000 | 5/5 | 1.00 | 0 |");
    }

    [Test]
    public void An_unknown_search_should_exit_2_naming_the_option()
    {
        var result = Cli.Run("evaluate", "--model", Repository.TriggerModel, "--searches", "de,genetic");

        result.ExitCode.Should().Be(ExitCodes.BadInput);
        result.Error.Should().Contain("--searches: expected 'de' or 'extremes-de', found 'genetic'");
    }
}
