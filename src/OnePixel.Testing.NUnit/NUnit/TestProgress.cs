using System.Globalization;
using NUnit.Framework;
using OnePixel.Testing.Attacks;

namespace OnePixel.Testing.NUnit;

/// <summary>
/// Writes attack progress to <see cref="TestContext.Progress"/>, which runners show while a test is
/// still running: at about every tenth of the images, so a long run is visibly alive without flooding the log.
/// </summary>
/// <param name="what">The model and images, as the lines name them.</param>
/// <param name="also">Told of every attack done (the shared run keeps count for the cases that wait).</param>
internal sealed class TestProgress(string what, Action<AttackProgress>? also = null) : IProgress<AttackProgress>
{
    private readonly Lock _lock = new();
    private int _lastStep = -1;

    public void Report(AttackProgress value)
    {
        also?.Invoke(value);
        var step = value.Done * 10 / Math.Max(1, value.Total);
        lock (_lock)
        {
            // Attacks finish out of order on several threads; only a new tenth (or the end) is worth a line.
            if (step <= _lastStep && value.Done != value.Total) return;
            _lastStep = step;
            TestContext.Progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"onepixel: {what}: {value.Done}/{value.Total} attacked, {value.Fooled} fooled"));
        }
    }
}
