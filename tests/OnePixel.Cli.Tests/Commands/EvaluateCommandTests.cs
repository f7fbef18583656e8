using System.Globalization;
using System.Text.RegularExpressions;

namespace OnePixel.Cli.Tests.Commands;

public class EvaluateCommandTests
{
    [Test]
    public void It_should_print_the_recall_of_each_search_at_each_budget()
    {
        var result = Cli.Run("evaluate", "--model", Repository.TriggerModel, "--budgets", "200,400,1000");

        result.ExitCode.Should().Be(ExitCodes.GateHolds, result.ToString());
        result.Output.Should().Contain("vulnerable by exhaustive search: 5 of 5", "every trigger image flips when pixel (5, 2) crosses 128");
        var rows = RecallRow.Parse(result.Output);
        rows.Select(r => (r.Search, r.Budget)).Should().Equal(("de", 200), ("de", 400), ("de", 1000), ("extremes-de", 200), ("extremes-de", 400), ("extremes-de", 1000));
        foreach (var row in rows)
        {
            row.Vulnerable.Should().Be(5, row.Line);
            row.Found.Should().BeInRange(0, row.Vulnerable, row.Line);
            row.Recall.Should().BeInRange(0, 1, row.Line).And.BeApproximately((double)row.Found / row.Vulnerable, 0.005, row.Line);
            row.FalseFinds.Should().Be(0, "a search can only fool images the exhaustive pass calls vulnerable: " + row.Line);
            row.Queries.Should().BeInRange(row.Found, (long)row.Budget * 5, "each of the 5 images gets at most the budget: " + row.Line);
        }
        foreach (var search in rows.GroupBy(r => r.Search))
            search.Select(r => r.Recall).Should().BeInAscendingOrder($"{search.Key} with more queries finds at least as much");
        rows.Where(r => r.Budget == 1000).Should().OnlyContain(r => r.Found == 5, "at 1,000 queries both searches find every trigger image");
    }

    /// <summary>A row of evaluate's recall table, as printed.</summary>
    private sealed record RecallRow(string Line, string Search, int Budget, int Found, int Vulnerable, double Recall, int FalseFinds, long Queries)
    {
        private static readonly Regex Row = new(@"^\| (?<search>[a-z-]+) \| (?<budget>[0-9,]+) \| (?<found>\d+)/(?<vulnerable>\d+) \| (?<recall>[0-9.]+) \| (?<false>\d+) \| (?<queries>[0-9,]+) \| [0-9.]+ \|$", RegexOptions.Multiline);

        public static List<RecallRow> Parse(string output) => Row.Matches(output.Replace("\r", "")).Select(m => new RecallRow(
            m.Value, m.Groups["search"].Value, Number(m.Groups["budget"].Value), Number(m.Groups["found"].Value), Number(m.Groups["vulnerable"].Value),
            double.Parse(m.Groups["recall"].Value, CultureInfo.InvariantCulture), Number(m.Groups["false"].Value), Number(m.Groups["queries"].Value))).ToList();

        private static int Number(string text) => int.Parse(text, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
    }

    [Test]
    public void An_unknown_search_should_exit_2_naming_the_option()
    {
        var result = Cli.Run("evaluate", "--model", Repository.TriggerModel, "--searches", "de,genetic");

        result.ExitCode.Should().Be(ExitCodes.BadInput);
        result.Error.Should().Contain("--searches: expected 'de' or 'extremes-de', found 'genetic'");
    }
}
