using OnePixel.Testing.Attacks;
using OnePixel.Testing.Baselines;
using OnePixel.Testing.NUnit.TestFixtures.Classifiers;

namespace OnePixel.Testing.NUnit.Tests.Fakes;

/// <summary>
/// Baselines of the bright-count classifier on its five images, as an earlier model might have left them:
/// made from a real run with the fixtures' settings (budget 200), then with outcomes or settings changed.
/// </summary>
internal static class BrightCountBaselines
{
    public static readonly AttackOptions Options = new() { Budget = AttackBudget.Queries(200) };

    /// <summary>What the classifier does now: edge-dark and edge-bright fooled, the other three resisting.</summary>
    public static RobustnessBaseline Measured()
    {
        using var model = new BrightCountClassifier();
        var images = TestImages.BrightCount();
        var report = new AttackRunner(model, Options).Run(images, model: new ModelIdentity("BrightCountClassifier", "not a file"));
        return BaselineFile.FromReport(report, images);
    }

    /// <summary>An earlier, sturdier model: every image resisted.</summary>
    public static RobustnessBaseline Sturdier() => WithOutcomes(Measured(), BaselineOutcome.Resisted);

    /// <summary>An earlier, weaker model: every image fooled.</summary>
    public static RobustnessBaseline Weaker() => WithOutcomes(Measured(), BaselineOutcome.Fooled);

    private static RobustnessBaseline WithOutcomes(RobustnessBaseline baseline, BaselineOutcome outcome) => baseline with
    {
        Images = baseline.Images.Select(i => i with { Outcome = outcome, AdversarialLabel = outcome == BaselineOutcome.Fooled ? 1 - i.Label : null }).ToList(),
    };
}
