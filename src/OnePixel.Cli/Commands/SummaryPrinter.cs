using System.Globalization;
using OnePixel.Testing.Attacks;

namespace OnePixel.Cli.Commands;

/// <summary>The human-readable summary printed to standard output.</summary>
public static class SummaryPrinter
{
    public static void Print(TextWriter output, AttackReport report, double gate, double? minAccuracy = null)
    {
        PrintFigures(output, report);
        var verdict = RobustnessGate.Judge(report.Summary, gate, minAccuracy);
        output.WriteLine($"gate:            {(verdict.Holds ? "PASS" : "FAIL")}: {verdict.Describe()}");
    }

    /// <summary>The summary of the images attacked before a stop (Ctrl+C): no gate verdict, since the run is not whole.</summary>
    public static void PrintCancelled(TextWriter output, AttackCancelledException stop)
    {
        PrintFigures(output, stop.Partial);
        output.WriteLine($"cancelled:       after {stop.Done} of {stop.Total} images; no verdict");
    }

    private static void PrintFigures(TextWriter output, AttackReport report)
    {
        var s = report.Summary;
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c, $"images attacked: {s.Attacked} of {s.Images} ({s.Misclassified} already misclassified){(report.Shard is { } shard ? $", shard {shard}" : "")}"));
        output.WriteLine(string.Create(c, $"clean accuracy:  {s.Accuracy:P1} ({s.Correct} of {s.Images} classified correctly)"));
        output.WriteLine(string.Create(c, $"fooled:          {s.Fooled}"));
        output.WriteLine(string.Create(c, $"success rate:    {s.SuccessRate:P1} (95% CI {s.SuccessRateInterval.Low:P1}..{s.SuccessRateInterval.High:P1})"));
        output.WriteLine(string.Create(c, $"queries:         {s.Queries:N0} (budget {report.Options.Budget.MaxQueries:N0} per image, seed {report.Options.Seed})"));
        output.WriteLine(string.Create(c, $"time:            {s.Seconds:F1} s"));
        foreach (var result in report.FooledResults)
        {
            var pixels = string.Join(" ", result.Pixels);
            output.WriteLine(string.Create(c, $"  fooled {result.Name}: {report.ClassName(result.Label)} -> {report.ClassName(result.AdversarialLabel!.Value)} ({result.AdversarialConfidence:P1}) by {pixels} after {result.Queries} queries"));
        }
    }
}
