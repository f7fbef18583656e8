using System.Collections.Concurrent;
using OnePixel.Testing.NUnit.TestFixtures.Classifiers;
using OnePixel.Testing.Verification;

namespace OnePixel.Testing.NUnit.TestFixtures;

/// <summary>The 8x8 single-pixel-trigger model, verified exactly: pixel (5, 2) flips every image, so every case fails with that counterexample.</summary>
[RobustnessModel("models/testing/single-pixel-trigger.onnx")]
public class VerifiedTriggerModel
{
    [RobustnessTest(Verify = true)]
    public void Has_no_single_pixel_counterexample() { }
}

/// <summary>A tiny seeded RGB network verified exactly by bounds: 2 of its 6 images have a counterexample, within a 50% gate.</summary>
[RobustnessModel("models/testing/tiny-rgb-graph.onnx")]
public class VerifiedRgbModel
{
    [RobustnessTest(Verify = true, MaxSuccessRate = 0.5)]
    public void Has_few_single_pixel_counterexamples(ImageVerification verdict) { }
}

/// <summary>The bright-count classifier verified exactly: 2 of 5 images vulnerable, within a 50% gate, so every case passes with its verdict.</summary>
[RobustnessModel(typeof(BrightCountClassifier), Images = "Images")]
public class VerifiedWithinTheGate
{
    public static ConcurrentBag<ImageVerification> Verdicts { get; } = [];

    [RobustnessTest(Verify = true, MaxSuccessRate = 0.5)]
    public void Has_few_single_pixel_counterexamples(ImageVerification verdict, VerificationReport report) => Verdicts.Add(verdict);
}

/// <summary>Verify with attack settings that mean nothing for it: not runnable, saying which.</summary>
[RobustnessModel(typeof(BrightCountClassifier), Images = "Images")]
public class VerifiedWithABudget
{
    [RobustnessTest(Verify = true, Budget = 500, Pixels = 2)]
    public void Has_no_single_pixel_counterexample() { }
}

/// <summary>A search named on a verification test, which does not search: a configuration error.</summary>
[RobustnessModel(typeof(BrightCountClassifier), Images = "Images")]
public class VerifiedWithASearch
{
    [RobustnessTest(Verify = true, Search = Attacks.SearchKind.ExtremesThenEvolution, Fitness = Attacks.FitnessKind.Margin)]
    public void Has_no_single_pixel_counterexample() { }
}

/// <summary>A model that misclassifies every image, verified: nothing can be checked, so the gate fails in every case.</summary>
[RobustnessModel(typeof(InvertedBrightCountClassifier), Images = "Images")]
public class VerifiedBrokenModel
{
    [RobustnessTest(Verify = true, MaxSuccessRate = 1.0)]
    public void Has_no_single_pixel_counterexample() { }
}

/// <summary>
/// A colour model verified with a time limit too short to decide anything: every image is undecided, not
/// certified; under a gate that any share passes (so each case runs and receives the report).
/// </summary>
[RobustnessModel("models/fashion-colour-cnn.onnx")]
public class VerifiedWithATimeLimit
{
    public static ConcurrentBag<VerificationReport> Reports { get; } = [];

    [RobustnessTest(Verify = true, MaxSeconds = 0.000001, ImageCount = 3, MaxSuccessRate = 1.0)]
    public void Has_no_single_pixel_counterexample(VerificationReport report) => Reports.Add(report);
}

/// <summary>
/// The same three images and time limit (all three undecided: the limit holds from the first box) under two
/// gates: at most half vulnerable cannot be confirmed (were the undecided images vulnerable, three of three
/// would be), any share can.
/// </summary>
[RobustnessModel("models/fashion-colour-cnn.onnx")]
public class VerifiedUndecidedAgainstAGate
{
    [RobustnessTest(Verify = true, MaxSeconds = 0.000001, ImageCount = 3, MaxSuccessRate = 0.5)]
    public void Has_a_counterexample_on_at_most_half() { }

    [RobustnessTest(Verify = true, MaxSeconds = 0.000001, ImageCount = 3, MaxSuccessRate = 1.0)]
    public void Has_a_counterexample_on_any_share() { }
}

/// <summary>A time limit on an attack, which has none: a configuration error.</summary>
[RobustnessModel(typeof(BrightCountClassifier), Images = "Images")]
public class AttackedWithATimeLimit
{
    [RobustnessTest(MaxSeconds = 10)]
    public void Resists_one_pixel_attacks() { }
}

/// <summary>
/// An RGB classifier made in code, verified against a 50% gate: 2 of its 6 images have a counterexample on
/// the colour grid, and the 4 others were searched only there. Were they vulnerable the rate would be 100%,
/// so the gate cannot be confirmed and their cases fail; the 2 counterexamples pass, within the gate.
/// </summary>
[RobustnessModel(typeof(WrappedRgbClassifier), Images = "samples/images/testing-rgb-8x8")]
public class VerifiedOnTheGridAgainstAGate
{
    [RobustnessTest(Verify = true, MaxSuccessRate = 0.5)]
    public void Has_few_single_pixel_counterexamples() { }
}

/// <summary>The same against a gate of 100%, which holds whatever the grid-only images are: every case passes, saying what was not proved.</summary>
[RobustnessModel(typeof(WrappedRgbClassifier), Images = "samples/images/testing-rgb-8x8")]
public class VerifiedOnTheGridWithinTheGate
{
    [RobustnessTest(Verify = true, MaxSuccessRate = 1.0)]
    public void Has_few_single_pixel_counterexamples() { }
}

/// <summary>
/// A classifier made in code (verified by enumeration) with a time limit too short to finish any scan: the
/// two vulnerable images show their counterexamples in the first batch (extremes first), within a 50% gate;
/// the three others are undecided, and were they vulnerable five of five would be, so their cases fail.
/// </summary>
[RobustnessModel(typeof(BrightCountClassifier), Images = "Images")]
public class EnumeratedWithATimeLimit
{
    [RobustnessTest(Verify = true, MaxSeconds = 0.000001, MaxSuccessRate = 0.5)]
    public void Has_few_single_pixel_counterexamples() { }
}
