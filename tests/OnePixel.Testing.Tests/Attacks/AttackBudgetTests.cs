using OnePixel.Testing.Attacks;

namespace OnePixel.Testing.Tests.Attacks;

public class AttackBudgetTests
{
    [Test]
    public void The_paper_preset_should_be_population_400_for_100_generations()
    {
        AttackBudget.Paper.Population.Should().Be(400);
        AttackBudget.Paper.Generations.Should().Be(100);
        AttackBudget.Paper.MaxQueries.Should().Be(40_401);
    }

    [TestCase(4_000, 100, 39)]
    [TestCase(40_000, 400, 99)]
    [TestCase(1_000, 25, 39)]
    [TestCase(100, 4, 24)]
    public void A_query_budget_should_map_to_a_population_and_generations(int queries, int population, int generations)
    {
        var budget = AttackBudget.Queries(queries);

        budget.Population.Should().Be(population);
        budget.Generations.Should().Be(generations);
    }

    [TestCase(0)]
    [TestCase(-5)]
    [TestCase(4)]
    public void A_budget_too_small_to_search_should_be_refused_with_the_numbers(int queries)
    {
        var act = () => AttackBudget.Queries(queries);

        act.Should().Throw<OnePixelException>().WithMessage($"budget: expected at least 5 queries*found {queries}.");
    }

    [Test]
    public void A_population_larger_than_the_budget_allows_should_be_refused()
    {
        var act = () => AttackBudget.Queries(100, population: 200);

        act.Should().Throw<OnePixelException>().WithMessage("budget: 100 queries cannot score the image and a population of 200*");
    }
}
