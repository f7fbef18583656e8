using OnePixel.Testing.Attacks;
using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;
using OnePixel.Testing.Tests.Fakes;
using OnePixel.Testing.Verification;

namespace OnePixel.Testing.Tests.Verification;

public class ExhaustiveVerifierTests
{
    [Test]
    public void When_one_pixel_decides_it_should_give_that_pixel_as_the_counterexample()
    {
        var report = new ExhaustiveVerifier(FunctionClassifier.TriggerPixel()).Verify(Images.Uniform(1, gray: 10, label: 0));

        var verdict = report.Results[0];
        verdict.Vulnerable.Should().BeTrue();
        verdict.Exact.Should().BeTrue();
        verdict.Counterexample.Should().BeEquivalentTo(new PixelChange(5, 2, [255]));
        verdict.AdversarialLabel.Should().Be(1);
    }

    [Test]
    public void A_full_scan_should_count_every_fooling_value()
    {
        var verifier = new ExhaustiveVerifier(FunctionClassifier.TriggerPixel(), new VerificationOptions { StopAtFirst = false });

        var verdict = verifier.Verify(Images.Uniform(1, gray: 10, label: 0)).Results[0];

        verdict.FoolingCandidates.Should().Be(55, "values 201..255 at (5, 2) fool it");
        verdict.VulnerablePositions.Should().Be(1);
        verdict.Queries.Should().Be(1 + 64 * 255);
    }

    [Test]
    public void When_the_model_ignores_its_input_it_should_certify_the_image_after_trying_every_change()
    {
        var model = new CountingClassifier(FunctionClassifier.Constant());

        var verdict = new ExhaustiveVerifier(model).Verify(Images.Uniform(1, gray: 100, label: 2)).Results[0];

        verdict.Vulnerable.Should().BeFalse();
        verdict.Exact.Should().BeTrue();
        verdict.Counterexample.Should().BeNull();
        verdict.Queries.Should().Be(1 + 64 * 255, "every position times every value but the pixel's own");
        model.Queries.Should().Be(verdict.Queries);
    }

    [Test]
    public void A_time_limit_should_stop_the_scan_and_leave_the_image_undecided_not_certified()
    {
        var model = new CountingClassifier(FunctionClassifier.Constant());
        var verifier = new ExhaustiveVerifier(model, new VerificationOptions { MaxSeconds = 0.000001, BatchSize = 64 });

        var verdict = verifier.Verify(Images.Uniform(1, gray: 100, label: 2)).Results[0];

        verdict.Verdict.Should().Be(VerificationVerdict.Undecided, "the scan that would certify it was cut short");
        verdict.Exact.Should().BeFalse();
        verdict.TimeLimitReached.Should().BeTrue();
        verdict.Method.Should().Be(VerificationMethod.Enumerate);
        verdict.Queries.Should().Be(1 + 64, "the limit, long past by the end of the first batch, is checked after each batch");
        model.Queries.Should().Be(verdict.Queries);

        var unhurried = new ExhaustiveVerifier(model, new VerificationOptions { MaxSeconds = 3600, BatchSize = 64 }).Verify(Images.Uniform(1, gray: 100, label: 2)).Results[0];
        unhurried.Verdict.Should().Be(VerificationVerdict.Certified, "a limit not reached changes nothing");
        unhurried.TimeLimitReached.Should().BeFalse();
    }

    [Test]
    public void It_should_agree_exactly_with_an_independent_exhaustive_search()
    {
        var model = new LinearClassifier(new ImageShape(5, 5, 1), classes: 3, seed: 11, weightScale: 0.6);
        var images = model.SelfLabelledImages(24, seed: 5);

        var report = new ExhaustiveVerifier(model, new VerificationOptions { StopAtFirst = false, BatchSize = 97 }).Verify(images);

        var expected = images.Images.Select(image => NaiveFoolingCount(model, image)).ToList();
        report.Results.Select(r => r.FoolingCandidates).Should().Equal(expected.Select(e => (int?)e));
        report.Results.Select(r => r.Vulnerable).Should().Equal(expected.Select(e => e > 0));
        expected.Should().Contain(e => e > 0).And.Contain(0, "the check is only worth something with both verdicts present");
    }

    [Test]
    public void Stopping_at_the_first_counterexample_should_give_the_same_verdicts_as_a_full_scan()
    {
        var model = new LinearClassifier(new ImageShape(5, 5, 1), classes: 3, seed: 11, weightScale: 0.6);
        var images = model.SelfLabelledImages(24, seed: 5);

        var quick = new ExhaustiveVerifier(model).Verify(images);
        var full = new ExhaustiveVerifier(model, new VerificationOptions { StopAtFirst = false }).Verify(images);

        quick.Results.Select(r => r.Vulnerable).Should().Equal(full.Results.Select(r => r.Vulnerable));
        quick.Queries.Should().BeLessThan(full.Queries);
        foreach (var verdict in quick.Results.Where(r => r.Vulnerable))
            model.Classify(images.Images[verdict.Index].Image.With([verdict.Counterexample!])).Label.Should().Be(verdict.AdversarialLabel);
    }

    [Test]
    public void Rgb_images_should_try_the_grid_and_say_the_verdict_is_not_exact()
    {
        var shape = new ImageShape(3, 3, 3);
        // Fooled only by a pure red pixel: a grid corner.
        var model = new FunctionClassifier(shape, 2, p =>
        {
            for (var i = 0; i < 9; i++)
                if (p[i * 3] == 255 && p[i * 3 + 1] == 0 && p[i * 3 + 2] == 0) return [0.2f, 0.8f];
            return [0.8f, 0.2f];
        });

        var verdict = new ExhaustiveVerifier(model).Verify(Images.Uniform(1, 128, 0, shape)).Results[0];

        verdict.Vulnerable.Should().BeTrue();
        verdict.Exact.Should().BeFalse();
        verdict.Counterexample!.Value.Should().Equal(255, 0, 0);
    }

    [Test]
    public void Misclassified_images_should_not_be_checked()
    {
        var verdict = new ExhaustiveVerifier(FunctionClassifier.Constant()).Verify(Images.Uniform(1, 100, label: 0)).Results[0];

        verdict.Checked.Should().BeFalse();
        verdict.Queries.Should().Be(1);
    }

    /// <summary>One query at a time, every position and value: the obvious way, to check the fast one against.</summary>
    private static int NaiveFoolingCount(IImageClassifier model, LabeledImage image)
    {
        var fooling = 0;
        for (var y = 0; y < image.Image.Height; y++)
        for (var x = 0; x < image.Image.Width; x++)
        for (var v = 0; v < 256; v++)
        {
            if (image.Image[x, y, 0] == v) continue;
            if (model.Classify(image.Image.With([new PixelChange(x, y, [(byte)v])])).Label != image.Label) fooling++;
        }
        return fooling;
    }
}
