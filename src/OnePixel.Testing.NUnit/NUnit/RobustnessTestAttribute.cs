using NUnit.Framework;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;
using NUnit.Framework.Internal.Commands;
using OnePixel.Testing.Attacks;

namespace OnePixel.Testing.NUnit;

/// <summary>
/// Turns a method into a robustness test: the one-pixel attack runs on the declared model's images
/// (see <see cref="RobustnessModelAttribute"/>) and the test fails when the success rate exceeds
/// <see cref="MaxSuccessRate"/>. The method may take an <see cref="AttackReport"/> (the whole run) and,
/// per image, an <see cref="ImageAttackResult"/> (its image's result) for further assertions; it runs
/// only when the gate holds for it.
/// </summary>
/// <remarks>
/// By default there is one test case per image, named after the image, so CI shows which images are
/// fooled: while the gate holds every case passes (a fooled image says so in its output and attachments);
/// when it fails, the cases of the fooled images fail with the full evidence. The attack itself runs once
/// and is shared by all cases. Every case is in the <c>Robustness</c> category, gets a PNG per fooled image
/// and the JSON report as attachments, and reports progress through <see cref="TestContext.Progress"/>.
/// A configuration error (no model declared, a missing file, bad images) becomes a not-runnable test with
/// the reason rather than a failure of test discovery.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class RobustnessTestAttribute : NUnitAttribute, ITestBuilder, IImplyFixture, IWrapTestMethod, ITestAction
{
    /// <summary>The category every robustness test is in: <c>dotnet test --filter TestCategory=Robustness</c>.</summary>
    public const string Category = "Robustness";

    /// <summary>Model queries per image; 0 means <see cref="AttackBudget.DefaultQueries"/>. Scaled by ONEPIXEL_BUDGET_SCALE.</summary>
    public int Budget { get; set; }

    /// <summary>DE population; 0 means budget / 40 (see <see cref="AttackBudget.Queries"/>).</summary>
    public int Population { get; set; }

    /// <summary>The paper's budget (population 400, 100 generations) instead of <see cref="Budget"/>.</summary>
    public bool Paper { get; set; }

    /// <summary>The largest fraction of attacked images that may be fooled; default <see cref="RobustnessGate.DefaultMaxSuccessRate"/>.</summary>
    public double MaxSuccessRate
    {
        get => _maxSuccessRate ?? RobustnessGate.DefaultMaxSuccessRate;
        set => _maxSuccessRate = value;
    }

    private double? _maxSuccessRate;

    /// <summary>Whether the test names its own maximum (a baseline test may not: it compares with the baseline instead).</summary>
    internal bool MaxSuccessRateGiven => _maxSuccessRate is not null;

    /// <summary>
    /// The smallest clean accuracy (images classified correctly / images) the model may have; 0 (the
    /// default) sets no floor. A run in which no image is classified correctly fails whatever this says:
    /// with nothing attacked there is no success rate to judge. Below the floor, the misclassified images' cases fail.
    /// </summary>
    public double MinAccuracy
    {
        get => _minAccuracy ?? 0;
        set => _minAccuracy = value;
    }

    private double? _minAccuracy;

    /// <summary>The floor, or null when none was given.</summary>
    internal double? MinAccuracyGiven => _minAccuracy;

    /// <summary>Pixels changed per candidate.</summary>
    public int Pixels { get; set; } = 1;

    /// <summary>Attack every other class in turn (the paper's targeted setting).</summary>
    public bool Targeted { get; set; }

    /// <summary>Attack towards this one class: its name or index.</summary>
    public string? Target { get; set; }

    /// <summary>Fixes the whole search.</summary>
    public ulong Seed { get; set; } = AttackOptions.DefaultSeed;

    /// <summary>
    /// The search: the paper's differential evolution (default), or
    /// <see cref="SearchKind.ExtremesThenEvolution"/>, which tries extreme colours first and finds more
    /// fooling pixels at small budgets (the command line's <c>--search extremes-de</c>).
    /// </summary>
    public SearchKind Search { get; set; } = SearchKind.DifferentialEvolution;

    /// <summary>What the search minimises: the paper's probability (default with differential evolution) or the margin (default with <see cref="SearchKind.ExtremesThenEvolution"/>), as <c>--fitness</c>.</summary>
    public FitnessKind Fitness
    {
        get => _fitness ?? AttackOptions.DefaultFitness(Search);
        set => _fitness = value;
    }

    private FitnessKind? _fitness;

    /// <summary>Whether the test names its fitness (a verification test may not: it does not search).</summary>
    internal bool FitnessGiven => _fitness is not null;

    /// <summary>Attack only the first N images; 0 means all.</summary>
    public int ImageCount { get; set; }

    /// <summary>One test case per image (default), or a single test for the whole run.</summary>
    public bool PerImage { get; set; } = true;

    /// <summary>
    /// Compare with this baseline file (see <c>OnePixel.Testing.Baselines</c>) instead of a fixed
    /// <see cref="MaxSuccessRate"/>: the test fails when the success rate rose by more than
    /// <see cref="MaxSuccessRateIncrease"/> or (with <see cref="FailOnNewlyFooledImages"/>) an image that
    /// resisted is fooled now; the cases of the newly fooled images fail, naming them, and improved images
    /// say so in their output. The attack uses this attribute's settings unscaled (ONEPIXEL_BUDGET_SCALE
    /// does not apply: a scaled run could not be compared); a baseline made with other settings, images or
    /// engine version is refused, failing every case with the reason and how to refresh it. Only with
    /// ONEPIXEL_UPDATE_BASELINES=1 is the file written (atomically, and every case passes saying so); a
    /// missing baseline otherwise fails saying how to make one. The path is found like the model's; a new
    /// one is written into the first folder of its name found upwards from the test assembly.
    /// </summary>
    public string? Baseline { get; set; }

    /// <summary>With <see cref="Baseline"/>: the allowed rise of the success rate, a fraction (0.02 = 2 points). Default 0.</summary>
    public double MaxSuccessRateIncrease { get; set; }

    /// <summary>
    /// With <see cref="Baseline"/>: fail when an image that resisted in the baseline is fooled now. Default true, unless
    /// <see cref="Significance"/> is set: then the paired test judges the newly fooled images together, and a newly
    /// fooled image fails on its own only when this is set to true explicitly.
    /// </summary>
    public bool FailOnNewlyFooledImages
    {
        get => _failOnNewlyFooledImages ?? Significance == 0;
        set => _failOnNewlyFooledImages = value;
    }

    private bool? _failOnNewlyFooledImages;

    /// <summary>The rule, or null when the test leaves it to the policy's default.</summary>
    internal bool? FailOnNewlyFooledImagesGiven => _failOnNewlyFooledImages;

    /// <summary>
    /// With <see cref="Baseline"/>: a significance level such as 0.05 (as the command line's <c>--significance</c>): a
    /// rise of the success rate beyond <see cref="MaxSuccessRateIncrease"/> fails only when McNemar's exact two-sided
    /// test on the images that flipped (newly fooled against newly resisting) gives p below it, and newly fooled images
    /// no longer fail on their own. 0 (the default): any rise beyond <see cref="MaxSuccessRateIncrease"/> fails.
    /// </summary>
    public double Significance { get; set; }

    /// <summary>
    /// A history file (JSON Lines, see <c>OnePixel.Testing.History</c>) this test's run belongs to. Only with
    /// ONEPIXEL_UPDATE_HISTORY=1 is the run appended to it (labelled by ONEPIXEL_HISTORY_LABEL, else by the model's
    /// sha256), atomically, and only when its latest record is not already this model's; otherwise every case's output
    /// shows the trend with this run at its end. The path is found like the model's; a new file is written into the
    /// first folder of its name found upwards from the test assembly.
    /// </summary>
    public string? History { get; set; }

    /// <summary>
    /// With <see cref="Baseline"/>: fail when an image classified correctly in the baseline is misclassified
    /// now. Default true (such images would leave the success rate's denominator, so a broken model would
    /// read as more robust); their cases fail, naming the class they are taken for.
    /// </summary>
    public bool FailOnNewlyMisclassifiedImages { get; set; } = true;

    /// <summary>
    /// With <see cref="Baseline"/>: compare even when the model is fed differently than the baseline
    /// records (input or output name, layout, size, scale, mean, std, output kind, backend), for a new
    /// version that takes other input. Default false: such a baseline is refused, naming each difference.
    /// </summary>
    public bool AllowPreprocessingChanges { get; set; }

    /// <summary>
    /// Decide exactly instead of attacking: for a model file whose graph the verifier supports, each
    /// pixel's whole range of values is bounded through the network and split until certified or a
    /// counterexample is found (exact for grayscale and RGB); otherwise every single-pixel change is
    /// tried (exact for 8-bit grayscale; a colour grid on RGB images, reported as not exact). Each
    /// case's outcome is a certificate or a counterexample. <see cref="MaxSuccessRate"/> is then the largest fraction of the
    /// checked images that may have a counterexample. The method may take a
    /// <c>VerificationReport</c> and, per image, an <c>ImageVerification</c>.
    /// </summary>
    public bool Verify { get; set; }

    /// <summary>
    /// With <see cref="Verify"/>: the time limit per image, in seconds (`onepixel verify --max-seconds`). An image
    /// not decided by then is reported undecided (not a certificate, not exact) instead of holding the run up.
    /// 0 (the default): no limit.
    /// </summary>
    public double MaxSeconds { get; set; }

    public IEnumerable<TestMethod> BuildFrom(IMethodInfo method, Test? suite) => RobustnessTestBuilder.Build(this, method, suite);

    public TestCommand Wrap(TestCommand command) => new RobustnessCommand(command);

    /// <summary>Around the method's cases: when they are done, its shared run is forgotten, so the next run of the tests attacks again.</summary>
    ActionTargets ITestAction.Targets => ActionTargets.Suite;

    void ITestAction.BeforeTest(ITest test) { }

    void ITestAction.AfterTest(ITest test)
    {
        foreach (var plan in test.Tests.OfType<Test>().Select(c => RobustnessTestBuilder.TryGetCase(c, out var found) ? found?.Plan : null).OfType<RobustnessPlan>().Distinct())
            plan.EndOfMethod();
    }
}
