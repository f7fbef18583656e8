using NUnit.Framework;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.NUnit.TestFixtures.Classifiers;

namespace OnePixel.Testing.NUnit.TestFixtures;

/// <summary>An attack of several seconds under a 300 ms [CancelAfter]: the cases must say it was cancelled, and how far it got.</summary>
[RobustnessModel(typeof(SlowClassifier), Images = "Images")]
public class CancelledAfter
{
    [RobustnessTest(Budget = 2_000, MaxSuccessRate = 0.5), CancelAfter(300)]
    public void Resists_one_pixel_attacks() { }
}

/// <summary>The same attack with no time limit: a test stops the whole run while it is under way.</summary>
[RobustnessModel(typeof(SlowClassifier), Images = "Images")]
public class StoppedRun
{
    [RobustnessTest(Budget = 2_000, MaxSuccessRate = 0.5)]
    public void Resists_one_pixel_attacks() { }
}

/// <summary>The FluentAssertions extension under [CancelAfter]: NUnit's token stops it as it stops the attribute's attack.</summary>
public class AssertionCancelledAfter
{
    [Test, CancelAfter(300)]
    public void The_model_resists_one_pixel_attacks()
    {
        using var model = new SlowClassifier();
        var images = Imaging.ImageSetLoader.Load(Path.Combine(AppContext.BaseDirectory, "Images"));

        model.Should().ResistOnePixelAttacks(images, AttackBudget.Queries(2_000), maxSuccessRate: 0.5);
    }
}
