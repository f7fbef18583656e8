using System.Diagnostics;
using OnePixel.Testing.Attacks;

namespace OnePixel.Cli;

/// <summary>A progress line on standard error, redrawn at most a few times a second so CI logs stay short.</summary>
public sealed class ConsoleProgress(TextWriter error) : IProgress<AttackProgress>
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _gate = new();
    private long _lastDrawn = -1000;

    public void Report(AttackProgress value)
    {
        lock (_gate)
        {
            if (value.Done < value.Total && _clock.ElapsedMilliseconds - _lastDrawn < 500) return;
            _lastDrawn = _clock.ElapsedMilliseconds;
            error.Write($"\rattacking {value.Done}/{value.Total}, fooled {value.Fooled}, {_clock.Elapsed.TotalSeconds:F0} s   ");
        }
    }

    public void Finish() => error.WriteLine();
}
