using OnePixel.Testing.Attacks;
using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;
using OnePixel.Testing.Tests.Fakes;
using OnePixel.Testing.Verification;

namespace OnePixel.Testing.Tests.Attacks;

public class ExtremesThenEvolutionSearchTests
{
    [Test]
    public void It_should_find_a_single_extreme_pixel_within_the_extremes_pass()
    {
        var model = new CountingClassifier(FunctionClassifier.TriggerPixel());
        var options = AttackOptions.StrongSearch(AttackBudget.Queries(400, population: 16));

        var report = new AttackRunner(model, options).Run(Images.Uniform(4, gray: 10, label: 0));

        report.Summary.Fooled.Should().Be(4);
        report.Results.Should().OnlyContain(r => r.Queries <= 1 + 2 * 64 && r.Pixels[0].X == 5 && r.Pixels[0].Y == 2);
    }

    [Test]
    public void It_should_reach_values_between_the_extremes_through_evolution()
    {
        // Fooled only when pixel (2, 2) is mid-gray: no extreme colour works.
        var model = new FunctionClassifier(FunctionClassifier.Small, 2, p => p[2 * 8 + 2] is > 90 and < 170 ? [0.3f, 0.7f] : [0.7f, 0.3f]);
        var options = AttackOptions.StrongSearch(AttackBudget.Queries(4_000));

        var report = new AttackRunner(model, options).Run(Images.Uniform(3, gray: 0, label: 0));

        report.Summary.Fooled.Should().Be(3);
        report.Results.Should().OnlyContain(r => r.Generations > 0 && r.Pixels[0].Value[0] > 90 && r.Pixels[0].Value[0] < 170);
    }

    [Test]
    public void It_should_never_exceed_the_budget()
    {
        var model = new CountingClassifier(FunctionClassifier.Constant());

        var report = new AttackRunner(model, AttackOptions.StrongSearch(AttackBudget.Queries(333)) with { RememberCandidates = false }).Run(Images.Uniform(3, 100, 2));

        report.Results.Should().OnlyContain(r => r.Queries == 333);
        model.Queries.Should().Be(3 * 333);
    }

    [Test]
    public void On_a_random_linear_model_it_should_find_every_image_the_exhaustive_pass_calls_vulnerable()
    {
        var model = new LinearClassifier(new ImageShape(6, 6, 1), classes: 4, seed: 3, weightScale: 0.5);
        var images = model.SelfLabelledImages(30, seed: 9);
        var truth = new ExhaustiveVerifier(model).Verify(images);

        var report = new AttackRunner(model, AttackOptions.StrongSearch(AttackBudget.Queries(1_000))).Run(images);

        truth.Vulnerable.Should().BeGreaterThan(3);
        report.Results.Where(r => r.Fooled).Select(r => r.Index).Should().BeEquivalentTo(truth.Results.Where(r => r.Vulnerable).Select(r => r.Index));
    }

    [Test]
    public void Rgb_images_should_try_colour_cube_corners()
    {
        var shape = new ImageShape(6, 6, 3);
        var model = new FunctionClassifier(shape, 2, p =>
        {
            for (var i = 0; i < 36; i++)
                if (p[i * 3] == 0 && p[i * 3 + 1] == 255 && p[i * 3 + 2] == 0) return [0.2f, 0.8f];
            return [0.8f, 0.2f];
        });

        var report = new AttackRunner(model, AttackOptions.StrongSearch(AttackBudget.Queries(1_000))).Run(Images.Uniform(2, 128, 0, shape));

        report.Summary.Fooled.Should().Be(2);
        report.Results.Should().OnlyContain(r => r.Pixels[0].Value.SequenceEqual(new byte[] { 0, 255, 0 }));
    }
}
