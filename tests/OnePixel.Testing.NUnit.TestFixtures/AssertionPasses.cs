using FluentAssertions;
using NUnit.Framework;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.Imaging;
using OnePixel.Testing.NUnit.TestFixtures.Classifiers;

namespace OnePixel.Testing.NUnit.TestFixtures;

/// <summary>A FluentAssertions robustness assertion that passes (2 of 5 fooled, at most 50 % allowed), run by NUnit.</summary>
public class AssertionPasses
{
    [Test]
    public void The_classifier_resists_within_the_gate()
    {
        var images = ImageSetLoader.Load(Path.Combine(TestContext.CurrentContext.TestDirectory, "Images"));

        new BrightCountClassifier().Should().ResistOnePixelAttacks(images, AttackBudget.Queries(200), maxSuccessRate: 0.5);
    }
}
