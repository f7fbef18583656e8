using System.Globalization;
using System.Text;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.Reports;

namespace OnePixel.Testing.Assertions;

/// <summary>
/// The words both adapters use when a gate fails: what was found (the success rate with its 95% Wilson
/// interval), the evidence (every fooled image, its classes, pixel and confidence) and how to reproduce it.
/// </summary>
internal static class RobustnessMessage
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Percent(double fraction) => fraction.ToString("P1", Invariant);

    /// <summary>"Fooled images" untargeted; "Successful attacks" when an image is attacked towards a target.</summary>
    public static string FooledHeading(AttackReport report) => report.Options.Mode == AttackMode.Untargeted ? "Fooled images" : "Successful attacks";

    /// <summary>"14 of 92 attacked images were fooled: a success rate of 15.2 % (95% Wilson interval 9.3 %..24.0 %)".</summary>
    public static string Found(AttackReport report)
    {
        var s = report.Summary;
        var interval = s.SuccessRateInterval;
        var what = report.Options.Mode == AttackMode.Untargeted
            ? $"{s.Fooled} of {s.Attacked} attacked images {(s.Fooled == 1 ? "was" : "were")} fooled"
            : $"{s.Fooled} of {s.Attacked} targeted attacks succeeded";
        return string.Create(Invariant,
            $"{what}: a success rate of {Percent(s.SuccessRate)} (95% Wilson interval {Percent(interval.Low)}..{Percent(interval.High)})");
    }

    /// <summary>"test-00012-sneaker.png: Sneaker -> Sandal, pixel (14, 3) = 255, confidence 61.2 %".</summary>
    public static string Fooled(AttackReport report, ImageAttackResult result)
    {
        var target = result.Target is { } t ? $" (target {report.ClassName(t)})" : "";
        var pixels = string.Join(", ", result.Pixels.Select(p => p.ToString()));
        var noun = result.Pixels.Count == 1 ? "pixel" : "pixels";
        return string.Create(Invariant,
            $"{result.Name}: {report.ClassName(result.Label)} -> {report.ClassName(result.AdversarialLabel ?? -1)}{target}, {noun} {pixels}, confidence {Percent(result.AdversarialConfidence ?? 0)}");
    }

    /// <summary>One line per fooled image, each starting with "  - ".</summary>
    public static string FooledList(AttackReport report)
    {
        var text = new StringBuilder();
        foreach (var result in report.FooledResults)
            text.Append("  - ").AppendLine(Fooled(report, result));
        return text.ToString();
    }

    /// <summary>
    /// The settings that reproduce the run and, when the model came from a file, the command line that
    /// repeats it exactly: the images and the positions attacked, how the model was fed, every attack
    /// setting and the gate. Run as printed, it gives the same fooled images.
    /// </summary>
    public static string Reproduce(AttackReport report, EffectiveBudget budget, double maxSuccessRate, double? minAccuracy = null)
    {
        var options = report.Options;
        var mode = options.Mode switch
        {
            AttackMode.Untargeted => "untargeted",
            AttackMode.Targeted => $"targeted at {report.ClassName(options.Target ?? -1)}",
            _ => "targeted at every other class",
        };
        // The stronger search, and a fitness other than its search's default, are part of the run to reproduce.
        var strong = options.Search == SearchKind.ExtremesThenEvolution;
        var fitnessGiven = options.Fitness != AttackOptions.DefaultFitness(options.Search);
        var text = new StringBuilder();
        text.Append(string.Create(Invariant,
            $"Reproduce with budget {budget}, seed {options.Seed}, {options.Pixels} pixel{(options.Pixels == 1 ? "" : "s")}, {mode}"));
        if (strong) text.Append(", search extremes-de");
        if (fitnessGiven) text.Append(", fitness ").Append(CommandLineArguments.FitnessName(options.Fitness));
        if (report.Model is { } model && Path.Exists(model.Path) && report.ImageSource is { } images && Path.Exists(images))
        {
            text.AppendLine(":");
            text.Append("  onepixel attack --model ").Append(CommandLineArguments.Quote(Path.GetFullPath(model.Path)));
            CommandLineArguments.AppendImages(text, Path.GetFullPath(images), report.ImageLabels is { } labels ? Path.GetFullPath(labels) : null, report.Results.Select(r => r.Index));
            if (model.Preprocessing is { } preprocessing) CommandLineArguments.AppendPreprocessing(text, preprocessing);
            CommandLineArguments.AppendAttack(text, budget.Budget, options);
            text.Append(string.Create(Invariant, $" --max-success-rate {maxSuccessRate}"));
            if (minAccuracy is { } floor) text.Append(string.Create(Invariant, $" --min-accuracy {floor}"));
        }
        else
        {
            // A classifier made in code, or images built in code: no command line can load them.
            text.Append(report.Model is { } m && Path.Exists(m.Path)
                ? $"; no command line repeats it: the images ({report.ImageSource ?? "unnamed"}) were made in code, not read from a folder or file."
                : report.Model is null ? "." : $"; no command line repeats it: the model {report.Model.Path} is not a file here.");
        }
        return text.ToString();
    }

    /// <summary>
    /// One line for a run's outcome, for the test's output whether it passed or failed: "onepixel:
    /// models/m.onnx: 6 of 87 attacked images fooled (6.9 %, 95% Wilson interval ...), clean accuracy 87.0 %; gate PASS: ...".
    /// </summary>
    public static string Summary(AttackReport report, GateVerdict verdict)
    {
        var s = report.Summary;
        var interval = s.SuccessRateInterval;
        var model = report.Model?.Path ?? "the classifier";
        return string.Create(Invariant,
            $"onepixel: {model}: {s.Fooled} of {s.Attacked} attacked {(report.Options.Mode == AttackMode.Untargeted ? "images fooled" : "attacks succeeded")} ({Percent(s.SuccessRate)}, 95% Wilson interval {Percent(interval.Low)}..{Percent(interval.High)}), clean accuracy {Percent(s.Accuracy)} ({s.Correct} of {s.Images}); gate {(verdict.Holds ? "PASS" : "FAIL")}: {verdict.Describe()}");
    }

    internal static string Quote(string path) => CommandLineArguments.Quote(path);
}
