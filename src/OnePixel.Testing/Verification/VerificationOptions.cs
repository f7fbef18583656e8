namespace OnePixel.Testing.Verification;

/// <summary>Settings of a one-pixel verification.</summary>
public sealed record VerificationOptions
{
    /// <summary>Bounds where supported (default), bounds only, or enumeration.</summary>
    public VerificationMethod Method { get; init; } = VerificationMethod.Auto;

    /// <summary>
    /// Time limit per image, for bounds and enumeration alike: an image not decided by then is reported
    /// undecided (not exact) rather than holding the run. Default none: every image is decided.
    /// </summary>
    public double? MaxSeconds { get; init; }

    /// <summary>
    /// A colour box is certified only when the lower bound of every margin (true class's score minus
    /// another's, before any softmax) exceeds this, in score units: room for ONNX Runtime's float32
    /// arithmetic, which the network's forward pass matches to 1e-4 (checked before any certificate).
    /// </summary>
    public double Tolerance { get; init; } = DefaultTolerance;

    public const double DefaultTolerance = 1e-3;

    /// <summary>A box holding at most this many colours is decided by scoring each of them instead of being split further (bounds only).</summary>
    public int EnumerateAtMost { get; init; } = 32;

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

    /// <summary>
    /// Threads that work on one image's bounds together (bounds only: they bound different colour boxes
    /// at once, the parts of a box cut up or a batch of pixels' whole colour cubes). Default: what the images under way leave over of
    /// <see cref="Threads"/>, so one image alone gets them all and a set larger than <see cref="Threads"/>
    /// one each. Results do not depend on it.
    /// </summary>
    public int? ThreadsPerImage { get; init; }
}
