using FluentAssertions;
using FluentAssertions.Execution;
using FluentAssertions.Primitives;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.Baselines;
using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;

namespace OnePixel.Testing.Assertions;

/// <summary>Assertions on a model opened from a file, whose sidecar can name its sample images.</summary>
public sealed class LoadedModelAssertions(LoadedModel? subject) : ReferenceTypeAssertions<LoadedModel?, LoadedModelAssertions>(subject)
{
    protected override string Identifier => "model";

    /// <summary>
    /// Attacks the model's sample images (<paramref name="images"/>, or the sidecar's <c>sampleImages</c>)
    /// and fails when more than <paramref name="maxSuccessRate"/> of the attacked images are fooled.
    /// The budget goes through <see cref="BudgetEnvironment"/> (ONEPIXEL_BUDGET_SCALE, ONEPIXEL_BUDGET).
    /// </summary>
    /// <param name="budget">Queries per image; default <see cref="AttackBudget.Default"/>.</param>
    /// <param name="maxSuccessRate">The largest fraction of attacked images that may be fooled.</param>
    /// <param name="pixels">Pixels changed per candidate.</param>
    /// <param name="targeted">Attack every other class in turn (the paper's targeted setting).</param>
    /// <param name="target">Attack towards this one class.</param>
    /// <param name="seed">Fixes the whole search.</param>
    /// <param name="images">The images to attack; default: the sidecar's sample images.</param>
    /// <param name="minAccuracy">Also fail when clean accuracy (images classified correctly / images) is below this fraction. A run that attacks nothing (no image classified correctly) fails whatever this says.</param>
    /// <param name="cancellation">
    /// Stops the attack (within a generation); the assertion then fails, saying how many images were done.
    /// Under NUnit, the test's [CancelAfter] and [Timeout] and a stop of the run stop it too.
    /// </param>
    /// <param name="because">Why the model must resist, as a phrase that reads after "because".</param>
    /// <param name="becauseArgs">Values formatted into <paramref name="because"/>.</param>
    [CustomAssertion]
    public AndWhichConstraint<LoadedModelAssertions, AttackReport> ResistOnePixelAttacks(
        AttackBudget? budget = null,
        double maxSuccessRate = RobustnessGate.DefaultMaxSuccessRate,
        int pixels = 1,
        bool targeted = false,
        int? target = null,
        ulong seed = AttackOptions.DefaultSeed,
        ImageSet? images = null,
        double? minAccuracy = null,
        CancellationToken cancellation = default,
        string because = "",
        params object[] becauseArgs) =>
        ResistOnePixelAttacks(RobustnessCheck.From(budget, maxSuccessRate, pixels, targeted, target, seed, minAccuracy), images, cancellation, because, becauseArgs);

    /// <summary>As the other overload, with every attack setting given in <paramref name="options"/>.</summary>
    [CustomAssertion]
    public AndWhichConstraint<LoadedModelAssertions, AttackReport> ResistOnePixelAttacks(
        AttackOptions options,
        double maxSuccessRate = RobustnessGate.DefaultMaxSuccessRate,
        ImageSet? images = null,
        double? minAccuracy = null,
        CancellationToken cancellation = default,
        string because = "",
        params object[] becauseArgs) =>
        ResistOnePixelAttacks(RobustnessCheck.From(options, maxSuccessRate, minAccuracy), images, cancellation, because, becauseArgs);

