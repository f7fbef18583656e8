using NUnit.Framework;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.NUnit.TestFixtures.Classifiers;

namespace OnePixel.Testing.NUnit.TestFixtures;

/// <summary>Two methods on a model declared on the fixture: loaded once, disposed when the fixture is done.</summary>
[RobustnessModel(typeof(DisposeCountedClassifier), Images = "Images")]
public class DisposedAtTheEnd
{
    [RobustnessTest(Budget = 100, MaxSuccessRate = 0.5)]
    public void First_method() { }

    [RobustnessTest(Budget = 150, MaxSuccessRate = 0.5)]
    public void Second_method() { }
}

/// <summary>A model whose first load fails: the run's cases report it; the next run loads it again.</summary>
[RobustnessModel(typeof(FlakyClassifier), Images = "Images")]
public class LoadedAgainAfterAFailure
{
    [RobustnessTest(Budget = 100, MaxSuccessRate = 0.5)]
    public void Resists_one_pixel_attacks() { }
}

/// <summary>Two overloads of one method, both failing their gate: each must attach its own run's report.</summary>
[RobustnessModel(typeof(BrightCountClassifier), Images = "Images")]
public class Overloads
{
    [RobustnessTest(Budget = 100, MaxSuccessRate = 0, PerImage = false)]
    public void Resists_one_pixel_attacks(AttackReport report) { }

    [RobustnessTest(Budget = 300, MaxSuccessRate = 0, PerImage = false)]
    public void Resists_one_pixel_attacks() { }
}
