using OnePixel.Testing.Attacks;
using OnePixel.Testing.Imaging;
using OnePixel.Testing.Tests.Fakes;

namespace OnePixel.Testing.Tests.Attacks;

/// <summary>
/// Every search on images smaller than its population (a 1x1 image has 2 extreme candidates, a 2x2 RGB
/// one 32) and at every budget from the smallest to the paper's: a small image must never crash a
/// search, and the budget holds.
/// </summary>
public class SmallImageTests
{
    private static readonly ImageShape[] Shapes =
    [
        new(1, 1, 1), new(2, 2, 1), new(8, 8, 1),
        new(1, 1, 3), new(2, 2, 3), new(8, 8, 3),
    ];

    private static readonly int[] Budgets = [5, 40, 400, 4_000, AttackBudget.Paper.MaxQueries];

    private static IEnumerable<TestCaseData> Cases() =>
        from shape in Shapes
        from search in new[] { SearchKind.DifferentialEvolution, SearchKind.ExtremesThenEvolution }
        from pixels in new[] { 1, 3 }
        select new TestCaseData(shape, search, pixels).SetArgDisplayNames(shape.ToString(), search.ToString(), $"{pixels} pixel(s)");

    [TestCaseSource(nameof(Cases))]
    public void A_model_that_cannot_be_fooled_should_be_attacked_at_every_budget_without_error(ImageShape shape, SearchKind search, int pixels)
    {
        var model = new CountingClassifier(new FunctionClassifier(shape, 3, _ => [0.6f, 0.3f, 0.1f]));
        foreach (var queries in Budgets)
        {
            var budget = queries == AttackBudget.Paper.MaxQueries ? AttackBudget.Paper : AttackBudget.Queries(queries);
            var options = new AttackOptions { Budget = budget, Search = search, Fitness = AttackOptions.DefaultFitness(search), Pixels = pixels };

            var report = new AttackRunner(model, options).Run(Images.Uniform(2, gray: 100, label: 0, shape));

            report.Summary.Attacked.Should().Be(2, $"budget {budget}");
            report.Summary.Fooled.Should().Be(0, $"budget {budget}");
            report.Results.Should().OnlyContain(r => r.Queries <= budget.MaxQueries && r.Queries > 1, $"budget {budget}");
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void A_single_pixel_trigger_in_the_last_corner_should_be_found_once_the_extremes_fit_the_budget(ImageShape shape, SearchKind search, int pixels)
    {
        // Class 1 only when the last pixel's first channel is at its maximum and its last channel at its minimum: one extreme colour of one pixel.
        var last = shape.Length - shape.Channels;
        var model = new FunctionClassifier(shape, 2, p => p[last] == 255 && p[last + shape.Channels - 1] == (shape.Channels == 1 ? 255 : 0) ? [0.2f, 0.8f] : [0.8f, 0.2f]);
        // The stronger search scores every extreme candidate within half the budget when there are few; then it must find this one.
        var queries = 2 * (1 << shape.Channels) * shape.PixelCount * 2 + 200;
        var options = new AttackOptions { Budget = AttackBudget.Queries(queries), Search = search, Fitness = AttackOptions.DefaultFitness(search), Pixels = pixels };

        var report = new AttackRunner(model, options).Run(Images.Uniform(2, gray: 100, label: 0, shape));

        report.Results.Should().OnlyContain(r => r.Queries <= queries);
        if (search == SearchKind.ExtremesThenEvolution)
        {
            report.Summary.Fooled.Should().Be(2);
            report.FooledResults.Should().OnlyContain(r => r.Pixels.Any(p => p.X == shape.Width - 1 && p.Y == shape.Height - 1));
        }
    }
}
