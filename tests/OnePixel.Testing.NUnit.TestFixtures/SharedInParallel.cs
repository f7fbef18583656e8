using NUnit.Framework;
using OnePixel.Testing.NUnit.TestFixtures.Classifiers;

namespace OnePixel.Testing.NUnit.TestFixtures;

/// <summary>Two methods, ten cases, run in parallel on one declared model: it must be created once.</summary>
[RobustnessModel(typeof(CountedClassifier), Images = "Images")]
[Parallelizable(ParallelScope.All)]
public class SharedInParallel
{
    [RobustnessTest(Budget = 100, MaxSuccessRate = 0.5)]
    public void First_method() { }

    [RobustnessTest(Budget = 150, MaxSuccessRate = 0.5)]
    public void Second_method() { }
}
