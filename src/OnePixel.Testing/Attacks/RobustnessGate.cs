using System.Globalization;

namespace OnePixel.Testing.Attacks;

/// <summary>
/// The gate a run must pass: at most a share of the attacked images fooled, something attacked at all,
/// and (when asked) a floor on clean accuracy. One rule for the command line, the reports and the test
/// adapters, so they never disagree on a verdict.
/// </summary>
public static class RobustnessGate
{
    /// <summary>
    /// The default maximum success rate: at most 10% of the attacked (correctly classified) images
    /// may be fooled. A plain Fashion-MNIST CNN sits near 8% at the paper's budget; CIFAR-10 networks
    /// in the paper sit near 70%, so teams with such models set their own maximum.
    /// </summary>
    public const double DefaultMaxSuccessRate = 0.10;

    /// <summary>True when <see cref="Judge(AttackSummary, double, double?)"/> finds nothing wrong (a run with nothing attacked never holds).</summary>
    public static bool Holds(AttackSummary summary, double maxSuccessRate, double? minAccuracy = null) =>
        Judge(summary, maxSuccessRate, minAccuracy).Holds;

    /// <summary>
    /// The verdict on <paramref name="summary"/>: it fails when nothing was attacked (no image was
    /// classified correctly, so a success rate of 0 would be vacuous), when more than
    /// <paramref name="maxSuccessRate"/> of the attacked images were fooled, or when clean accuracy is
    /// below <paramref name="minAccuracy"/>.
    /// </summary>
    public static GateVerdict Judge(AttackSummary summary, double maxSuccessRate, double? minAccuracy = null)
    {
        var failures = new List<GateFailure>();
        if (summary.Attacked == 0) failures.Add(GateFailure.NothingAttacked);
        else if (summary.SuccessRate > maxSuccessRate) failures.Add(GateFailure.SuccessRateAboveMaximum);
        if (minAccuracy is { } floor && summary.Accuracy < floor) failures.Add(GateFailure.AccuracyBelowMinimum);
        return new GateVerdict(summary, maxSuccessRate, minAccuracy, failures);
    }

    /// <summary>
    /// The same gate for a verification: the vulnerable rate (images with a one-pixel counterexample, of
    /// those checked) in place of the success rate, nothing checked never passing, and the accuracy floor.
    /// An image left undecided by a time limit may have a counterexample, and so may an RGB image that
    /// enumeration searched only on its colour grid: the gate holds only if it would hold were every such
    /// image vulnerable (<see cref="GateFailure.UndecidedCouldExceed"/>, <see cref="GateFailure.GridOnlyCouldExceed"/>),
    /// so a verification passes on what it proved, never on what it did not reach or could not prove.
    /// </summary>
    public static GateVerdict Judge(Verification.VerificationReport report, double maxVulnerableRate, double? minAccuracy = null)
    {
        var verdict = Judge(report.Summary, maxVulnerableRate, minAccuracy) with
        {
            RateName = "vulnerable rate", Examined = "checked", Undecided = report.Undecided, GridOnly = report.NoneFoundOnGrid,
        };
        if (verdict.Undecided + verdict.GridOnly == 0 || verdict.Failures.Contains(GateFailure.NothingAttacked) || verdict.Failures.Contains(GateFailure.SuccessRateAboveMaximum))
            return verdict;
        if (verdict.WorstRate <= maxVulnerableRate)
            return verdict;
        List<GateFailure> open = [];
        if (verdict.Undecided > 0) open.Add(GateFailure.UndecidedCouldExceed);
        if (verdict.GridOnly > 0) open.Add(GateFailure.GridOnlyCouldExceed);
        return verdict with { Failures = [.. verdict.Failures, .. open] };
    }

    public static void ValidateMaximum(double maxSuccessRate, string what) => ValidateFraction(maxSuccessRate, what);

    /// <summary>A minimum clean accuracy, when given, is a fraction 0..1 too.</summary>
    public static void ValidateMinimum(double? minAccuracy, string what)
    {
        if (minAccuracy is { } value) ValidateFraction(value, what);
    }

    private static void ValidateFraction(double value, string what)
    {
        if (value is < 0 or > 1 || double.IsNaN(value))
            throw new OnePixelException($"{what}: expected a fraction 0..1, found {value.ToString(CultureInfo.InvariantCulture)}.");
    }
}

/// <summary>Why a gate failed.</summary>
public enum GateFailure
{
    /// <summary>No image was attacked: every image was misclassified (or, targeted, of the target class).</summary>
    NothingAttacked,

    /// <summary>More of the attacked images were fooled than the maximum allows.</summary>
    SuccessRateAboveMaximum,

    /// <summary>Clean accuracy is below the floor asked for.</summary>
    AccuracyBelowMinimum,

    /// <summary>
    /// A verification left images undecided (its time limit came first), and were they vulnerable the
    /// vulnerable rate would be above the maximum: the gate cannot be confirmed.
    /// </summary>
    UndecidedCouldExceed,

    /// <summary>
    /// A verification searched RGB images only on a colour grid (enumeration: the bound method was not asked
    /// for or could not read the graph), which proves nothing of the other colours, and were those images
    /// vulnerable the vulnerable rate would be above the maximum: the gate cannot be confirmed.
    /// </summary>
    GridOnlyCouldExceed,
}

