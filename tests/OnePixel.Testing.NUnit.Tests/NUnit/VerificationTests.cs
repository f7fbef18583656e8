using NUnit.Framework.Interfaces;
using OnePixel.Testing.NUnit.TestFixtures;

namespace OnePixel.Testing.NUnit.Tests.NUnit;

/// <summary>[RobustnessTest(Verify = true)]: one case per image whose outcome is a certificate or a counterexample.</summary>
public class VerificationTests : WorkFolderTests
{
    [Test]
    public void Every_image_of_the_trigger_model_fails_with_the_trigger_pixel_as_its_counterexample()
    {
        var run = FixtureRun.Of<VerifiedTriggerModel>(WorkPath);

        run.Cases.Should().HaveCount(5).And.AllSatisfy(c =>
        {
            c.ResultState.Should().Be(ResultState.Failure);
            c.Message.Should().MatchRegex(@"^synthetic-0\d-[a-z0-9-]+\.png has a one-pixel counterexample:\r?\n  - synthetic-0\d-[a-z0-9-]+\.png: (off -> on|on -> off), pixel \(5, 2\) = (0|255), confidence");
            c.Message.Should().Contain("to have a single-pixel counterexample on at most 10.0 % of the checked images, but 5 of 5 checked images have one (100.0 %; clean accuracy 100.0 %), decided by bounds on every pixel's colours (exact).");
            c.Message.Should().MatchRegex(@"onepixel verify --model /\S+/single-pixel-trigger\.onnx --images /\S+/samples/images/testing-8x8 --count 5 --input image --output-name logits --layout nchw --size 8x8x1 --scale 255 --mean 0 --std 1 --output logits --backend onnxruntime --method bounds --max-success-rate 0\.1");
        });
    }

    [Test]
    public void A_verification_of_a_model_that_misclassifies_every_image_fails_every_case_as_nothing_was_checked()
    {
        var run = FixtureRun.Of<VerifiedBrokenModel>(WorkPath);

        run.Cases.Should().HaveCount(5).And.AllSatisfy(c =>
        {
            c.ResultState.Should().Be(ResultState.Failure);
            c.Message.Should().Contain(" is misclassified: ").And.Contain("but nothing was checked: no image of the 5 was classified correctly (clean accuracy 0 %), so no vulnerable rate can be measured.");
        });
    }

    [Test]
    public void Within_the_gate_every_case_passes_with_its_certificate_or_counterexample()
    {
        var run = FixtureRun.Of<VerifiedWithinTheGate>(WorkPath);

        run.Cases.Should().AllSatisfy(c => c.ResultState.Should().Be(ResultState.Success));
        run.Case("Has_few_single_pixel_counterexamples(dark.png)").Output.Should().Be(
            $"Certified: no single-pixel change alters the class of dark.png (dark); 16,321 queries.{Environment.NewLine}"
            + $"onepixel: the classifier: 2 of 5 checked images vulnerable, clean accuracy 100.0 %; gate PASS: vulnerable rate 40.0 % <= 50.0 %{Environment.NewLine}");
        run.Case("Has_few_single_pixel_counterexamples(edge-dark.png)").Output.Should().MatchRegex(
            @"^Counterexample, within the gate: edge-dark\.png: dark -> bright, pixel \(\d, \d\) = 255, confidence 80\.0 %");
    }

    [Test]
    public void An_rgb_model_should_get_exact_certificates_from_the_bounds()
    {
        var run = FixtureRun.Of<VerifiedRgbModel>(WorkPath);

        run.Cases.Should().HaveCount(6).And.AllSatisfy(c => c.ResultState.Should().Be(ResultState.Success));
        run.Cases.Count(c => c.Output.StartsWith("Certified: no single-pixel change alters the class of", StringComparison.Ordinal)).Should().Be(4);
        run.Cases.Where(c => c.Output.StartsWith("Certified", StringComparison.Ordinal)).Should().OnlyContain(c => c.Output.Contains("64 positions certified by bounds alone"));
        run.Cases.Count(c => c.Output.StartsWith("Counterexample, within the gate:", StringComparison.Ordinal)).Should().Be(2);
    }

