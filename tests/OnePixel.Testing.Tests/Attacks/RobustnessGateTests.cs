using OnePixel.Testing.Attacks;
using OnePixel.Testing.Imaging;
using OnePixel.Testing.Tests.Fakes;
using OnePixel.Testing.Verification;

namespace OnePixel.Testing.Tests.Attacks;

/// <summary>The gate's verdict: nothing attacked never passes, accuracy has an optional floor, and the summary counts clean accuracy.</summary>
public class RobustnessGateTests
{
    private static readonly AttackOptions Options = new() { Budget = AttackBudget.Queries(200) };

    [Test]
    public void A_model_that_misclassifies_every_image_fails_the_gate_because_nothing_was_attacked()
    {
        // The constant model always says class 2; every image is labelled 0.
        var report = new AttackRunner(FunctionClassifier.Constant(), Options).Run(Images.Uniform(5, gray: 40, label: 0));

        var verdict = RobustnessGate.Judge(report.Summary, maxSuccessRate: 1.0);

        report.Summary.Attacked.Should().Be(0);
        report.Summary.SuccessRate.Should().Be(0, "a rate over nothing is reported as 0");
        report.Summary.Accuracy.Should().Be(0);
        verdict.Holds.Should().BeFalse("no success rate was measured, so no gate can hold");
        verdict.Failures.Should().Equal(GateFailure.NothingAttacked);
        verdict.Describe().Should().Be("nothing was attacked: no image of the 5 was classified correctly (clean accuracy 0 %), so no success rate can be measured");
        RobustnessGate.Holds(report.Summary, 1.0).Should().BeFalse();
    }

    [Test]
    public void Accuracy_is_correct_images_over_images_and_a_floor_fails_the_gate_below_it()
    {
        // Class 0 unless pixel (3, 3) is mid-gray: the two gray-120..122 images are misclassified, the dark ones are correct.
        var images = new ImageSet("mixed", [.. Images.Uniform(3, gray: 10, label: 0).Images, .. Images.Uniform(2, gray: 120, label: 0).Images.Select(i => i with { Name = "gray-" + i.Name })]);
        var report = new AttackRunner(FunctionClassifier.BrightnessBands(), Options).Run(images);

        report.Summary.Correct.Should().Be(3);
        report.Summary.Accuracy.Should().BeApproximately(0.6, 1e-12);
        RobustnessGate.Judge(report.Summary, 1.0, minAccuracy: 0.6).Holds.Should().BeTrue();
        var below = RobustnessGate.Judge(report.Summary, 1.0, minAccuracy: 0.61);
        below.Failures.Should().Equal(GateFailure.AccuracyBelowMinimum);
        below.Describe().Should().Be("clean accuracy 60.0 % < 61.0 % (3 of 5 images classified correctly)");
    }

    [Test]
    public void When_every_correct_image_is_of_the_target_class_the_verdict_says_so()
    {
        // BrightnessBands gives class 0 to dark images: targeting class 0 leaves nothing to attack.
        var options = Options with { Mode = AttackMode.Targeted, Target = 0 };
        var report = new AttackRunner(FunctionClassifier.BrightnessBands(), options).Run(Images.Uniform(3, gray: 10, label: 0));

        var verdict = RobustnessGate.Judge(report.Summary, 1.0);

        verdict.Holds.Should().BeFalse();
        verdict.Describe().Should().Contain("the 3 correctly classified images are of the target class");
        report.Results.Should().OnlyContain(r => r.StopReason == StopReason.TargetIsTrueClass);
    }

    [Test]
    public void In_every_target_mode_the_unchanged_image_is_counted_once_per_image()
    {
        var model = new CountingClassifier(FunctionClassifier.BrightnessBands());
        // Without the attack's memory, every query reaches the model, so the model's count is the true one.
        var report = new AttackRunner(model, Options with { Mode = AttackMode.EveryTarget, RememberCandidates = false }).Run(Images.Uniform(2, gray: 10, label: 0));

        report.Results.Should().HaveCount(4, "two targets per image");
        report.Summary.Queries.Should().Be(report.Results.Sum(r => r.Queries) - 2, "each image's clean query is in both of its results");
        report.Summary.Queries.Should().Be(model.Queries, "the summary counts the queries the model was asked");
    }

    [TestCase(0.10, false)] // 1 vulnerable + 2 undecided of 10: up to 30 % > 10 %
    [TestCase(0.30, true)]  // up to 30 % <= 30 %
    public void A_verification_with_undecided_images_holds_only_if_it_would_hold_were_they_all_vulnerable(double max, bool holds)
    {
        // 10 checked images: 1 counterexample, 2 undecided at the time limit, 7 certified.
        var report = VerificationOf(vulnerable: 1, undecided: 2, certified: 7);

        var verdict = RobustnessGate.Judge(report, max);

        report.VulnerableRate.Should().Be(0.1, "proved counterexamples alone are within both maxima");
        verdict.Holds.Should().Be(holds);
        if (holds)
        {
            verdict.Describe().Should().Be("vulnerable rate 10.0 % <= 30.0 % (30.0 % <= 30.0 % were the 2 undecided images vulnerable too)");
        }
        else
        {
            verdict.Failures.Should().Equal(GateFailure.UndecidedCouldExceed);
            verdict.Describe().Should().Be("2 of the 10 checked images are undecided (the time limit came first): were they vulnerable, the vulnerable rate would be 30.0 % > 10.0 %, so the gate cannot be confirmed; allow more time per image to decide them");
        }
    }

