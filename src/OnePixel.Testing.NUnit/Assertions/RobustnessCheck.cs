using OnePixel.Testing.Attacks;
using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;

namespace OnePixel.Testing.Assertions;

/// <summary>What a robustness assertion runs: the attack settings, the budget in force and the gate.</summary>
internal sealed record RobustnessCheck(AttackOptions Options, EffectiveBudget Budget, double MaxSuccessRate, double? MinAccuracy = null)
{
    /// <summary>
    /// Settings from an assertion's arguments. The named budget (default <see cref="AttackBudget.Default"/>)
    /// goes through <see cref="BudgetEnvironment"/>, so CI can make every test search less or more.
    /// </summary>
    public static RobustnessCheck From(AttackBudget? budget, double maxSuccessRate, int pixels, bool targeted, int? target, ulong seed, double? minAccuracy = null)
    {
        RobustnessGate.ValidateMaximum(maxSuccessRate, "maxSuccessRate");
        RobustnessGate.ValidateMinimum(minAccuracy, "minAccuracy");
        if (targeted && target is not null)
            throw new OnePixelException($"targeted: attacks every other class in turn; leave out target ({target}), or targeted to attack one class.");
        var effective = BudgetEnvironment.Apply(budget ?? AttackBudget.Default);
        var options = new AttackOptions
        {
            Budget = effective.Budget,
            Pixels = pixels,
            Seed = seed,
            Mode = targeted ? AttackMode.EveryTarget : target is not null ? AttackMode.Targeted : AttackMode.Untargeted,
            Target = target,
        };
        return new RobustnessCheck(options, effective, maxSuccessRate, minAccuracy);
    }

    /// <summary>Settings from a full <see cref="AttackOptions"/>; its budget still goes through <see cref="BudgetEnvironment"/>.</summary>
    public static RobustnessCheck From(AttackOptions options, double maxSuccessRate, double? minAccuracy = null)
    {
        RobustnessGate.ValidateMaximum(maxSuccessRate, "maxSuccessRate");
        RobustnessGate.ValidateMinimum(minAccuracy, "minAccuracy");
        var effective = BudgetEnvironment.Apply(options.Budget);
        return new RobustnessCheck(options with { Budget = effective.Budget }, effective, maxSuccessRate, minAccuracy);
    }

    public AttackReport Run(IImageClassifier classifier, IImageSource images, ModelIdentity? identity, IProgress<AttackProgress>? progress = null, CancellationToken cancellation = default) =>
        new AttackRunner(classifier, Options).Run(images, progress, cancellation, identity);

    public GateVerdict Verdict(AttackReport report) => RobustnessGate.Judge(report.Summary, MaxSuccessRate, MinAccuracy);

    public bool Holds(AttackReport report) => Verdict(report).Holds;

    /// <summary>
    /// "resist one-pixel attacks with a success rate of at most 10.0 %" (", and a clean accuracy of at least 80.0 %"):
    /// the expectation a failure message opens with.
    /// </summary>
    public string Expectation() =>
        "resist one-pixel attacks with a success rate of at most " + RobustnessMessage.Percent(MaxSuccessRate)
        + (MinAccuracy is { } floor ? " and a clean accuracy of at least " + RobustnessMessage.Percent(floor) : "");

    /// <summary>"..., but 14 of 92 ... were fooled: ...\nFooled images:\n  - ...\nReproduce with ...": the part after the expectation.</summary>
    public string Evidence(AttackReport report)
    {
        var verdict = Verdict(report);
        var s = report.Summary;
        var text = new System.Text.StringBuilder();
        // What failed first (nothing attacked, the accuracy floor), then what was found.
        var others = verdict.Failures.Where(f => f != GateFailure.SuccessRateAboveMaximum).Select(verdict.Reason).ToList();
        if (others.Count > 0) text.Append(string.Join("; ", others)).Append(". ");
        text.Append(RobustnessMessage.Found(report)).Append('.').AppendLine();
        text.AppendLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"Clean accuracy {RobustnessMessage.Percent(s.Accuracy)}: {s.Correct} of {s.Images} images classified correctly, {s.Misclassified} misclassified (not attacked)."));
        if (s.Fooled > 0)
            text.Append(RobustnessMessage.FooledHeading(report)).Append(':').AppendLine().Append(RobustnessMessage.FooledList(report));
        return text.Append(RobustnessMessage.Reproduce(report, Budget, MaxSuccessRate, MinAccuracy)).ToString();
    }
}