    /// <summary>
    /// Attacks the model's sample images with a baseline's settings and fails when it is less robust than
    /// the baseline recorded: the success rate rose by more than <paramref name="maxSuccessRateIncrease"/>, or
    /// (when <paramref name="failOnNewlyFooledImages"/>) an image that resisted is fooled now. The message
    /// names the newly fooled images and the improved ones. A baseline made on other images, with other
    /// settings or by another engine version is refused with the reason and how to refresh it, and a
    /// missing one fails saying how to make it. With ONEPIXEL_UPDATE_BASELINES=1 the baseline is written
    /// instead (atomically) and the assertion passes; nothing else ever writes it.
    /// </summary>
    /// <param name="baselinePath">The baseline file (JSON); a relative path is taken from the current directory.</param>
    /// <param name="maxSuccessRateIncrease">The allowed rise of the success rate, a fraction (0.02 = 2 points).</param>
    /// <param name="failOnNewlyFooledImages">Fail when an image that resisted in the baseline is fooled now.</param>
    /// <param name="options">
    /// The attack settings; default: the baseline's own. Given, they must match the baseline's, and they are
    /// what an update writes (default then the existing baseline's, or <see cref="AttackOptions"/>' defaults).
    /// Never scaled by ONEPIXEL_BUDGET_SCALE: a scaled run could not be compared with the baseline.
    /// </param>
    /// <param name="images">The images to attack; default: the sidecar's sample images.</param>
    /// <param name="cancellation">Stops the attack, failing the assertion (see <see cref="ResistOnePixelAttacks(AttackBudget?, double, int, bool, int?, ulong, ImageSet?, double?, CancellationToken, string, object[])"/>).</param>
    /// <param name="because">Why the model must not regress, as a phrase that reads after "because".</param>
    /// <param name="becauseArgs">Values formatted into <paramref name="because"/>.</param>
    /// <returns>The comparison (null when the baseline was written or is missing).</returns>
    [CustomAssertion]
    public AndWhichConstraint<LoadedModelAssertions, BaselineComparison?> NotRegressFrom(
        string baselinePath,
        double maxSuccessRateIncrease = 0,
        bool failOnNewlyFooledImages = true,
        AttackOptions? options = null,
        ImageSet? images = null,
        CancellationToken cancellation = default,
        string because = "",
        params object[] becauseArgs) =>
        NotRegressFrom(baselinePath, new BaselinePolicy { MaxSuccessRateIncrease = maxSuccessRateIncrease, FailOnNewlyFooledImages = failOnNewlyFooledImages }, options, images, cancellation, because, becauseArgs);

    /// <summary>As the other overload, with the tolerance given as a <see cref="BaselinePolicy"/>.</summary>
    [CustomAssertion]
    public AndWhichConstraint<LoadedModelAssertions, BaselineComparison?> NotRegressFrom(
        string baselinePath,
        BaselinePolicy policy,
        AttackOptions? options = null,
        ImageSet? images = null,
        CancellationToken cancellation = default,
        string because = "",
        params object[] becauseArgs)
    {
        ArgumentNullException.ThrowIfNull(baselinePath);
        ArgumentNullException.ThrowIfNull(policy);
        policy.Validate();
        var present = Execute.Assertion
            .BecauseOf(because, becauseArgs)
            .ForCondition(Subject is not null)
            .FailWith("Expected {context:model} not to regress from its one-pixel robustness baseline{reason}, but found <null>.");
        if (!present)
            return new AndWhichConstraint<LoadedModelAssertions, BaselineComparison?>(this, (BaselineComparison?)null);

        var model = Subject!;
        images ??= SampleImages(model);
        var result = BaselineAssertion.Assert(model.Classifier, images, model.Identity, new BaselineCheck(Path.GetFullPath(baselinePath), policy, options), because, becauseArgs, cancellation);
        return new AndWhichConstraint<LoadedModelAssertions, BaselineComparison?>(this, result?.Comparison);
    }

    private static ImageSet SampleImages(LoadedModel model) =>
        ImageSetLoader.Load(
            model.Options.SampleImages
                ?? throw new OnePixelException($"{ModelSidecar.NoSampleImages(model.Path)}, and no images were passed; expected a sidecar with \"sampleImages\" or the images argument."),
            model.Classifier.ClassNames);

    private AndWhichConstraint<LoadedModelAssertions, AttackReport> ResistOnePixelAttacks(RobustnessCheck check, ImageSet? images, CancellationToken cancellation, string because, object[] becauseArgs)
    {
        var present = Execute.Assertion
            .BecauseOf(because, becauseArgs)
            .ForCondition(Subject is not null)
            .FailWith("Expected {context:model} to resist one-pixel attacks{reason}, but found <null>.");
        if (!present)
            return new AndWhichConstraint<LoadedModelAssertions, AttackReport>(this, (AttackReport)null!);

        var model = Subject!;
        images ??= SampleImages(model);
        var report = RobustnessAssertion.Assert(model.Classifier, images, model.Identity, check, because, becauseArgs, cancellation);
        return new AndWhichConstraint<LoadedModelAssertions, AttackReport>(this, report);
    }
}
