namespace OnePixel.Testing.Verification;

/// <summary>Settings of an exhaustive one-pixel verification.</summary>
public sealed record VerificationOptions
{
    /// <summary>Stop at the first counterexample (the verdict is all that is needed). When false, count every fooling candidate.</summary>
    public bool StopAtFirst { get; init; } = true;

    /// <summary>
    /// Values tried per channel on RGB images, where all 16.7 million colours per pixel are too many:
    /// the cube's corners and centre lines. Such a result is reported as not exact.
    /// </summary>
    public IReadOnlyList<byte> RgbGrid { get; init; } = [0, 128, 255];

    /// <summary>Extra colours to try on RGB images, such as the values a search found.</summary>
    public IReadOnlyList<byte[]> ExtraColours { get; init; } = [];

    /// <summary>Candidates scored per model call.</summary>
    public int BatchSize { get; init; } = 512;

    /// <summary>Images verified at once; default one per processor. Results do not depend on it.</summary>
    public int? Threads { get; init; }
}
