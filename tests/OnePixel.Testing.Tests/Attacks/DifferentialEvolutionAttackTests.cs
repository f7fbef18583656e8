using OnePixel.Testing.Attacks;
using OnePixel.Testing.Models;
using OnePixel.Testing.Tests.Fakes;

namespace OnePixel.Testing.Tests.Attacks;

public class DifferentialEvolutionAttackTests
{
    private static readonly AttackOptions SmallBudget = new() { Budget = AttackBudget.Queries(2_000, population: 50) };

    [Test]
    public void When_the_decision_hinges_on_one_pixel_it_should_find_that_pixel_within_a_small_budget()
    {
        var model = FunctionClassifier.TriggerPixel();
        var images = Images.Uniform(5, gray: 10, label: 0);

        var report = new AttackRunner(model, SmallBudget).Run(images);

        report.Summary.Fooled.Should().Be(5);
        foreach (var result in report.Results)
        {
            result.Pixels.Should().ContainSingle().Which.Should().Match<PixelChange>(p => p.X == 5 && p.Y == 2 && p.Value[0] > 200);
            result.StopReason.Should().Be(StopReason.TopOneChanged);
            result.Queries.Should().BeLessThanOrEqualTo(2_000);
        }
    }

    [Test]
    public void The_reported_pixel_when_rescored_should_really_change_the_class()
    {
        var model = FunctionClassifier.TriggerPixel();
        var images = Images.Uniform(3, gray: 10, label: 0);

        var report = new AttackRunner(model, SmallBudget).Run(images);

        foreach (var result in report.Results)
        {
            var adversarial = images.Images[result.Index].Image.With(result.Pixels);
            var (label, confidence) = model.Classify(adversarial);
            label.Should().Be(result.AdversarialLabel).And.NotBe(result.Label);
            confidence.Should().Be(result.AdversarialConfidence!.Value);
        }
    }

    [Test]
    public void When_the_model_ignores_its_input_it_should_never_be_fooled_and_should_spend_the_whole_budget()
    {
        var model = new CountingClassifier(FunctionClassifier.Constant());
        var images = Images.Uniform(4, gray: 100, label: 2);

        var report = new AttackRunner(model, SmallBudget).Run(images);

        report.Summary.Attacked.Should().Be(4);
        report.Summary.Fooled.Should().Be(0);
        report.Summary.SuccessRate.Should().Be(0);
        report.Results.Should().OnlyContain(r => r.StopReason == StopReason.BudgetExhausted && r.Queries == 2_000 && r.Pixels.Count == 0);
    }

    [Test]
    public void An_image_the_model_already_gets_wrong_should_not_be_attacked()
    {
        var images = Images.Uniform(2, gray: 100, label: 1);

        var report = new AttackRunner(FunctionClassifier.Constant(), SmallBudget).Run(images);

        report.Summary.Attacked.Should().Be(0);
        report.Summary.Misclassified.Should().Be(2);
        report.Results.Should().OnlyContain(r => r.StopReason == StopReason.AlreadyMisclassified && r.Queries == 1);
    }

    [TestCase(5)]
    [TestCase(137)]
    [TestCase(4_000)]
    [TestCase(40_401)]
    public void A_counting_scorer_should_prove_the_budget_is_never_exceeded(int budget)
    {
        var model = new CountingClassifier(FunctionClassifier.Constant());
        var images = Images.Uniform(3, gray: 100, label: 2);
        // Memory of repeated candidates off: every query must reach the counting scorer.
        var options = new AttackOptions { Budget = budget == 40_401 ? AttackBudget.Paper : AttackBudget.Queries(budget), RememberCandidates = false };

        var report = new AttackRunner(model, options).Run(images);

        // Each image: 1 query for the unchanged image (scored for all images together) plus its search.
        model.Queries.Should().Be(report.Summary.Queries);
        report.Results.Should().OnlyContain(r => r.Queries == budget);
        model.Queries.Should().BeLessThanOrEqualTo(3L * budget);
    }

    [Test]
    public void Each_generation_should_be_scored_in_one_call()
    {
        var model = new CountingClassifier(FunctionClassifier.Constant());
        var options = new AttackOptions { Budget = AttackBudget.Queries(1 + 50 * 11, population: 50), Threads = 1, RememberCandidates = false };

        new AttackRunner(model, options).Run(Images.Uniform(1, gray: 100, label: 2));

        // One call for the unchanged image, one for the initial population, ten for the generations.
        model.Calls.Should().Be(12);
        model.LargestBatch.Should().Be(50);
    }

