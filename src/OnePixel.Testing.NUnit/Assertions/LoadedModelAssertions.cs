using FluentAssertions;
using FluentAssertions.Execution;
using FluentAssertions.Primitives;
using OnePixel.Testing.Attacks;
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
        string because = "",
        params object[] becauseArgs) =>
        ResistOnePixelAttacks(RobustnessCheck.From(budget, maxSuccessRate, pixels, targeted, target, seed), images, because, becauseArgs);

    /// <summary>As the other overload, with every attack setting given in <paramref name="options"/>.</summary>
    [CustomAssertion]
    public AndWhichConstraint<LoadedModelAssertions, AttackReport> ResistOnePixelAttacks(
        AttackOptions options,
        double maxSuccessRate = RobustnessGate.DefaultMaxSuccessRate,
        ImageSet? images = null,
        string because = "",
        params object[] becauseArgs) =>
        ResistOnePixelAttacks(RobustnessCheck.From(options, maxSuccessRate), images, because, becauseArgs);

    private AndWhichConstraint<LoadedModelAssertions, AttackReport> ResistOnePixelAttacks(RobustnessCheck check, ImageSet? images, string because, object[] becauseArgs)
    {
        var present = Execute.Assertion
            .BecauseOf(because, becauseArgs)
            .ForCondition(Subject is not null)
            .FailWith("Expected {context:model} to resist one-pixel attacks{reason}, but found <null>.");
        if (!present)
            return new AndWhichConstraint<LoadedModelAssertions, AttackReport>(this, (AttackReport)null!);

        var model = Subject!;
        images ??= ImageSetLoader.Load(
            model.Options.SampleImages
                ?? throw new OnePixelException($"{ModelSidecar.PathFor(model.Path)}: names no sampleImages, and no images were passed; expected a sidecar with \"sampleImages\" or the images argument."),
            model.Classifier.ClassNames);
        var report = RobustnessAssertion.Assert(model.Classifier, images, model.Identity, check, because, becauseArgs);
        return new AndWhichConstraint<LoadedModelAssertions, AttackReport>(this, report);
    }
}
