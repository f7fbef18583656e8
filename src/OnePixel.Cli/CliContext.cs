namespace OnePixel.Cli;

/// <summary>
/// Where a command writes: results to Output, messages and progress to Error. Interactive says
/// whether Error is a terminal (progress redrawn in place) rather than a log.
/// </summary>
public sealed record CliContext(TextWriter Output, TextWriter Error, bool Interactive)
{
    /// <summary>Cancelled by Ctrl+C: attacks and verifications stop, and the command exits with <see cref="ExitCodes.Interrupted"/>.</summary>
    public CancellationToken Cancellation { get; init; }
}
