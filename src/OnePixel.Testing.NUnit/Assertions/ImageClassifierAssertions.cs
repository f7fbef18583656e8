using FluentAssertions;
using FluentAssertions.Execution;
using FluentAssertions.Primitives;
using OnePixel.Testing.Attacks;
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
        string because = "",
        params object[] becauseArgs) =>
        ResistOnePixelAttacks(images, RobustnessCheck.From(budget, maxSuccessRate, pixels, targeted, target, seed), because, becauseArgs);

    /// <summary>As the other overload, with every attack setting given in <paramref name="options"/>.</summary>
    [CustomAssertion]
    public AndWhichConstraint<ImageClassifierAssertions, AttackReport> ResistOnePixelAttacks(
        ImageSet images,
        AttackOptions options,
        double maxSuccessRate = RobustnessGate.DefaultMaxSuccessRate,
        string because = "",
        params object[] becauseArgs) =>
        ResistOnePixelAttacks(images, RobustnessCheck.From(options, maxSuccessRate), because, becauseArgs);

    private AndWhichConstraint<ImageClassifierAssertions, AttackReport> ResistOnePixelAttacks(ImageSet images, RobustnessCheck check, string because, object[] becauseArgs)
    {
        ArgumentNullException.ThrowIfNull(images);
        var present = Execute.Assertion
            .BecauseOf(because, becauseArgs)
            .ForCondition(Subject is not null)
            .FailWith("Expected {context:classifier} to resist one-pixel attacks{reason}, but found <null>.");
        if (!present)
            return new AndWhichConstraint<ImageClassifierAssertions, AttackReport>(this, (AttackReport)null!);

        var identity = Subject is OnnxClassifier onnx ? new ModelIdentity(onnx.Path, LoadedModel.Sha256Of(onnx.Path)) : null;
        var report = RobustnessAssertion.Assert(Subject!, images, identity, check, because, becauseArgs);
        return new AndWhichConstraint<ImageClassifierAssertions, AttackReport>(this, report);
    }
}
