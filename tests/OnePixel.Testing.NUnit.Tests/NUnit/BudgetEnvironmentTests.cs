using OnePixel.Testing.Attacks;
using OnePixel.Testing.NUnit.TestFixtures;

namespace OnePixel.Testing.NUnit.Tests.NUnit;

/// <summary>CI scales every robustness test's budget through the environment; the tests say which budget they used.</summary>
[NonParallelizable] // the environment is the whole process's
public class BudgetEnvironmentTests
{
    [Test]
    public void A_budget_scale_in_the_environment_changes_the_budget_and_the_message_says_so()
    {
        using var work = new TempFolder();
        Environment.SetEnvironmentVariable(BudgetEnvironment.ScaleVariable, "0.5");
        try
        {
            var result = FixtureRun.Of<ScaledBudget>(work.Path).Cases.Single();

            result.Message.Should().Contain("Reproduce with budget 200 queries (population 5, 39 generations) (set by ONEPIXEL_BUDGET_SCALE=0.5; the test names 400 queries), seed 2019");
        }
        finally
        {
            Environment.SetEnvironmentVariable(BudgetEnvironment.ScaleVariable, null);
        }
    }

    [Test]
    public void A_bad_budget_scale_makes_a_not_runnable_test_that_names_the_variable()
    {
        using var work = new TempFolder();
        Environment.SetEnvironmentVariable(BudgetEnvironment.ScaleVariable, "quick");
        try
        {
            var result = FixtureRun.Of<ScaledBudget>(work.Path).Cases.Single();

            result.Message.Should().Be("ONEPIXEL_BUDGET_SCALE: expected a positive number such as 0.25 or 10, found 'quick'.");
        }
        finally
        {
            Environment.SetEnvironmentVariable(BudgetEnvironment.ScaleVariable, null);
        }
    }
}
