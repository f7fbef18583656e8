namespace OnePixel.Testing.Baselines;

/// <summary>When a fresh run counts as a regression against its baseline.</summary>
public sealed record BaselinePolicy
{
    /// <summary>The success rate may rise by at most this much (absolute, 0..1). Default 0: any rise fails.</summary>
    public double MaxSuccessRateIncrease { get; init; }

    /// <summary>
    /// A significance level (such as 0.05) for the success-rate rule: a rise beyond <see cref="MaxSuccessRateIncrease"/>
    /// fails only when it is also significant, that is when more images became fooled than stopped being fooled and
    /// McNemar's exact two-sided p-value on those discordant images is below this level (see <see cref="Statistics.PairedChange"/>).
    /// Null (the default): any rise beyond the allowed increase fails, however few images moved.
    /// With a level, newly fooled images no longer fail on their own (see <see cref="FailOnNewlyFooledImages"/>).
    /// </summary>
    public double? Significance { get; init; }

    /// <summary>
    /// Fail when an image that resisted in the baseline is now fooled. Default: true, unless
    /// <see cref="Significance"/> is set: then the paired test judges the newly fooled images together, and one
    /// image that flipped (sampling noise, as far as the test can tell) fails only when this is set to true explicitly.
    /// </summary>
    public bool FailOnNewlyFooledImages
    {
        get => _failOnNewlyFooledImages ?? Significance is null;
        init => _failOnNewlyFooledImages = value;
    }

    private readonly bool? _failOnNewlyFooledImages;

    /// <summary>
    /// Fail when an image the baseline's model classified correctly (resisted or fooled) is misclassified
    /// now. Default true: a model that gets images wrong drops them from the success rate's denominator,
    /// so without this a broken model would read as more robust.
    /// </summary>
    public bool FailOnNewlyMisclassifiedImages { get; init; } = true;

    /// <summary>Fail when the current run's clean accuracy (correct / images) is below this fraction; null: no floor.</summary>
    public double? MinAccuracy { get; init; }

    /// <summary>
    /// Compare even when the model is fed differently than the baseline's (another input name, layout,
    /// scale, mean, std, output kind or backend), as for a new version exported with other preprocessing.
    /// Default false: a baseline made with other preprocessing is refused, naming each field that differs.
    /// </summary>
    public bool AllowPreprocessingChanges { get; init; }

    public void Validate()
    {
        if (MaxSuccessRateIncrease is < 0 or > 1 || double.IsNaN(MaxSuccessRateIncrease))
            throw new OnePixelException($"max success-rate increase: expected a fraction 0..1, found {MaxSuccessRateIncrease}.");
        Attacks.RobustnessGate.ValidateMinimum(MinAccuracy, "min accuracy");
        Statistics.PairedChange.ValidateLevel(Significance, "significance");
    }
}
