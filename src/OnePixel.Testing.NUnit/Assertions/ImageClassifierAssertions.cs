using FluentAssertions;
using FluentAssertions.Execution;
using FluentAssertions.Primitives;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.Baselines;
using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;

namespace OnePixel.Testing.Assertions;

/// <summary>Assertions on any classifier (one made in code, or an ONNX model opened without its file's identity).</summary>
public sealed class ImageClassifierAssertions(IImageClassifier? subject) : ReferenceTypeAssertions<IImageClassifier?, ImageClassifierAssertions>(subject)
{
    protected override string Identifier => "classifier";

    /// <summary>
    /// Attacks <paramref name="images"/> and fails when more than <paramref name="maxSuccessRate"/> of the
    /// attacked images are fooled. A bare classifier has no sidecar, so the images are always given.
    /// The budget goes through <see cref="BudgetEnvironment"/> (ONEPIXEL_BUDGET_SCALE, ONEPIXEL_BUDGET).
    /// <paramref name="cancellation"/>, and under NUnit the test's [CancelAfter] and [Timeout] and a stop of
    /// the run, stop the attack within a generation and fail the assertion, saying how many images were done.
    /// </summary>
    [CustomAssertion]
    public AndWhichConstraint<ImageClassifierAssertions, AttackReport> ResistOnePixelAttacks(
        ImageSet images,
        AttackBudget? budget = null,
        double maxSuccessRate = RobustnessGate.DefaultMaxSuccessRate,
        int pixels = 1,
        bool targeted = false,
        int? target = null,
        ulong seed = AttackOptions.DefaultSeed,
        double? minAccuracy = null,
        CancellationToken cancellation = default,
        string because = "",
        params object[] becauseArgs) =>
        ResistOnePixelAttacks(images, RobustnessCheck.From(budget, maxSuccessRate, pixels, targeted, target, seed, minAccuracy), cancellation, because, becauseArgs);

    /// <summary>As the other overload, with every attack setting given in <paramref name="options"/>.</summary>
    [CustomAssertion]
    public AndWhichConstraint<ImageClassifierAssertions, AttackReport> ResistOnePixelAttacks(
        ImageSet images,
        AttackOptions options,
        double maxSuccessRate = RobustnessGate.DefaultMaxSuccessRate,
        double? minAccuracy = null,
        CancellationToken cancellation = default,
        string because = "",
        params object[] becauseArgs) =>
        ResistOnePixelAttacks(images, RobustnessCheck.From(options, maxSuccessRate, minAccuracy), cancellation, because, becauseArgs);

    /// <summary>
    /// Attacks <paramref name="images"/> with a baseline's settings and fails when the classifier is less
    /// robust than the baseline recorded (see <see cref="LoadedModelAssertions.NotRegressFrom(string, double, bool, AttackOptions?, ImageSet?, CancellationToken, string, object[])"/>).
    /// A classifier made in code is named in the baseline by its type and its assembly's sha256.
    /// </summary>
    [CustomAssertion]
    public AndWhichConstraint<ImageClassifierAssertions, BaselineComparison?> NotRegressFrom(
        string baselinePath,
        ImageSet images,
        double maxSuccessRateIncrease = 0,
        bool failOnNewlyFooledImages = true,
        AttackOptions? options = null,
        CancellationToken cancellation = default,
        string because = "",
        params object[] becauseArgs) =>
        NotRegressFrom(baselinePath, images, new BaselinePolicy { MaxSuccessRateIncrease = maxSuccessRateIncrease, FailOnNewlyFooledImages = failOnNewlyFooledImages }, options, cancellation, because, becauseArgs);

    /// <summary>As the other overload, with the tolerance given as a <see cref="BaselinePolicy"/>.</summary>
    [CustomAssertion]
    public AndWhichConstraint<ImageClassifierAssertions, BaselineComparison?> NotRegressFrom(
        string baselinePath,
        ImageSet images,
        BaselinePolicy policy,
        AttackOptions? options = null,
        CancellationToken cancellation = default,
        string because = "",
        params object[] becauseArgs)
    {
        ArgumentNullException.ThrowIfNull(baselinePath);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(policy);
        policy.Validate();
        var present = Execute.Assertion
            .BecauseOf(because, becauseArgs)
            .ForCondition(Subject is not null)
            .FailWith("Expected {context:classifier} not to regress from its one-pixel robustness baseline{reason}, but found <null>.");
        if (!present)
            return new AndWhichConstraint<ImageClassifierAssertions, BaselineComparison?>(this, (BaselineComparison?)null);

        var identity = IdentityOf(Subject!);
        var result = BaselineAssertion.Assert(Subject!, images, identity, new BaselineCheck(Path.GetFullPath(baselinePath), policy, options), because, becauseArgs, cancellation);
        return new AndWhichConstraint<ImageClassifierAssertions, BaselineComparison?>(this, result?.Comparison);
    }

    private AndWhichConstraint<ImageClassifierAssertions, AttackReport> ResistOnePixelAttacks(ImageSet images, RobustnessCheck check, CancellationToken cancellation, string because, object[] becauseArgs)
    {
        ArgumentNullException.ThrowIfNull(images);
        var present = Execute.Assertion
            .BecauseOf(because, becauseArgs)
            .ForCondition(Subject is not null)
            .FailWith("Expected {context:classifier} to resist one-pixel attacks{reason}, but found <null>.");
        if (!present)
            return new AndWhichConstraint<ImageClassifierAssertions, AttackReport>(this, (AttackReport)null!);

        var identity = IdentityOf(Subject!);
        var report = RobustnessAssertion.Assert(Subject!, images, identity, check, because, becauseArgs, cancellation);
        return new AndWhichConstraint<ImageClassifierAssertions, AttackReport>(this, report);
    }

    /// <summary>The model file behind the classifier, whatever backend opened it; null for one made in code.</summary>
    private static ModelIdentity? IdentityOf(IImageClassifier classifier) =>
        classifier is IModelClassifier model ? new ModelIdentity(model.Path, LoadedModel.Sha256Of(model.Path)) { Preprocessing = model.Preprocessing } : null;
}
