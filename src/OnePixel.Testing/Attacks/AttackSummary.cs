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

    /// <summary>Images the model classified correctly before any attack.</summary>
    public int Correct => Images - Misclassified;

    /// <summary>
    /// Clean accuracy: correct / images. Part of every verdict, because a model that gets every image
    /// wrong has nothing to attack: its success rate alone would read as perfectly robust.
    /// </summary>
    public double Accuracy => Images == 0 ? 0 : (double)Correct / Images;

    /// <summary>fooled / attacked; 0 when nothing was attacked (and then no gate holds: see <see cref="RobustnessGate"/>).</summary>
    public double SuccessRate => Attacked == 0 ? 0 : (double)Fooled / Attacked;

    /// <summary>The 95% Wilson interval of the success rate.</summary>
    public WilsonInterval SuccessRateInterval => WilsonInterval.For(Fooled, Attacked);

    /// <summary>Model queries spent over all images; the unchanged image's query counts once per image, whatever the number of targets.</summary>
    public required long Queries { get; init; }

    public required double Seconds { get; init; }

    public static AttackSummary From(IReadOnlyList<ImageAttackResult> results, int images, double seconds) => new()
    {
        Images = images,
        Attacked = results.Count(r => r.Attacked),
        Fooled = results.Count(r => r.Fooled),
        Misclassified = results.Where(r => r.StopReason == StopReason.AlreadyMisclassified).Select(r => r.Index).Distinct().Count(),
        Queries = QueriesOf(results),
        Seconds = seconds,
    };

    /// <summary>
    /// The queries of <paramref name="results"/>: each result counts the unchanged image's query (its
    /// own budget includes it), but an image attacked towards several targets is scored unchanged once.
    /// </summary>
    public static long QueriesOf(IReadOnlyList<ImageAttackResult> results)
    {
        var perResult = results.Sum(r => (long)r.Queries);
        var images = results.Select(r => r.Index).Distinct().Count();
        return perResult - (results.Count - images);
    }
}
