using System.Diagnostics;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;
using OnePixel.Testing.Reports;

namespace OnePixel.Cli.Commands;

/// <summary>
/// The bench's figure for attacks that run at once (parallel test fixtures, several models in one test
/// run): two attacks, each on its own copy of the model, started together, against the same two one
/// after the other. They share the processors, so together they should take about as long as in turn,
/// never longer (a ratio of at most 1.0x); the reports must be the same either way. The processor time
/// the process spent is compared too: on a machine shared with other work, wall time also depends on how
/// many threads compete for the processors, while the processor time shows what oversubscription costs.
/// </summary>
internal static class BenchConcurrency
{
    public static void Measure(BenchCommand.BenchSettings settings, ImageSet samples, TextWriter output)
    {
        var images = samples.Slice(0, settings.ConcurrentImages);
        var options = new AttackOptions { Budget = AttackBudget.Default, Threads = settings.Threads };
        output.WriteLine($"two attacks at once (as two parallel fixtures: each its own copy of the model, {images.Count} images at {AttackBudget.Default}) vs one after the other, wall time ({settings.Rounds} rounds, the order alternating; median ratio)");
        using var first = LoadedModel.Load(settings.Model, new ModelOptions { Backend = ScoringBackend.OnnxRuntime });
        using var second = LoadedModel.Load(settings.Model, new ModelOptions { Backend = ScoringBackend.OnnxRuntime });
        var ratios = new List<double>();
        var cpuRatios = new List<double>();
        var identical = true;
        for (var round = 0; round < settings.Rounds; round++)
        {
            Measured sequential, concurrent;
            AttackReport[] inTurn, together;
            if (round % 2 == 0)
            {
                (sequential, inTurn) = InTurn(first, second, images, options);
                (concurrent, together) = Together(first, second, images, options);
            }
            else
            {
                (concurrent, together) = Together(first, second, images, options);
                (sequential, inTurn) = InTurn(first, second, images, options);
            }
            ratios.Add(concurrent.Seconds / sequential.Seconds);
            cpuRatios.Add(concurrent.Cpu / sequential.Cpu);
            identical &= inTurn.Zip(together).All(pair => Json(pair.First) == Json(pair.Second)) && Json(inTurn[0]) == Json(inTurn[1]);
            output.WriteLine($"  round {round + 1}: one after the other {sequential.Seconds,6:0.00} s ({sequential.Cpu,6:0.00} s of processor time), at once {concurrent.Seconds,6:0.00} s ({concurrent.Cpu,6:0.00} s): {concurrent.Seconds / sequential.Seconds:0.00}x");
        }
        output.WriteLine($"  at once vs one after the other: {Median(ratios):0.00}x wall time (target <= 1.0x: the two share one scheduler sized to the processors), {Median(cpuRatios):0.00}x processor time; reports identical: {(identical ? "yes" : "NO")}");
        output.WriteLine();
    }

    private readonly record struct Measured(double Seconds, double Cpu);

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static (Measured, AttackReport[] Reports) InTurn(LoadedModel first, LoadedModel second, ImageSet images, AttackOptions options) =>
        Timed(() => [Attack(first, images, options), Attack(second, images, options)]);

    private static (Measured, AttackReport[] Reports) Together(LoadedModel first, LoadedModel second, ImageSet images, AttackOptions options) =>
        Timed(() =>
        {
            var attacks = new[] { first, second }.Select(model => Task.Factory.StartNew(() => Attack(model, images, options), TaskCreationOptions.LongRunning)).ToArray();
            Task.WaitAll(attacks);
            return attacks.Select(a => a.Result).ToArray();
        });

    private static (Measured, AttackReport[]) Timed(Func<AttackReport[]> run)
    {
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var stopwatch = Stopwatch.StartNew();
        var reports = run();
        var seconds = stopwatch.Elapsed.TotalSeconds;
        process.Refresh();
        return (new Measured(seconds, (process.TotalProcessorTime - cpu).TotalSeconds), reports);
    }

    private static AttackReport Attack(LoadedModel model, ImageSet images, AttackOptions options) =>
        new AttackRunner(model.Classifier, options).Run(images);

    private static string Json(AttackReport report) => JsonReport.ToJson(report, includeTimings: false);
}
