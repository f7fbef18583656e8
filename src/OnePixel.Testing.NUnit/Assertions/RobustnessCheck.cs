using OnePixel.Testing.Attacks;
using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;

namespace OnePixel.Testing.Assertions;

/// <summary>What a robustness assertion runs: the attack settings, the budget in force and the gate.</summary>
internal sealed record RobustnessCheck(AttackOptions Options, EffectiveBudget Budget, double MaxSuccessRate)
{
    /// <summary>
    /// Settings from an assertion's arguments. The named budget (default <see cref="AttackBudget.Default"/>)
    /// goes through <see cref="BudgetEnvironment"/>, so CI can make every test search less or more.
    /// </summary>
    public static RobustnessCheck From(AttackBudget? budget, double maxSuccessRate, int pixels, bool targeted, int? target, ulong seed)
    {
        RobustnessGate.ValidateMaximum(maxSuccessRate, "maxSuccessRate");
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
        return new RobustnessCheck(options, effective, maxSuccessRate);
    }

    /// <summary>Settings from a full <see cref="AttackOptions"/>; its budget still goes through <see cref="BudgetEnvironment"/>.</summary>
    public static RobustnessCheck From(AttackOptions options, double maxSuccessRate)
    {
        RobustnessGate.ValidateMaximum(maxSuccessRate, "maxSuccessRate");
        var effective = BudgetEnvironment.Apply(options.Budget);
        return new RobustnessCheck(options with { Budget = effective.Budget }, effective, maxSuccessRate);
    }

    public AttackReport Run(IImageClassifier classifier, ImageSet images, ModelIdentity? identity, IProgress<AttackProgress>? progress = null) =>
        new AttackRunner(classifier, Options).Run(images, progress, model: identity);

    public bool Holds(AttackReport report) => RobustnessGate.Holds(report.Summary, MaxSuccessRate);

    /// <summary>"..., but 14 of 92 ... were fooled: ...\nFooled images:\n  - ...\nReproduce with ...": the part after the expectation.</summary>
    public string Evidence(AttackReport report, int? imageCount = null) =>
        RobustnessMessage.Found(report) + "." + Environment.NewLine
        + RobustnessMessage.FooledHeading(report) + ":" + Environment.NewLine
        + RobustnessMessage.FooledList(report)
        + RobustnessMessage.Reproduce(report, Budget, MaxSuccessRate, imageCount);
}
