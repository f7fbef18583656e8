using System.Diagnostics;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;

namespace OnePixel.Testing.Tests.Robustness;

public class MemoryTests
{
    [Test]
    public void A_thousand_attacks_in_one_process_should_not_grow_managed_or_native_memory()
    {
        using var model = OnnxClassifier.Load(Repository.File("models/testing/single-pixel-trigger.onnx"));
        // Half the images are fooled early, half resist the whole budget: both paths run.
        var images = new ImageSet("memory", Enumerable.Range(0, 100).Select(i => new LabeledImage(
            $"image-{i:D3}", ByteImage.Filled(model.InputShape, (byte)(i % 2 == 0 ? 10 : 200)), 0)).ToList());
        var runner = new AttackRunner(model, new AttackOptions { Budget = AttackBudget.Queries(200) });
        // Warm up until the process settles (measured: resident memory grows for the first ~2,000
        // attacks as the GC sizes its heaps and ONNX Runtime its arenas, then stays flat).
        for (var run = 0; run < 25; run++)
            runner.Run(images);
        var (managedBefore, residentBefore) = Measure();

        for (var run = 0; run < 10; run++)
            runner.Run(images); // 1,000 attacks, about 100,000 queries

        var (managedAfter, residentAfter) = Measure();
        TestContext.Out.WriteLine($"managed {managedBefore / 1024} KiB -> {managedAfter / 1024} KiB, resident {residentBefore / 1024 / 1024} MiB -> {residentAfter / 1024 / 1024} MiB");
        (managedAfter - managedBefore).Should().BeLessThan(2L << 20, "managed memory must not grow with the number of attacks");
        (residentAfter - residentBefore).Should().BeLessThan(8L << 20, "native buffers (OrtValues, sessions' outputs) must be disposed");
    }

    private static (long Managed, long Resident) Measure()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return (GC.GetTotalMemory(forceFullCollection: true), process.WorkingSet64);
    }
}
