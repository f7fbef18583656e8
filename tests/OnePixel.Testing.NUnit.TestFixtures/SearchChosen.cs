using NUnit.Framework;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.NUnit.TestFixtures.Classifiers;

namespace OnePixel.Testing.NUnit.TestFixtures;

/// <summary>The search named on the attribute: the stronger search, with its margin fitness unless the test names another.</summary>
[RobustnessModel(typeof(BrightCountClassifier), Images = "Images")]
public class SearchChosen
{
    [RobustnessTest(Budget = 200, PerImage = false, MaxSuccessRate = 1, Search = SearchKind.ExtremesThenEvolution)]
    public void With_the_stronger_search(AttackReport report) =>
        Recorder.Calls.Add((TestContext.CurrentContext.Test.FullName, report, null));

    [RobustnessTest(Budget = 200, PerImage = false, MaxSuccessRate = 1, Search = SearchKind.ExtremesThenEvolution, Fitness = FitnessKind.Probability)]
    public void With_the_stronger_search_and_the_papers_fitness(AttackReport report) =>
        Recorder.Calls.Add((TestContext.CurrentContext.Test.FullName, report, null));

    [RobustnessTest(Budget = 200, PerImage = false, MaxSuccessRate = 1)]
    public void With_the_papers_search(AttackReport report) =>
        Recorder.Calls.Add((TestContext.CurrentContext.Test.FullName, report, null));
}
