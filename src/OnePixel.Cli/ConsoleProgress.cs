using System.Diagnostics;
using System.Globalization;
using OnePixel.Testing.Attacks;

namespace OnePixel.Cli;

/// <summary>
/// Progress on standard error. On a terminal, one line redrawn at most twice a second; in a log
/// (standard error redirected, as in CI) a plain line every ten seconds, because a CI log shows every
/// carriage-return redraw as a line of its own. Spectre.Console's progress bars were left out on
/// purpose: they only draw on an interactive terminal, and the run needs nothing richer than this line.
/// </summary>
public sealed class ConsoleProgress(TextWriter error, bool interactive) : IProgress<AttackProgress>
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _gate = new();
    private long _lastDrawn = interactive ? -1000 : 0;
    private bool _drewLine;

    public void Report(AttackProgress value)
    {
        lock (_gate)
        {
            var interval = interactive ? 500 : 10_000;
            if (value.Done < value.Total && _clock.ElapsedMilliseconds - _lastDrawn < interval) return;
            if (!interactive && value.Done == value.Total && !_drewLine) return; // a short run needs no progress in a log
            _lastDrawn = _clock.ElapsedMilliseconds;
            var elapsed = _clock.Elapsed.TotalSeconds;
            var left = value.Done == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $", about {elapsed / value.Done * (value.Total - value.Done):F0} s left");
            var line = string.Create(CultureInfo.InvariantCulture, $"attacking {value.Done}/{value.Total}, fooled {value.Fooled}, {elapsed:F0} s{(value.Done < value.Total ? left : "")}");
            if (interactive) error.Write($"\r{line}   ");
            else error.WriteLine(line);
            _drewLine = true;
        }
    }

    public void Finish()
    {
        if (interactive && _drewLine) error.WriteLine();
    }
}
