namespace OnePixel.Testing.Verification;

/// <summary>
/// A verification stopped by its cancellation token: what it had decided by then. Its message is
/// "cancelled after N of M images".
/// </summary>
public sealed class VerificationCancelledException(VerificationReport partial, int total, CancellationToken token)
    : RunCancelledException(partial.Images, total, token)
{
    /// <summary>
    /// The images verified to the end before the stop, in image order (each the verdict a whole run gives
    /// it), and the figures over them. Images cut short are left out.
    /// </summary>
    public VerificationReport Partial { get; } = partial;
}
