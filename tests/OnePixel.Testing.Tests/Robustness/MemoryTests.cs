using System.Diagnostics;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;
using OnePixel.Testing.Tests.Models;

namespace OnePixel.Testing.Tests.Robustness;

/// <summary>
/// Memory that must not grow with the work done, measured so that the collector's timing cannot move
/// the figures: allocations counted on the calling thread, managed memory after forced full compacting
/// collections, and native memory as resident memory less what the garbage collector has committed
/// (its heap grows and shrinks on its own schedule; native buffers do not). Limits are per call or
/// per attack, so they say what a leak of one object per call or per attack would exceed.
/// </summary>
public class MemoryTests
{
    private const int Attacks = 1_000;

    [Test]
    public void Scoring_a_warmed_model_should_allocate_nothing_per_call()
    {
        // One run at a time, on this thread (runs spread over idle processors use a Parallel.For).
        using var model = OnnxClassifier.Load(Repository.File("models/fashion-cnn-v1.onnx"), new ModelOptions { ParallelRuns = 1 });
        var (pixels, count, _) = CommittedModels.Samples(Repository.File("models/fashion-cnn-v1.onnx"), 100);
        var probabilities = new float[count * model.ClassCount];
        int[] batches = [1, 7, 50, 100];
        // Warmed largest first: the buffers grow once, and each batch size is bound once (growing them drops the bindings made before).
        foreach (var batch in batches.Reverse())
            model.Score(pixels.AsSpan(0, batch * model.InputShape.Length), batch, probabilities);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var call = 0; call < 25; call++)
            foreach (var batch in batches)
                model.Score(pixels.AsSpan(0, batch * model.InputShape.Length), batch, probabilities);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        allocated.Should().Be(0, "a run reuses its pinned buffers and its input and output bound once per batch size; a new OrtValue or binding per call would be allocated here");
    }

    [Test]
    public void A_thousand_attacks_in_one_process_should_not_grow_managed_or_native_memory()
    {
        using var model = OnnxClassifier.Load(Repository.File("models/testing/single-pixel-trigger.onnx"));
        // Half the images are fooled early, half resist the whole budget: both paths run.
        var images = new ImageSet("memory", Enumerable.Range(0, 100).Select(i => new LabeledImage(
            $"image-{i:D3}", ByteImage.Filled(model.InputShape, (byte)(i % 2 == 0 ? 10 : 200)), 0)).ToList());
        var runner = new AttackRunner(model, new AttackOptions { Budget = AttackBudget.Queries(200) });
        // Warm up until the process settles (measured: native memory grows for the first ~2,500
        // attacks as ONNX Runtime sizes its arenas and the runs bind their batch sizes, then stays flat).
        for (var run = 0; run < 25; run++)
            runner.Run(images);
        // Two equal phases, each measured: a leak grows memory in both, by the same amount per attack; a
        // one-off event of the process (tiered JIT compiling a method late on a busy machine, a cache of the
        // runtime's filling once) lands in one phase only. The smaller of the two growths is judged.
        var before = Measure();
        for (var run = 0; run < Attacks / images.Count; run++)
            runner.Run(images); // about 100,000 queries
        var middle = Measure();
        for (var run = 0; run < Attacks / images.Count; run++)
            runner.Run(images);
        var after = Measure();

        TestContext.Out.WriteLine($"managed {before.Managed / 1024} KiB -> {middle.Managed / 1024} KiB -> {after.Managed / 1024} KiB, native (resident less the GC's committed memory) {before.Native / 1024 / 1024} MiB -> {middle.Native / 1024 / 1024} MiB -> {after.Native / 1024 / 1024} MiB");
        var managed = Math.Min(middle.Managed - before.Managed, after.Managed - middle.Managed) / (double)Attacks;
        var native = Math.Min(middle.Native - before.Native, after.Native - middle.Native) / (double)Attacks;
        // A report's result is about 220 bytes per image: keeping them would exceed the managed limit in both phases.
        managed.Should().BeLessThan(64, "bytes of managed memory kept per attack: nothing should outlive its run");
        native.Should().BeLessThan(8 * 1024, "bytes of native memory kept per attack: native buffers (OrtValues, sessions' outputs) must be disposed");
    }

    /// <summary>Managed bytes alive, and native bytes resident, after full compacting collections with their finalizers run.</summary>
    private static (long Managed, long Native) Measure()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return (GC.GetTotalMemory(forceFullCollection: false), process.WorkingSet64 - GC.GetGCMemoryInfo().TotalCommittedBytes);
    }
}
