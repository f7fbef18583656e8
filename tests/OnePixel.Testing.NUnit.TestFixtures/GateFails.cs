using NUnit.Framework;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.NUnit.TestFixtures.Classifiers;

namespace OnePixel.Testing.NUnit.TestFixtures;

/// <summary>2 of 5 images fooled against the default 10%: the two fooled images' cases fail, the other three pass.</summary>
[RobustnessModel(typeof(BrightCountClassifier), Images = "Images")]
public class GateFails
{
    [RobustnessTest(Budget = 200)]
    public void Resists_one_pixel_attacks(ImageAttackResult result) =>
        Recorder.Calls.Add((TestContext.CurrentContext.Test.FullName, null, result));
}
