namespace OnePixel.Testing.Attacks;

/// <summary>An attack run stopped by its cancellation token, with what it found before the stop.</summary>
public sealed class AttackCancelledException(AttackReport partial, int total, CancellationToken token)
    : RunCancelledException(partial.Summary.Images, total, token)
{
    /// <summary>
    /// The images attacked to the end before the stop: their results (the same as a whole run gives
    /// them: each image's search depends only on the seed and its name) and the summary over them.
    /// Images cut short are left out.
    /// </summary>
    public AttackReport Partial { get; } = partial;
}
