using NUnit.Framework;
using OnePixel.Testing.NUnit.TestFixtures.Classifiers;

namespace OnePixel.Testing.NUnit.TestFixtures;

/// <summary>
/// A robustness method on a set whose last image is damaged, beside an ordinary test. Filtered out,
/// the method must cost nothing: no image read, no model loaded. Run, its cases fail naming the file.
/// </summary>
[RobustnessModel(typeof(LoadCountedClassifier), Images = "DamagedImages")]
public class BesideAnOrdinaryTest
{
    [RobustnessTest(Budget = 100)]
    public void Resists_one_pixel_attacks() { }

    [Test]
    public void An_ordinary_test() => Assert.Pass();
}
