using System.Globalization;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.Verification;

namespace OnePixel.Cli.Commands;

/// <summary>The human-readable summaries (of attacks and of verifications) printed to standard output.</summary>
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

    /// <summary>A verification's figures, its counterexamples and the gate's verdict.</summary>
    public static void Print(TextWriter output, VerificationReport report, GateVerdict verdict)
    {
        PrintFigures(output, report);
        output.WriteLine($"gate:            {(verdict.Holds ? "PASS" : "FAIL")}: {verdict.Describe()}");
    }

    /// <summary>The figures of the images verified before a stop (Ctrl+C): no gate verdict, since the run is not whole.</summary>
    public static void PrintCancelled(TextWriter output, VerificationCancelledException stop)
    {
        PrintFigures(output, stop.Partial);
        output.WriteLine($"cancelled:       after {stop.Done} of {stop.Total} images; no verdict");
    }

    private static void PrintFigures(TextWriter output, VerificationReport report)
    {
        var c = CultureInfo.InvariantCulture;
        var summary = report.Summary;
        output.WriteLine(string.Create(c, $"images checked:  {report.Checked} of {report.Images} ({summary.Misclassified} already misclassified)"));
        output.WriteLine(string.Create(c, $"clean accuracy:  {summary.Accuracy:P1} ({report.Checked} of {report.Images} classified correctly)"));
        output.WriteLine(string.Create(c, $"vulnerable:      {report.Vulnerable} (a single pixel changes the class)"));
        var certified = report.Certified;
        var onGrid = report.NoneFoundOnGrid;
        if (certified > 0 || onGrid + report.Undecided == 0)
            output.WriteLine(string.Create(c, $"certified:       {certified} (no single-pixel change alters the class)"));
        if (onGrid > 0)
            output.WriteLine(string.Create(c, $"none found:      {onGrid} (on the colour grid; not a certificate)"));
        if (report.Undecided > 0)
            output.WriteLine(string.Create(c, $"undecided:       {report.Undecided} (the time limit came first; not a certificate)"));
        output.WriteLine(string.Create(c, $"method:          {(report.Method == VerificationMethod.Bounds ? "bounds" : "enumerate")}{(report.Exact ? " (exact)" : " (not exact)")}"));
        output.WriteLine(string.Create(c, $"queries:         {report.Queries:N0}"));
        output.WriteLine(string.Create(c, $"time:            {report.Seconds:F1} s"));
        foreach (var r in report.Results.Where(r => r.Vulnerable))
            output.WriteLine(string.Create(c, $"  counterexample {r.Name}: {report.ClassName(r.Label)} -> {report.ClassName(r.AdversarialLabel!.Value)} ({r.AdversarialConfidence:P1}) by {r.Counterexample}{(r.FoolingCandidates is { } n ? $", {n} fooling changes at {r.VulnerablePositions} pixels" : "")}"));
    }
}
