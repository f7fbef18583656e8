using System.Globalization;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;

namespace OnePixel.Testing.NUnit;

/// <summary>
/// When a robustness case must stop: its [CancelAfter] token (NUnit's
/// TestContext.CurrentContext.CancellationToken), its [Timeout] (NUnit abandons such a test without a
/// token, so the plugin keeps its own deadline and the attack does not run on unseen), or a stop of the
/// whole run (an IDE's Stop button, dotnet test's blame-hang timeout, --stoponerror), which NUnit signals
/// only through the context's status and is polled here.
/// </summary>
internal sealed class CaseCancellation : IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    private readonly TestExecutionContext _context;
    private readonly CancellationTokenSource _source;
    private readonly Timer _poll;
    private readonly int _timeout;
    private volatile string? _reason;

    private CaseCancellation(TestExecutionContext context, CancellationToken given)
    {
        _context = context;
        _source = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, given);
        _timeout = context.TestCaseTimeout;
        if (given.CanBeCanceled)
            given.Register(() => _reason ??= "Cancelled by the token given to the assertion");
        if (context.CancellationToken.CanBeCanceled)
            context.CancellationToken.Register(() => _reason ??= string.Create(CultureInfo.InvariantCulture, $"Test exceeded CancelAfter value of {_timeout} ms"));
        else if (_timeout > 0)
            _source.Token.Register(() => _reason ??= string.Create(CultureInfo.InvariantCulture, $"Test exceeded Timeout value of {_timeout} ms"));
        if (!context.CancellationToken.CanBeCanceled && _timeout > 0)
            _source.CancelAfter(_timeout);
        _poll = new Timer(_ => Poll(), null, PollInterval, PollInterval);
    }

    /// <param name="context">The test's context: its CancelAfter token, Timeout and the run's status.</param>
    /// <param name="given">A token of the caller's own (an assertion's argument), watched as well.</param>
    public static CaseCancellation For(TestExecutionContext context, CancellationToken given = default) => new(context, given);

    /// <summary>Cancelled when the case must stop.</summary>
    public CancellationToken Token => _source.Token;

    private void Poll()
    {
        if (_context.ExecutionStatus == TestExecutionStatus.Running) return;
        _reason ??= "The test run was stopped";
        try { _source.Cancel(); } catch (ObjectDisposedException) { }
    }

    /// <summary>
    /// The case's outcome for a stop: <paramref name="what"/> ("the attack ... was cancelled after N of M
    /// images") after the reason. A time limit fails the case, as NUnit's own timeouts do; a stopped run cancels it.
    /// </summary>
    public CaseCancelledException Stopped(string what, Exception? inner = null)
    {
        var reason = _reason ?? "Cancelled";
        var state = reason.StartsWith("Test exceeded", StringComparison.Ordinal) ? ResultState.Failure : ResultState.Cancelled;
        return new CaseCancelledException(state, $"{reason}: {what}", inner, Token);
    }

    public void Dispose()
    {
        _poll.Dispose();
        _source.Dispose();
    }
}

/// <summary>A robustness case (or the run it shared) stopped by a time limit or the stop of the test run: the result state and message its cases get.</summary>
internal sealed class CaseCancelledException(ResultState state, string message, Exception? inner, CancellationToken token)
    : OperationCanceledException(message, inner, token)
{
    public ResultState State { get; } = state;
}
