using OnePixel.Testing.Attacks;
using OnePixel.Testing.Reports;
using OnePixel.Testing.Tests.Fakes;

namespace OnePixel.Testing.Tests.Attacks;

public class DeterminismTests
{
    // A model with a wide basin: many pixels and values fool it, so different seeds find different ones.
    private static readonly FunctionClassifier Model = new(FunctionClassifier.Small, 2, p =>
    {
        var bright = 0;
        foreach (var v in p) if (v > 230) bright++;
        return bright > 0 ? [0.3f, 0.7f] : [0.7f, 0.3f];
    });

    [Test]
    public void The_same_seed_should_give_an_identical_report()
    {
        var images = Images.Uniform(12, gray: 40, label: 0);
        var options = new AttackOptions { Seed = 7, Budget = AttackBudget.Queries(2_000) };

        var first = JsonReport.ToJson(new AttackRunner(Model, options).Run(images), includeTimings: false);
        var second = JsonReport.ToJson(new AttackRunner(Model, options).Run(images), includeTimings: false);

        second.Should().Be(first);
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(8)]
    public void The_report_should_not_depend_on_the_thread_count(int threads)
    {
        var images = Images.Uniform(12, gray: 40, label: 0);
        var reference = JsonReport.ToJson(new AttackRunner(Model, new AttackOptions { Seed = 7, Threads = 1 }).Run(images), includeTimings: false);

        var report = JsonReport.ToJson(new AttackRunner(Model, new AttackOptions { Seed = 7, Threads = threads }).Run(images), includeTimings: false);

        report.Should().Be(reference);
    }

    [Test]
    public void A_different_seed_should_give_a_different_search()
    {
        var images = Images.Uniform(12, gray: 40, label: 0);

        var a = new AttackRunner(Model, new AttackOptions { Seed = 1 }).Run(images);
        var b = new AttackRunner(Model, new AttackOptions { Seed = 2 }).Run(images);

        a.Results.Select(r => r.Pixels[0].ToString()).Should().NotEqual(b.Results.Select(r => r.Pixels[0].ToString()));
    }

    [Test]
    public void An_image_should_get_the_same_result_whatever_slice_of_the_set_it_is_attacked_in()
    {
        var images = Images.Uniform(12, gray: 40, label: 0);
        var options = new AttackOptions { Seed = 3 };

        var whole = new AttackRunner(Model, options).Run(images);
        var tail = new AttackRunner(Model, options).Run(images.Slice(8, null));

        tail.Results.Should().BeEquivalentTo(whole.Results.Skip(8));
    }
}
