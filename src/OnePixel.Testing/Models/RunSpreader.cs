using System.Buffers;
using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace OnePixel.Testing.Models;

/// <summary>Scores images <paramref name="start"/>..start+count of <paramref name="images"/> into their rows of <paramref name="probabilities"/> (one model run).</summary>
internal delegate void RunScorer(ReadOnlySpan<byte> images, int start, int count, Span<float> probabilities);

/// <summary>
/// Spreads the model runs of one call over processors that no caller is using (the last images of an
/// attack, a lone caller): the same runs either way, so the same results, only sooner. A processor is
/// in use while a call is under way on it, and for a short window after (a caller between two calls).
/// Callers are counted over the whole process, every model included: two models attacked at once (two
/// parallel test fixtures) see each other's callers, so neither spreads onto the other's processors.
/// </summary>
internal sealed class RunSpreader(int limit)
{
    private static int _callers; // calls under way now, in the whole process

    // When each thread last called any model (a slot per thread id, modulo the array). A caller between two calls
    // (its search choosing the next generation, its next image being read: well under RecentCallWindow)
    // still owns its processor: spreading runs onto it then would oversubscribe the cores (measured: an
    // attack of 100 images on 2 workers 10-15% slower, and a Parallel.For allocated per call). Two
    // threads sharing a slot only make spreading likelier; results never depend on it.
    private static readonly long[] _lastCall = new long[64];
    private long _recentCallTicks = Stopwatch.Frequency / 50; // 20 ms
    private long _spreadCalls;

    /// <summary>Runs all calls together may have under way: the processors, over the intra-op threads of each run; tests lower it to compare with runs one after another.</summary>
    public int Limit { get; set; } = limit;

    /// <summary>How long a caller keeps its processor after a call; tests lengthen or shorten it.</summary>
    public TimeSpan RecentCallWindow
    {
        get => TimeSpan.FromSeconds(_recentCallTicks / (double)Stopwatch.Frequency);
        set => _recentCallTicks = (long)(value.TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary>Forgets when every thread last called (tests that lengthen the window start from a process where nobody called).</summary>
    internal static void ForgetRecentCallers() => Array.Clear(_lastCall);

    /// <summary>Calls whose runs were spread over other processors (for tests).</summary>
    public long SpreadCalls => Interlocked.Read(ref _spreadCalls);

    /// <summary>
    /// A call of <paramref name="runs"/> runs begins: the threads it may use, its own included (below 2:
    /// it runs on its own thread). Others are the calls under way (one may have begun longer ago than the
    /// window) or recent callers. Every <see cref="Begin"/> is followed by an <see cref="End"/>.
    /// </summary>
    public int Begin(int runs)
    {
        var callers = Interlocked.Increment(ref _callers);
        return Math.Min(runs, Limit - Math.Max(callers - 1, OtherRecentCallers()));
    }

    public void End() => Interlocked.Decrement(ref _callers);

    /// <summary>Records this thread's call and counts the other threads that called within <see cref="RecentCallWindow"/>.</summary>
    private int OtherRecentCallers() => OtherRecentCallers(Environment.CurrentManagedThreadId, Stopwatch.GetTimestamp());

    /// <summary>Records <paramref name="caller"/>'s call at <paramref name="now"/> (Stopwatch ticks) and counts the other callers within the window (tests name the callers and the times).</summary>
    internal int OtherRecentCallers(int caller, long now)
    {
        var own = caller & (_lastCall.Length - 1);
        Volatile.Write(ref _lastCall[own], now);
        var others = 0;
        for (var slot = 0; slot < _lastCall.Length; slot++)
        {
            var last = Volatile.Read(ref _lastCall[slot]);
            if (slot != own && last != 0 && now - last < _recentCallTicks) others++;
        }
        return others;
    }

    /// <summary>
    /// The call's <paramref name="runs"/> runs of <paramref name="chunk"/> images spread over
    /// <paramref name="threads"/> threads (this one included), through pooled copies of its images and
    /// scores (a span cannot cross threads).
    /// </summary>
    public void Spread(ReadOnlySpan<byte> images, int count, int imageLength, int classCount, int chunk, int runs, int threads, Span<float> probabilities, RunScorer scoreRun)
    {
        Interlocked.Increment(ref _spreadCalls);
        var imageCopy = ArrayPool<byte>.Shared.Rent(images.Length);
        var scores = ArrayPool<float>.Shared.Rent(count * classCount);
        try
        {
            images.CopyTo(imageCopy);
            Parallel.For(0, runs, new ParallelOptions { MaxDegreeOfParallelism = threads }, run =>
            {
                var start = run * chunk;
                scoreRun(imageCopy.AsSpan(0, count * imageLength), start, Math.Min(chunk, count - start), scores);
            });
            scores.AsSpan(0, count * classCount).CopyTo(probabilities);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(imageCopy);
            ArrayPool<float>.Shared.Return(scores);
        }
    }
}
