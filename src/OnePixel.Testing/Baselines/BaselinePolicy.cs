namespace OnePixel.Testing.Baselines;

/// <summary>When a fresh run counts as a regression against its baseline.</summary>
public sealed record BaselinePolicy
{
    /// <summary>The success rate may rise by at most this much (absolute, 0..1). Default 0: any rise fails.</summary>
    public double MaxSuccessRateIncrease { get; init; }

    /// <summary>Fail when an image that resisted in the baseline is now fooled. Default true.</summary>
    public bool FailOnNewlyFooledImages { get; init; } = true;

    public void Validate()
    {
        if (MaxSuccessRateIncrease is < 0 or > 1 || double.IsNaN(MaxSuccessRateIncrease))
            throw new OnePixelException($"max success-rate increase: expected a fraction 0..1, found {MaxSuccessRateIncrease}.");
    }
}