    [Test]
    public void A_counterexample_gets_its_picture_and_the_verification_report_attached_and_a_certified_image_nothing()
    {
        var run = FixtureRun.Of<VerifiedRgbModel>(WorkPath);

        var vulnerable = run.Cases.Where(c => c.Output.StartsWith("Counterexample", StringComparison.Ordinal)).ToList();
        vulnerable.Should().HaveCount(2).And.AllSatisfy(c =>
        {
            var picture = c.TestAttachments.Single(a => a.FilePath.EndsWith(".png", StringComparison.Ordinal));
            picture.Description.Should().MatchRegex(@"^test-0000\d-[a-c]\.png: [a-c] -> [a-c] by pixel \(\d, \d\) = \[\d+, \d+, \d+\], original \(left\) and counterexample \(right\)");
            // Two 8x8 images enlarged 8 times, a 2-pixel margin round each, 8 pixels between them (as for a fooled image).
            Imaging.ImageFile.Load(picture.FilePath).Shape.Should().Be(new Imaging.ImageShape(2 * (64 + 4) + 8, 64 + 4, 3));
            var report = c.TestAttachments.Single(a => a.FilePath.EndsWith(".json", StringComparison.Ordinal));
            Path.GetFileName(report.FilePath).Should().Be("verification.json");
            var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(report.FilePath)).RootElement;
            json.GetProperty("kind").GetString().Should().Be("verification");
            json.GetProperty("summary").GetProperty("vulnerable").GetInt32().Should().Be(2);
        });
        run.Cases.Except(vulnerable).Should().AllSatisfy(c => c.TestAttachments.Should().BeEmpty());
    }

    [Test]
    public void The_method_receives_its_images_verdict()
    {
        FixtureRun.Of<VerifiedWithinTheGate>(WorkPath);

        VerifiedWithinTheGate.Verdicts.Where(v => v.Vulnerable).Select(v => v.Name).Distinct().Should().BeEquivalentTo("edge-dark.png", "edge-bright.png");
        VerifiedWithinTheGate.Verdicts.Where(v => !v.Vulnerable).Should().OnlyContain(v => v.Exact && v.Checked);
    }

    [Test]
    public void A_time_limit_leaves_the_images_it_cuts_short_undecided_never_certified()
    {
        var run = FixtureRun.Of<VerifiedWithATimeLimit>(WorkPath);

        var report = VerifiedWithATimeLimit.Reports.Should().NotBeEmpty().And.Subject.First();
        report.Options.MaxSeconds.Should().Be(0.000001);
        report.Undecided.Should().BePositive();
        report.Certified.Should().Be(0, "no image can be proved in a microsecond");
        (report.Undecided + report.Vulnerable).Should().Be(report.Checked, "a counterexample found before the limit is still exact");
        // The limit holds from the first box, so no image gets further (the gate, any share, holds: each case reports).
        report.Undecided.Should().Be(3);
        run.Cases.Should().HaveCount(3).And.OnlyContain(c => c.Output.StartsWith("Undecided: the time limit (1E-06 s) ended the search on ", StringComparison.Ordinal));
    }

    [Test]
    public void Undecided_images_that_could_break_the_gate_fail_their_cases_and_pass_when_they_could_not()
    {
        var run = FixtureRun.Of<VerifiedUndecidedAgainstAGate>(WorkPath);

        var atMostHalf = run.Cases.Where(c => c.Test.MethodName == nameof(VerifiedUndecidedAgainstAGate.Has_a_counterexample_on_at_most_half)).ToList();
        atMostHalf.Should().HaveCount(3, "no counterexample is proved, but were the three undecided images vulnerable, three of three would be: more than 50 %");
        atMostHalf.Should().AllSatisfy(c =>
        {
            c.ResultState.Should().Be(ResultState.Failure);
            c.Message.Should().MatchRegex(@"^test-0000\d-[a-z-]+\.png is undecided: the time limit \(1E-06 s\) ended the search on ");
            c.Message.Should().Contain("3 of the 3 checked images are undecided (the time limit came first): were they vulnerable, the vulnerable rate would be 100.0 % > 50.0 %, so the gate cannot be confirmed; allow more time per image to decide them");
            c.Message.Should().Contain("0 of 3 checked images have one (0.0 %; clean accuracy 100.0 %), decided by bounds on every pixel's colours (exact) where decided; 3 undecided at the time limit.");
            c.Message.Should().Contain(" --method bounds --max-seconds 1E-06 --max-success-rate 0.5");
            c.Message.Should().EndWith("  (an image's verdict at a time limit can differ on a faster or slower machine, or under another load)");
        });

        var anyShare = run.Cases.Where(c => c.Test.MethodName == nameof(VerifiedUndecidedAgainstAGate.Has_a_counterexample_on_any_share)).ToList();
        anyShare.Should().HaveCount(3).And.OnlyContain(c => c.ResultState == ResultState.Success);
        anyShare.Should().OnlyContain(c => c.Output.StartsWith("Undecided: the time limit (1E-06 s) ended the search on ", StringComparison.Ordinal));
        anyShare.Should().Contain(c => c.Output.Contains("gate PASS: vulnerable rate 0.0 % <= 100.0 % (100.0 % <= 100.0 % were the 3 undecided images vulnerable too)"));
    }

    [Test]
    public void Rgb_images_searched_only_on_the_grid_that_could_break_the_gate_fail_their_cases()
    {
        var run = FixtureRun.Of<VerifiedOnTheGridAgainstAGate>(WorkPath);

        run.Cases.Should().HaveCount(6);
        var open = run.Cases.Where(c => c.ResultState == ResultState.Failure).ToList();
        open.Should().HaveCount(4, "four images have no counterexample on the grid, and nothing proves them robust: were they vulnerable, six of six would be");
        open.Should().AllSatisfy(c =>
        {
            c.Message.Should().MatchRegex(@"^test-0000\d-[a-c]\.png is not proved robust: only 0, 128, 255 per channel were tried on test-0000\d-[a-c]\.png \([a-c]\), so finding no counterexample there is not a certificate \(verified by enumeration, not bounds: the model was made in code, so there is no ONNX graph to read\); ");
            c.Message.Should().Contain("4 of the 6 checked images were searched only on the colour grid (RGB enumeration tries a few values per channel; finding no counterexample there is not a certificate): were they vulnerable, the vulnerable rate would be 100.0 % > 50.0 %, so the gate cannot be confirmed");
            c.Message.Should().Contain("2 of 6 checked images have one (33.3 %; clean accuracy 100.0 %), found on a colour grid (RGB; not exact).");
        });
        run.Cases.Except(open).Should().HaveCount(2).And.OnlyContain(c => c.ResultState == ResultState.Success && c.Output.StartsWith("Counterexample, within the gate:", StringComparison.Ordinal)
            && c.Output.Contains("The verification as a whole fails its gate (see the failing cases)."));
    }

    [Test]
    public void Rgb_images_searched_only_on_the_grid_pass_a_gate_they_could_not_break_saying_so()
    {
        var run = FixtureRun.Of<VerifiedOnTheGridWithinTheGate>(WorkPath);

        run.Cases.Should().HaveCount(6).And.OnlyContain(c => c.ResultState == ResultState.Success);
        run.Cases.Where(c => c.Output.StartsWith("No counterexample on the colour grid: only 0, 128, 255 per channel were tried on", StringComparison.Ordinal)).Should().HaveCount(4);
        run.Cases.Should().Contain(c => c.Output.Contains("gate PASS: vulnerable rate 33.3 % <= 100.0 % (100.0 % <= 100.0 % were the 4 grid-only images vulnerable too)"));
    }

    [Test]
    public void A_time_limit_should_cut_an_enumeration_short_too_and_say_so()
    {
        var run = FixtureRun.Of<EnumeratedWithATimeLimit>(WorkPath);

        var undecided = run.Cases.Where(c => c.ResultState == ResultState.Failure).ToList();
        undecided.Should().HaveCount(3, "dark, light and speckled have no counterexample in the first batch; the edge images do");
        undecided.Should().AllSatisfy(c =>
        {
            c.Message.Should().MatchRegex(@"^(dark|light|speckled)\.png is undecided: the time limit \(1E-06 s\) ended the search on \1\.png \((dark|bright)\) before a certificate or a counterexample; \d+ queries \(enumeration\) by then\.");
            c.Message.Should().Contain("3 of the 5 checked images are undecided (the time limit came first): were they vulnerable, the vulnerable rate would be 100.0 % > 50.0 %");
            c.Message.Should().Contain("2 of 5 checked images have one (40.0 %; clean accuracy 100.0 %), found by enumeration where decided; 3 undecided at the time limit.");
        });
        run.Cases.Except(undecided).Should().HaveCount(2).And.OnlyContain(c => c.ResultState == ResultState.Success && c.Output.StartsWith("Counterexample, within the gate:", StringComparison.Ordinal));
    }

    [Test]
    public void A_time_limit_on_an_attack_makes_a_not_runnable_test()
    {
        var result = FixtureRun.Of<AttackedWithATimeLimit>(WorkPath).Cases.Single();

        result.ResultState.Should().Be(ResultState.NotRunnable);
        result.Message.Should().Be("[RobustnessTest] MaxSeconds: the time limit per image of a verification; add Verify = true, or leave it out.");
    }

    [Test]
    public void Attack_settings_with_verify_make_a_not_runnable_test_that_names_them()
    {
        var result = FixtureRun.Of<VerifiedWithABudget>(WorkPath).Cases.Single();

        result.ResultState.Should().Be(ResultState.NotRunnable);
        result.Message.Should().Be("[RobustnessTest] Verify: tries every single-pixel change instead of searching, so Budget, Pixels have no meaning; leave them out, or Verify.");
    }
}
