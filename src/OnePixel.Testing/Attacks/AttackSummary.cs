using OnePixel.Testing.Statistics;

namespace OnePixel.Testing.Attacks;

/// <summary>The headline figures of a run.</summary>
public sealed record AttackSummary
{
    /// <summary>Images in the run.</summary>
    public required int Images { get; init; }

    /// <summary>Attacks made: correctly classified images (times targets, in targeted mode).</summary>
    public required int Attacked { get; init; }

    public required int Fooled { get; init; }

    /// <summary>Images the model already got wrong, so not attacked.</summary>
    public required int Misclassified { get; init; }

    /// <summary>fooled / attacked; 0 when nothing was attacked.</summary>
    public double SuccessRate => Attacked == 0 ? 0 : (double)Fooled / Attacked;

    /// <summary>The 95% Wilson interval of the success rate.</summary>
    public WilsonInterval SuccessRateInterval => WilsonInterval.For(Fooled, Attacked);

    /// <summary>Model queries spent over all images.</summary>
    public required long Queries { get; init; }

    public required double Seconds { get; init; }

    public static AttackSummary From(IReadOnlyList<ImageAttackResult> results, int images, double seconds) => new()
    {
        Images = images,
        Attacked = results.Count(r => r.Attacked),
        Fooled = results.Count(r => r.Fooled),
        Misclassified = results.Where(r => r.StopReason == StopReason.AlreadyMisclassified).Select(r => r.Index).Distinct().Count(),
        Queries = results.Sum(r => (long)r.Queries),
        Seconds = seconds,
    };
}
