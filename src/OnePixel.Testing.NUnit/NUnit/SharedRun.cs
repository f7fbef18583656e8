namespace OnePixel.Testing.NUnit;

/// <summary>
/// A run a method's cases share (its attack, baseline comparison or verification): made by the first
/// case that asks, on its own thread (so its progress shows under that case) and with its cancellation;
/// the others wait for it, each with its own. The outcome, a failure or a stop included, is the same for
/// every case of the method; <see cref="Reset"/> forgets it, so the next run of the tests makes it again.
/// </summary>
internal sealed class SharedRun<T> where T : class
{
    private readonly Lock _lock = new();
    private Task<T>? _outcome;

    /// <summary>
    /// The outcome, made now by <paramref name="run"/> if no case made it yet. Waiting ends early, with an
    /// <see cref="OperationCanceledException"/>, when <paramref name="cancellation"/> is cancelled.
    /// </summary>
    public T Get(Func<CancellationToken, T> run, CancellationToken cancellation)
    {
        TaskCompletionSource<T>? mine = null;
        Task<T> outcome;
        lock (_lock)
        {
            if (_outcome is null)
            {
                mine = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
                _outcome = mine.Task;
            }
            outcome = _outcome;
        }
        if (mine is not null)
        {
            try
            {
                mine.SetResult(run(cancellation));
            }
            catch (Exception e)
            {
                mine.SetException(e);
            }
        }
        if (!outcome.IsCompleted)
        {
            try
            {
                outcome.Wait(cancellation); // an OperationCanceledException here: this case stopped waiting
            }
            catch (AggregateException)
            {
                // The run's own failure: rethrown below as it was thrown.
            }
        }
        return outcome.GetAwaiter().GetResult();
    }

    /// <summary>Forgets the outcome (at the end of the method's cases): the next run makes it again.</summary>
    public void Reset()
    {
        lock (_lock) _outcome = null;
    }
}