    [Test]
    public void The_paper_preset_should_stop_after_100_generations()
    {
        var report = new AttackRunner(FunctionClassifier.Constant(), new AttackOptions { Budget = AttackBudget.Paper })
            .Run(Images.Uniform(1, gray: 100, label: 2));

        report.Results[0].Generations.Should().Be(100);
        report.Results[0].Queries.Should().Be(40_401);
    }

    [Test]
    public void A_targeted_attack_should_succeed_when_the_target_becomes_top_one()
    {
        var model = FunctionClassifier.BrightnessBands();
        var options = SmallBudget with { Mode = AttackMode.Targeted, Target = 2 };

        var report = new AttackRunner(model, options).Run(Images.Uniform(3, gray: 20, label: 0));

        report.Results.Should().OnlyContain(r => r.Fooled && r.AdversarialLabel == 2 && r.Target == 2 && r.StopReason == StopReason.TargetReached);
        foreach (var result in report.Results)
            model.Classify(Images.Uniform(3, gray: 20, label: 0).Images[result.Index].Image.With(result.Pixels)).Label.Should().Be(2);
    }

    [Test]
    public void A_targeted_attack_should_not_count_a_mere_change_of_class_as_success()
    {
        var model = FunctionClassifier.UnreachableClassTwo();
        var images = Images.Uniform(3, gray: 20, label: 0);

        var untargeted = new AttackRunner(model, SmallBudget).Run(images);
        var targeted = new AttackRunner(model, SmallBudget with { Mode = AttackMode.Targeted, Target = 2 }).Run(images);

        untargeted.Summary.Fooled.Should().Be(3, "the class can be changed to 1");
        targeted.Summary.Fooled.Should().Be(0, "class 2 never becomes top-1");
        targeted.Results.Should().OnlyContain(r => r.AdversarialLabel == null && r.StopReason == StopReason.BudgetExhausted);
    }

    [Test]
    public void Every_target_mode_should_attack_each_other_class_in_turn()
    {
        var model = FunctionClassifier.BrightnessBands();
        var options = SmallBudget with { Mode = AttackMode.EveryTarget };

        var report = new AttackRunner(model, options).Run(Images.Uniform(2, gray: 20, label: 0));

        report.Results.Select(r => (r.Index, r.Target)).Should().Equal((0, 1), (0, 2), (1, 1), (1, 2));
        report.Results.Should().OnlyContain(r => r.Fooled && r.AdversarialLabel == r.Target);
        report.Summary.Attacked.Should().Be(4);
    }

    [Test]
    public void Several_pixels_should_be_changed_when_asked()
    {
        // Class 1 only when two given pixels are both bright: one pixel is not enough.
        var model = new FunctionClassifier(FunctionClassifier.Small, 2, p => p[0] > 200 && p[63] > 200 ? [0.1f, 0.9f] : [0.9f, 0.1f]);
        var images = Images.Uniform(1, gray: 0, label: 0);

        var onePixel = new AttackRunner(model, SmallBudget).Run(images);
        var twoPixels = new AttackRunner(model, new AttackOptions { Pixels = 2, Budget = AttackBudget.Queries(20_000, 200) }).Run(images);

        onePixel.Summary.Fooled.Should().Be(0);
        twoPixels.Summary.Fooled.Should().Be(1);
        twoPixels.Results[0].Pixels.Should().HaveCount(2);
        model.Classify(images.Images[0].Image.With(twoPixels.Results[0].Pixels)).Label.Should().Be(1);
    }

    [Test]
    public void Rgb_candidates_should_carry_a_valid_value_per_channel()
    {
        var shape = new OnePixel.Testing.Imaging.ImageShape(6, 6, 3);
        // Fooled only by a pure red pixel anywhere.
        var model = new FunctionClassifier(shape, 2, p =>
        {
            for (var i = 0; i < 36; i++)
                if (p[i * 3] > 200 && p[i * 3 + 1] < 60 && p[i * 3 + 2] < 60) return [0.2f, 0.8f];
            return [0.8f, 0.2f];
        });

        var report = new AttackRunner(model, new AttackOptions { Budget = AttackBudget.Queries(4_000) }).Run(Images.Uniform(2, 128, 0, shape));

        report.Summary.Fooled.Should().Be(2);
        report.Results.SelectMany(r => r.Pixels).Should().OnlyContain(p => p.Value.Count == 3 && p.Value[0] > 200 && p.Value[1] < 60 && p.Value[2] < 60);
    }
}