    [Test]
    public void A_verification_whose_counterexamples_already_fail_the_gate_blames_them_not_the_undecided_images()
    {
        var verdict = RobustnessGate.Judge(VerificationOf(vulnerable: 3, undecided: 2, certified: 5), 0.10);

        verdict.Failures.Should().Equal(GateFailure.SuccessRateAboveMaximum);
    }

    [Test]
    public void A_verification_that_decided_every_image_is_judged_on_its_counterexamples_alone()
    {
        var verdict = RobustnessGate.Judge(VerificationOf(vulnerable: 1, undecided: 0, certified: 9), 0.10);

        verdict.Holds.Should().BeTrue();
        verdict.Describe().Should().Be("vulnerable rate 10.0 % <= 10.0 %");
    }

    [TestCase(0.10, false)] // 1 vulnerable + 3 searched only on the grid of 10: up to 40 % > 10 %
    [TestCase(0.40, true)]  // up to 40 % <= 40 %
    public void A_verification_with_rgb_images_searched_only_on_the_grid_holds_only_if_it_would_hold_were_they_all_vulnerable(double max, bool holds)
    {
        // 10 checked RGB images by enumeration: 1 counterexample, 3 with none on the colour grid, 6 certified otherwise (by bounds).
        var report = VerificationOf(vulnerable: 1, undecided: 0, certified: 6, onGrid: 3);

        var verdict = RobustnessGate.Judge(report, max);

        report.NoneFoundOnGrid.Should().Be(3);
        verdict.Holds.Should().Be(holds);
        if (holds)
        {
            verdict.Describe().Should().Be("vulnerable rate 10.0 % <= 40.0 % (40.0 % <= 40.0 % were the 3 grid-only images vulnerable too)");
        }
        else
        {
            verdict.Failures.Should().Equal(GateFailure.GridOnlyCouldExceed);
            verdict.Describe().Should().Be("3 of the 10 checked images were searched only on the colour grid (RGB enumeration tries a few values per channel; finding no counterexample there is not a certificate): were they vulnerable, the vulnerable rate would be 40.0 % > 10.0 %, so the gate cannot be confirmed; only bounds prove an RGB image robust (the verification's note says why they were not used), or gate on an attack instead");
        }
    }

    [Test]
    public void Undecided_and_grid_only_images_are_weighed_together_in_one_sentence()
    {
        var verdict = RobustnessGate.Judge(VerificationOf(vulnerable: 0, undecided: 1, certified: 7, onGrid: 2), 0.25);

        verdict.Failures.Should().Equal(GateFailure.UndecidedCouldExceed, GateFailure.GridOnlyCouldExceed);
        verdict.Describe().Should().Be("1 of the 10 checked images is undecided (the time limit came first) and 2 were searched only on the colour grid (not a certificate): were they vulnerable, the vulnerable rate would be 30.0 % > 25.0 %, so the gate cannot be confirmed");
        RobustnessGate.Judge(VerificationOf(vulnerable: 0, undecided: 1, certified: 7, onGrid: 2), 0.3).Describe()
            .Should().Be("vulnerable rate 0.0 % <= 30.0 % (30.0 % <= 30.0 % were the 1 undecided and 2 grid-only images vulnerable too)");
    }

    private static VerificationReport VerificationOf(int vulnerable, int undecided, int certified, int onGrid = 0)
    {
        ImageVerification Image(int i, bool isVulnerable, bool exact, VerificationMethod method = VerificationMethod.Bounds) => new()
        {
            Index = i, Name = $"image-{i}.png", Label = 0, Predicted = 0, PredictedConfidence = 0.9f, Checked = true,
            Vulnerable = isVulnerable, Exact = exact, Queries = 10, Method = method,
        };
        var results = Enumerable.Range(0, vulnerable).Select(i => Image(i, true, true))
            .Concat(Enumerable.Range(vulnerable, undecided).Select(i => Image(i, false, false)))
            .Concat(Enumerable.Range(vulnerable + undecided, certified).Select(i => Image(i, false, true)))
            .Concat(Enumerable.Range(vulnerable + undecided + certified, onGrid).Select(i => Image(i, false, false, VerificationMethod.Enumerate)))
            .ToList();
        return new VerificationReport { Results = results, Seconds = 1, Options = new(), Method = VerificationMethod.Bounds };
    }

    [TestCase(-0.1)]
    [TestCase(1.5)]
    [TestCase(double.NaN)]
    public void A_minimum_accuracy_outside_0_to_1_is_refused_naming_it(double floor)
    {
        var act = () => RobustnessGate.ValidateMinimum(floor, "minAccuracy");

        act.Should().Throw<OnePixelException>().WithMessage("minAccuracy: expected a fraction 0..1, found *");
    }
}
