using OnePixel.Testing.Attacks;
using OnePixel.Testing.Reports;
using OnePixel.Testing.Tests.Fakes;

namespace OnePixel.Testing.Tests.Attacks;

/// <summary>Candidates already scored in an attack are answered from memory: fewer model calls, the same report.</summary>
public class CandidateMemoryTests
{
    // Fooled only by a pixel of exactly 255 at (0, 0): evolution converges and repeats candidates long before it finds it.
    private static readonly FunctionClassifier Model = new(FunctionClassifier.Small, 2, p => p[0] == 255 ? [0.2f, 0.8f] : [0.6f + p[1] / 2550f, 0.4f - p[1] / 2550f]);

    [Test]
    public void Repeated_candidates_are_not_sent_to_the_model_again()
    {
        var counting = new CountingClassifier(Model);
        var options = new AttackOptions { Seed = 3, Budget = AttackBudget.Queries(4_000) };

        var report = new AttackRunner(counting, options).Run(Images.Uniform(4, gray: 40, label: 0));

        counting.Queries.Should().BeLessThan(report.Summary.Queries, "converged populations repeat candidates");
    }

    [Test]
    public void Answers_from_memory_give_the_report_of_scoring_every_candidate()
    {
        var images = Images.Uniform(4, gray: 40, label: 0);
        var options = new AttackOptions { Seed = 3, Budget = AttackBudget.Queries(4_000) };
        var remembering = JsonReport.ToJson(new AttackRunner(Model, options).Run(images), includeTimings: false);

        var scoringAll = JsonReport.ToJson(new AttackRunner(Model, options with { RememberCandidates = false }).Run(images), includeTimings: false);

        remembering.Should().Be(scoringAll);
    }

    [Test]
    public void Without_memory_every_query_reaches_the_model()
    {
        var counting = new CountingClassifier(Model);
        var options = new AttackOptions { Seed = 3, Budget = AttackBudget.Queries(4_000), RememberCandidates = false };

        var report = new AttackRunner(counting, options).Run(Images.Uniform(4, gray: 40, label: 0));

        counting.Queries.Should().Be(report.Summary.Queries);
    }
}
