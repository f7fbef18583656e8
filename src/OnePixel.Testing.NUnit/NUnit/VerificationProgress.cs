using System.Globalization;
using NUnit.Framework;
using OnePixel.Testing.Verification;

namespace OnePixel.Testing.NUnit;

/// <summary>Writes verification progress to <see cref="TestContext.Progress"/>, at about every tenth of the images, as <see cref="TestProgress"/> does for attacks.</summary>
internal sealed class VerificationProgress(string what, int total, Action<int>? also = null) : IProgress<ImageVerification>
{
    private readonly Lock _lock = new();
    private int _done;
    private int _vulnerable;
    private int _lastStep = -1;

    public void Report(ImageVerification value)
    {
        lock (_lock)
        {
            _done++;
            also?.Invoke(_done);
            if (value.Vulnerable) _vulnerable++;
            var step = _done * 10 / Math.Max(1, total);
            if (step <= _lastStep && _done != total) return;
            _lastStep = step;
            TestContext.Progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"onepixel: verifying {what}: {_done}/{total} verified, {_vulnerable} vulnerable"));
        }
    }
}
