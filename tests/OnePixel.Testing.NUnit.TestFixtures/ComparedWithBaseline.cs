using NUnit.Framework;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.Baselines;
using OnePixel.Testing.NUnit.TestFixtures.Classifiers;

namespace OnePixel.Testing.NUnit.TestFixtures;

/// <summary>
/// The bright-count classifier (edge-dark and edge-bright fooled) compared with a baseline that the
/// plugin's tests arrange (a regression, an improvement, a mismatch, none at all) in a folder they make
/// next to the test assembly.
/// </summary>
[RobustnessModel(typeof(BrightCountClassifier), Images = "Images")]
public class ComparedWithBaseline
{
    public const string Folder = "baselines-under-test";
    public const string Baseline = Folder + "/bright-count.baseline.json";

    [RobustnessTest(Budget = 200, Baseline = Baseline)]
    public void Does_not_regress(ImageAttackResult result, BaselineComparison? comparison) =>
        Recorder.Comparisons.Add((TestContext.CurrentContext.Test.FullName, result, comparison));
}

/// <summary>The same, as one test for the whole run, with a tolerance: a rise of up to 50 points, newly fooled images allowed.</summary>
[RobustnessModel(typeof(BrightCountClassifier), Images = "Images")]
public class ComparedWithBaselineWithTolerance
{
    [RobustnessTest(Budget = 200, Baseline = ComparedWithBaseline.Baseline, PerImage = false, MaxSuccessRateIncrease = 0.5, FailOnNewlyFooledImages = false)]
    public void Does_not_regress_much(AttackReport report) { }
}

/// <summary>The same comparison judged at significance level 0.05: two newly fooled images (p = 0.5) are no regression.</summary>
[RobustnessModel(typeof(BrightCountClassifier), Images = "Images")]
public class ComparedWithSignificance
{
    [RobustnessTest(Budget = 200, Baseline = ComparedWithBaseline.Baseline, Significance = 0.05)]
    public void Does_not_regress_significantly(ImageAttackResult result) { }
}

/// <summary>The same at level 0.6, at which the two newly fooled images (p = 0.5) are a significant rise.</summary>
[RobustnessModel(typeof(BrightCountClassifier), Images = "Images")]
public class ComparedAtALooseLevel
{
    [RobustnessTest(Budget = 200, Baseline = ComparedWithBaseline.Baseline, Significance = 0.6)]
    public void Does_not_regress_significantly(ImageAttackResult result) { }
}

/// <summary>A gate whose run belongs to a history, which the plugin's tests arrange next to the test assembly.</summary>
[RobustnessModel(typeof(BrightCountClassifier), Images = "Images")]
public class RecordedInHistory
{
    public const string History = ComparedWithBaseline.Folder + "/bright-count.history.jsonl";

    [RobustnessTest(Budget = 200, MaxSuccessRate = 0.5, History = History, PerImage = false)]
    public void Is_recorded(AttackReport report) { }
}
