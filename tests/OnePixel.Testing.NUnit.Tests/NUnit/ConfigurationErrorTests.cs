using NUnit.Framework.Interfaces;
using OnePixel.Testing.NUnit.TestFixtures;
using OnePixel.Testing.NUnit.TestFixtures.Classifiers;

namespace OnePixel.Testing.NUnit.Tests.NUnit;

/// <summary>Configuration errors become tests that report the reason; discovery of the rest goes on.</summary>
public class ConfigurationErrorTests : WorkFolderTests
{
    [Test]
    public void Without_a_declared_model_the_test_is_not_runnable_and_says_what_to_declare()
    {
        var result = FixtureRun.Of<NoModelDeclared>(WorkPath).Cases.Single();

        result.ResultState.Should().Be(ResultState.NotRunnable);
        result.Message.Should().Contain("no model declared; expected [RobustnessModel(\"model.onnx\")] on the method, its class or the assembly");
    }

    [Test]
    public void A_missing_model_file_makes_a_not_runnable_test_that_names_the_file()
    {
        var result = FixtureRun.Of<MissingModelFile>(WorkPath).Cases.Single();

        result.ResultState.Should().Be(ResultState.NotRunnable);
        result.Message.Should().Contain("'models/no-such-model.onnx': not found");
    }

    [Test]
    public void Missing_images_make_a_not_runnable_test_that_names_the_folder()
    {
        var result = FixtureRun.Of<MissingImages>(WorkPath).Cases.Single();

        result.ResultState.Should().Be(ResultState.NotRunnable);
        result.Message.Should().Contain("Images 'no-such-images': not found");
    }

    [Test]
    public void A_significance_level_without_a_baseline_or_outside_0_to_1_makes_a_not_runnable_test()
    {
        var alone = FixtureRun.Of<SignificanceWithoutBaseline>(WorkPath).Cases.Single();
        var outside = FixtureRun.Of<SignificanceOutOfRange>(WorkPath).Cases.Single();

        alone.ResultState.Should().Be(ResultState.NotRunnable);
        alone.Message.Should().Contain("[RobustnessTest] MaxSuccessRateIncrease, Significance, FailOnNewlyFooledImages, FailOnNewlyMisclassifiedImages and AllowPreprocessingChanges: apply to a comparison with a baseline");
        outside.ResultState.Should().Be(ResultState.NotRunnable);
        outside.Message.Should().Contain("[RobustnessTest] Significance: significance: expected a significance level between 0 and 1 (such as 0.05), found 1.5.");
    }

    [Test]
    public void A_history_for_a_verification_makes_a_not_runnable_test()
    {
        var result = FixtureRun.Of<HistoryOfAVerification>(WorkPath).Cases.Single();

        result.ResultState.Should().Be(ResultState.NotRunnable);
        result.Message.Should().Contain("[RobustnessTest] Verify: tries every single-pixel change instead of searching, so History has no meaning");
    }

    [Test]
    public void A_parameter_the_plugin_cannot_fill_makes_a_not_runnable_test()
    {
        var result = FixtureRun.Of<UnfillableParameter>(WorkPath).Cases.Single();

        result.ResultState.Should().Be(ResultState.NotRunnable);
        result.Message.Should().Contain("parameter 'count' (Int32): a robustness test can take an AttackReport and, per image, an ImageAttackResult");
    }

    [Test]
    public void A_model_that_fails_to_load_fails_every_case_with_the_reason()
    {
        var cases = FixtureRun.Of<DamagedModel>(WorkPath).Cases;

        cases.Should().HaveCount(5).And.AllSatisfy(c =>
        {
            c.ResultState.Status.Should().Be(TestStatus.Failed);
            c.Message.Should().Be(DamagedClassifier.Problem);
        });
    }

    [Test]
    public void A_declaration_on_the_method_wins_over_the_class()
    {
        var cases = FixtureRun.Of<MethodDeclarationWins>(WorkPath).Cases;

        cases.Should().HaveCount(5).And.AllSatisfy(c => c.ResultState.Should().Be(ResultState.Success));
    }
}