/// <summary>A gate's verdict on one run, with its reasons in words.</summary>
public sealed record GateVerdict(AttackSummary Summary, double MaxSuccessRate, double? MinAccuracy, IReadOnlyList<GateFailure> Failures)
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public bool Holds => Failures.Count == 0;

    /// <summary>What the rate is called: "success rate" for an attack, "vulnerable rate" for a verification.</summary>
    public string RateName { get; init; } = "success rate";

    /// <summary>What happens to the correctly classified images: "attacked", or "checked" by a verification.</summary>
    public string Examined { get; init; } = "attacked";

    /// <summary>Checked images a verification left undecided (its time limit came first); 0 for an attack.</summary>
    public int Undecided { get; init; }

    /// <summary>Checked RGB images a verification searched only on its colour grid, finding no counterexample there (not a certificate); 0 for an attack.</summary>
    public int GridOnly { get; init; }

    /// <summary>
    /// "success rate 6.9 % &lt;= 10.0 %" when it holds; otherwise each failure, such as "nothing was attacked:
    /// no image of the 100 was classified correctly" or "clean accuracy 12.0 % &lt; 80.0 %", joined by "; ".
    /// </summary>
    public string Describe()
    {
        var s = Summary;
        if (Holds)
        {
            var text = string.Create(Invariant, $"{RateName} {Percent(s.SuccessRate)} <= {Percent(MaxSuccessRate)}");
            if (Undecided + GridOnly > 0) text += string.Create(Invariant, $" ({Percent(WorstRate)} <= {Percent(MaxSuccessRate)} were the {OpenImages()} vulnerable too)");
            return MinAccuracy is { } floor ? text + string.Create(Invariant, $", clean accuracy {Percent(s.Accuracy)} >= {Percent(floor)}") : text;
        }
        // Undecided and grid-only images are weighed together: both failures give the one sentence, said once.
        return string.Join("; ", Failures.Select(Reason).Distinct());
    }

    /// <summary>One failure in words.</summary>
    public string Reason(GateFailure failure) => failure switch
    {
        GateFailure.NothingAttacked => NothingAttackedReason(Summary, Examined),
        GateFailure.SuccessRateAboveMaximum => string.Create(Invariant, $"{RateName} {Percent(Summary.SuccessRate)} > {Percent(MaxSuccessRate)}"),
        GateFailure.UndecidedCouldExceed or GateFailure.GridOnlyCouldExceed => OpenImagesCouldExceed(),
        _ => string.Create(Invariant, $"clean accuracy {Percent(Summary.Accuracy)} < {Percent(MinAccuracy ?? 0)} ({Summary.Correct} of {Summary.Images} images classified correctly)"),
    };

    /// <summary>The rate were every undecided or grid-only image vulnerable (the rate itself for an attack).</summary>
    internal double WorstRate => Summary.Attacked == 0 ? 0 : (double)(Summary.Fooled + Undecided + GridOnly) / Summary.Attacked;

    /// <summary>
    /// Why the undecided and grid-only images (one kind or both) keep the gate from being confirmed, with
    /// what would decide them when they are of one kind.
    /// </summary>
    private string OpenImagesCouldExceed()
    {
        string Verb(int n, string one, string many) => n == 1 ? one : many;
        var undecided = string.Create(Invariant, $"{Undecided} of the {Summary.Attacked} checked images {Verb(Undecided, "is", "are")} undecided (the time limit came first)");
        var consequence = string.Create(Invariant, $"the {RateName} would be {Percent(WorstRate)} > {Percent(MaxSuccessRate)}, so the gate cannot be confirmed");
        if (GridOnly == 0)
            return $"{undecided}: were {Verb(Undecided, "it", "they")} vulnerable, {consequence}; allow more time per image to decide {Verb(Undecided, "it", "them")}";
        if (Undecided == 0)
            return string.Create(Invariant, $"{GridOnly} of the {Summary.Attacked} checked images {Verb(GridOnly, "was", "were")} searched only on the colour grid (RGB enumeration tries a few values per channel; finding no counterexample there is not a certificate): were {Verb(GridOnly, "it", "they")} vulnerable, {consequence}; only bounds prove an RGB image robust (the verification's note says why they were not used), or gate on an attack instead");
        return string.Create(Invariant, $"{undecided} and {GridOnly} {Verb(GridOnly, "was", "were")} searched only on the colour grid (not a certificate): were they vulnerable, {consequence}");
    }

    /// <summary>"2 undecided images", "1 grid-only image", "2 undecided and 1 grid-only images".</summary>
    private string OpenImages() =>
        Undecided > 0 && GridOnly > 0 ? $"{Undecided} undecided and {GridOnly} grid-only images"
        : Undecided > 0 ? $"{Undecided} undecided image{(Undecided == 1 ? "" : "s")}"
        : $"{GridOnly} grid-only image{(GridOnly == 1 ? "" : "s")}";

    /// <summary>Why nothing was attacked: no image classified correctly, or every correct one of the target class.</summary>
    private static string NothingAttackedReason(AttackSummary s, string examined) => s.Correct == 0
        ? string.Create(Invariant, $"nothing was {examined}: no image of the {s.Images} was classified correctly (clean accuracy 0 %), so no {(examined == "attacked" ? "success" : "vulnerable")} rate can be measured")
        : string.Create(Invariant, $"nothing was {examined}: the {s.Correct} correctly classified image{(s.Correct == 1 ? " is" : "s are")} of the target class, so no success rate can be measured");

    private static string Percent(double fraction) => fraction.ToString("P1", Invariant);
}
