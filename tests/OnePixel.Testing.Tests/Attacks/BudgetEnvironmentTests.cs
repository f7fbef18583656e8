using OnePixel.Testing.Attacks;

namespace OnePixel.Testing.Tests.Attacks;

public class BudgetEnvironmentTests
{
    private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Test]
    public void Without_the_variables_the_named_budget_is_used_unchanged()
    {
        var effective = BudgetEnvironment.Apply(AttackBudget.Queries(2_000), Environment());

        effective.Budget.Should().Be(AttackBudget.Queries(2_000));
        effective.ChangedBy.Should().BeNull();
    }

    [Test]
    public void The_scale_multiplies_the_queries_and_the_population_follows_the_rule()
    {
        var effective = BudgetEnvironment.Apply(AttackBudget.Default, Environment(("ONEPIXEL_BUDGET_SCALE", "0.25")));

        effective.Budget.Should().Be(AttackBudget.Queries(1_000));
        effective.ToString().Should().Be("1,000 queries (population 25, 39 generations) (set by ONEPIXEL_BUDGET_SCALE=0.25; the test names 4,000 queries)");
    }

    [Test]
    public void A_named_budget_replaces_the_tests_budget_before_scaling()
    {
        var effective = BudgetEnvironment.Apply(AttackBudget.Default, Environment(("ONEPIXEL_BUDGET", "paper"), ("ONEPIXEL_BUDGET_SCALE", "2")));

        effective.Budget.MaxQueries.Should().Be(2 * AttackBudget.Paper.MaxQueries);
        effective.ChangedBy.Should().Be("ONEPIXEL_BUDGET=paper, ONEPIXEL_BUDGET_SCALE=2");
    }

    [Test]
    public void A_budget_given_as_queries_replaces_the_tests_budget()
    {
        BudgetEnvironment.Apply(AttackBudget.Default, Environment(("ONEPIXEL_BUDGET", "800"))).Budget.Should().Be(AttackBudget.Queries(800));
    }

    [TestCase("0")]
    [TestCase("-1")]
    [TestCase("fast")]
    public void A_scale_that_is_not_a_positive_number_is_refused_with_the_variable_and_value(string value)
    {
        var act = () => BudgetEnvironment.Apply(AttackBudget.Default, Environment(("ONEPIXEL_BUDGET_SCALE", value)));

        act.Should().Throw<OnePixelException>().WithMessage($"ONEPIXEL_BUDGET_SCALE: expected a positive number such as 0.25 or 10, found '{value}'.");
    }

    [Test]
    public void An_unknown_budget_name_is_refused_with_the_choices()
    {
        var act = () => BudgetEnvironment.Apply(AttackBudget.Default, Environment(("ONEPIXEL_BUDGET", "huge")));

        act.Should().Throw<OnePixelException>().WithMessage("ONEPIXEL_BUDGET: expected 'paper', 'default' or a number of queries per image such as 1000, found 'huge'.");
    }

    [Test]
    public void Scaling_keeps_a_hand_picked_population()
    {
        AttackBudget.Queries(1_000, population: 10).Scaled(2).Should().Be(new AttackBudget(2_000, 10));
    }

    [Test]
    public void Scaling_never_goes_below_the_smallest_budget()
    {
        AttackBudget.Queries(100).Scaled(0.001).MaxQueries.Should().Be(1 + AttackBudget.MinimumPopulation);
    }
}
