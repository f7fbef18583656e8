using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;

namespace OnePixel.Testing.Attacks;

/// <summary>Builds the results every search returns, so they report alike.</summary>
internal static class SearchOutcome
{
    /// <summary>The result before any search, or null when it is worth attacking: an image already misclassified, or a target that is the true class.</summary>
    public static ImageAttackResult Start(LabeledImage image, ReadOnlySpan<float> clean, int? target)
    {
        var (predicted, confidence) = Probability.TopOne(clean);
        return new ImageAttackResult
        {
            Index = image.Index,
            Name = image.Name,
            Label = image.Label,
            Predicted = predicted,
            PredictedConfidence = confidence,
            Target = target,
            Attacked = false,
            Fooled = false,
            Queries = 1,
            StopReason = predicted != image.Label ? StopReason.AlreadyMisclassified
                : target == image.Label ? StopReason.TargetIsTrueClass
                : StopReason.BudgetExhausted,
        };
    }

    public static bool IsAttackable(ImageAttackResult start) =>
        start.StopReason is not (StopReason.AlreadyMisclassified or StopReason.TargetIsTrueClass);

    public static ImageAttackResult Fooled(ImageAttackResult start, IReadOnlyList<PixelChange> pixels, ReadOnlySpan<float> row, AttackGoal goal, int queries, int generations)
    {
        var (label, confidence) = Probability.TopOne(row);
        return start with
        {
            Attacked = true,
            Fooled = true,
            AdversarialLabel = label,
            AdversarialConfidence = confidence,
            Pixels = pixels,
            ClosestConfidence = goal.GoalProbability(row),
            Queries = queries,
            Generations = generations,
            StopReason = goal.Target is null ? StopReason.TopOneChanged : StopReason.TargetReached,
        };
    }

    public static ImageAttackResult Resisted(ImageAttackResult start, float closest, int queries, int generations, StopReason reason) => start with
    {
        Attacked = true,
        ClosestConfidence = closest,
        Queries = queries,
        Generations = generations,
        StopReason = reason,
    };
}
