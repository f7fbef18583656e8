using NUnit.Framework.Interfaces;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.NUnit.TestFixtures;

namespace OnePixel.Testing.NUnit.Tests.NUnit;

/// <summary>[RobustnessTest(Search = ..., Fitness = ...)]: the attribute runs the search it names, as the command line's --search and --fitness.</summary>
public class SearchChoiceTests : FixtureRunTests<SearchChosen>
{
    private static AttackReport ReportOf(string method) =>
        Recorder.Calls.Single(c => c.Test == typeof(SearchChosen).FullName + "." + method).Report!;

    [Test]
    public void The_stronger_search_runs_with_the_margin_fitness_by_default()
    {
        Run.Cases.Should().AllSatisfy(c => c.ResultState.Should().Be(ResultState.Success));

        var options = ReportOf("With_the_stronger_search").Options;

        options.Search.Should().Be(SearchKind.ExtremesThenEvolution);
        options.Fitness.Should().Be(FitnessKind.Margin);
    }

    [Test]
    public void A_fitness_named_on_the_attribute_is_the_one_used()
    {
        ReportOf("With_the_stronger_search_and_the_papers_fitness").Options.Fitness.Should().Be(FitnessKind.Probability);
    }

    [Test]
    public void Without_a_search_named_the_papers_search_runs()
    {
        var options = ReportOf("With_the_papers_search").Options;

        options.Search.Should().Be(SearchKind.DifferentialEvolution);
        options.Fitness.Should().Be(FitnessKind.Probability);
    }

    [Test]
    public void The_searches_give_their_own_results()
    {
        static IEnumerable<string> Found(AttackReport report) =>
            report.Results.Select(r => $"{r.Name}: {r.ClosestConfidence} {string.Join(" ", r.Pixels.Select(p => $"({p.X}, {p.Y}) = {string.Join("/", p.Value)}"))}");

        Found(ReportOf("With_the_stronger_search")).Should().NotEqual(Found(ReportOf("With_the_papers_search")),
            "the stronger search tries other pixels (extreme colours first)");
    }

    [Test]
    public void A_search_named_on_a_verification_test_makes_a_not_runnable_test_that_names_it()
    {
        var result = FixtureRun.Of<VerifiedWithASearch>(WorkPath).Cases.Single();

        result.ResultState.Should().Be(ResultState.NotRunnable);
        result.Message.Should().Be("[RobustnessTest] Verify: tries every single-pixel change instead of searching, so Search, Fitness have no meaning; leave them out, or Verify.");
    }
}
