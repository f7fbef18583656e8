using OnePixel.Testing.Attacks;
using OnePixel.Testing.Models;
using OnePixel.Testing.NUnit.Tests.Fakes;
using OnePixel.Testing.NUnit.TestFixtures.Classifiers;

namespace OnePixel.Testing.NUnit.Tests.Assertions;

public class ImageClassifierAssertionsTests
{
    private static readonly AttackBudget SmallBudget = AttackBudget.Queries(200);

    [Test]
    public void When_no_more_than_the_maximum_is_fooled_it_should_pass_and_give_the_report_back()
    {
        using var model = new BrightCountClassifier();

        var report = model.Should().ResistOnePixelAttacks(TestImages.BrightCount(), SmallBudget, maxSuccessRate: 0.5).Which;

        report.Summary.Attacked.Should().Be(5);
        report.FooledResults.Select(r => r.Name).Should().BeEquivalentTo("edge-dark.png", "edge-bright.png");
    }

    [Test]
    public void When_more_than_the_maximum_is_fooled_it_should_fail_with_the_success_rate_and_its_interval()
    {
        using var model = new BrightCountClassifier();

        var act = () => model.Should().ResistOnePixelAttacks(TestImages.BrightCount(), SmallBudget, maxSuccessRate: 0.2);

        act.Should().Throw<AssertionException>().WithMessage(
            "Expected model to resist one-pixel attacks with a success rate of at most 20.0 %, but 2 of 5 attacked images were fooled: a success rate of 40.0 % (95% Wilson interval 11.8 %..76.9 %).*");
    }

    [Test]
    public void When_an_image_is_fooled_it_should_name_the_image_the_classes_the_pixel_and_the_confidence()
    {
        using var model = new BrightCountClassifier();

        var act = () => model.Should().ResistOnePixelAttacks(TestImages.BrightCount(), SmallBudget);

        act.Should().Throw<AssertionException>()
            .Which.Message.Should().MatchRegex(@"Fooled images:\r?\n  - edge-dark\.png: dark -> bright, pixel \(\d, [4-7]\) = \d+, confidence 80\.0 %\r?\n  - edge-bright\.png: bright -> dark, pixel \(\d, \d\) = \d+, confidence 80\.0 %");
    }

    [Test]
    public void When_it_fails_it_should_give_the_budget_and_seed_that_reproduce_it()
    {
        using var model = new BrightCountClassifier();

        var act = () => model.Should().ResistOnePixelAttacks(TestImages.BrightCount(), SmallBudget, seed: 7);

        act.Should().Throw<AssertionException>().WithMessage("*Reproduce with budget 200 queries (population 5, 39 generations), seed 7, 1 pixel, untargeted.");
    }

    [Test]
    public void When_it_fails_it_should_give_the_reason()
    {
        using var model = new BrightCountClassifier();

        var act = () => model.Should().ResistOnePixelAttacks(TestImages.BrightCount(), SmallBudget, because: "the release notes promise {0}", becauseArgs: ["robustness"]);

        act.Should().Throw<AssertionException>().WithMessage("Expected model to resist one-pixel attacks with a success rate of at most 10.0 % because the release notes promise robustness, but *");
    }

    [Test]
    public void A_targeted_check_counts_attacks_towards_the_target()
    {
        using var model = new BrightCountClassifier();

        var act = () => model.Should().ResistOnePixelAttacks(TestImages.BrightCount(), SmallBudget, target: 1);

        // The two bright images already are the target, so only the three dark ones are attacked.
        act.Should().Throw<AssertionException>()
            .WithMessage("*but 1 of 3 targeted attacks succeeded: a success rate of 33.3 %*Successful attacks:*edge-dark.png: dark -> bright (target bright)*targeted at bright.");
    }

    [Test]
    public void Inside_an_assertion_scope_the_failure_is_collected_and_the_report_still_given_back()
    {
        using var model = new BrightCountClassifier();
        AttackReport report;

        var act = () =>
        {
            using var scope = new FluentAssertions.Execution.AssertionScope();
            report = model.Should().ResistOnePixelAttacks(TestImages.BrightCount(), SmallBudget).Which;
            report.Summary.Fooled.Should().Be(0, "the second failure is collected with the first");
        };

        act.Should().Throw<AssertionException>()
            .WithMessage("Expected model to resist one-pixel attacks*Expected report.Summary.Fooled to be 0 because the second failure is collected with the first, but found 2*");
    }

    [Test]
    public void A_null_classifier_fails_with_a_clear_message()
    {
        IImageClassifier? model = null;

        var act = () => model.Should().ResistOnePixelAttacks(TestImages.BrightCount(), SmallBudget);

        act.Should().Throw<AssertionException>().WithMessage("Expected * to resist one-pixel attacks, but found <null>.");
    }

    [Test]
    public void A_maximum_outside_zero_to_one_is_refused_with_the_value()
    {
        using var model = new BrightCountClassifier();

        var act = () => model.Should().ResistOnePixelAttacks(TestImages.BrightCount(), SmallBudget, maxSuccessRate: 10);

        act.Should().Throw<OnePixelException>().WithMessage("maxSuccessRate: expected a fraction 0..1, found 10.");
    }

    [Test]
    public void When_its_token_is_cancelled_it_should_stop_within_a_second_and_fail_saying_how_far_it_got()
    {
        using var model = new SlowClassifier();
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var stopwatch = new System.Diagnostics.Stopwatch();
        cancellation.Token.Register(stopwatch.Start);

        var act = () => model.Should().ResistOnePixelAttacks(TestImages.BrightCount(), AttackBudget.Queries(2_000), maxSuccessRate: 0.5, cancellation: cancellation.Token);

        act.Should().Throw<AssertionException>().WithMessage(
            "Expected model to resist one-pixel attacks, but Cancelled by the token given to the assertion: the attack was cancelled after ? of 5 images (? fooled so far).");
        stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(1));
    }
}
