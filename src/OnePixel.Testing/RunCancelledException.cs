namespace OnePixel.Testing;

/// <summary>
/// A run over an image set stopped by its cancellation token before every image was done: how far it
/// got. Its message is "cancelled after N of M images".
/// </summary>
public class RunCancelledException(int done, int total, CancellationToken token)
    : OperationCanceledException($"cancelled after {done} of {total} image{(total == 1 ? "" : "s")}", token)
{
    /// <summary>Images whose every attack (or verification) finished before the stop.</summary>
    public int Done { get; } = done;

    /// <summary>Images the run was to cover.</summary>
    public int Total { get; } = total;
}
