using System.Globalization;
using System.Text;
using OnePixel.Testing.Attacks;

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

    /// <summary>The settings that reproduce the run, and the command line that does it when the model came from a file.</summary>
    public static string Reproduce(AttackReport report, EffectiveBudget budget, double maxSuccessRate, int? imageCount = null)
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
        if (fitnessGiven) text.Append(", fitness ").Append(FitnessName(options.Fitness));
        if (report.Model is { } model)
        {
            text.AppendLine(":");
            text.Append("  onepixel attack --model ").Append(Quote(model.Path));
            if (report.ImageSource is { } images) text.Append(" --images ").Append(Quote(images));
            if (imageCount is { } count) text.Append(" --count ").Append(count.ToString(Invariant));
            AppendAttackArguments(text, budget.Budget, options);
            text.Append(string.Create(Invariant, $" --max-success-rate {maxSuccessRate}"));
        }
        else
        {
            text.Append('.');
        }
        return text.ToString();
    }

    /// <summary>
    /// The command line's attack settings for <paramref name="budget"/> and <paramref name="options"/>:
    /// what a run needs to be repeated (`onepixel attack`) or rebaselined (`onepixel baseline update`).
    /// </summary>
    public static void AppendAttackArguments(StringBuilder text, AttackBudget budget, AttackOptions options)
    {
        text.Append(budget == AttackBudget.Paper
            ? " --paper"
            : string.Create(Invariant, $" --budget {budget.MaxQueries} --population {budget.Population}"));
        text.Append(string.Create(Invariant, $" --seed {options.Seed}"));
        if (options.Pixels != 1) text.Append(string.Create(Invariant, $" --pixels {options.Pixels}"));
        if (options.Mode == AttackMode.Targeted) text.Append(string.Create(Invariant, $" --target {options.Target}"));
        if (options.Mode == AttackMode.EveryTarget) text.Append(" --targeted");
        if (options.Search == SearchKind.ExtremesThenEvolution) text.Append(" --search extremes-de");
        // A fitness other than its search's default is part of the run (the command line defaults the same way).
        if (options.Fitness != AttackOptions.DefaultFitness(options.Search))
            text.Append(" --fitness ").Append(FitnessName(options.Fitness));
    }

    private static string FitnessName(FitnessKind fitness) => fitness == FitnessKind.Margin ? "margin" : "probability";

    internal static string Quote(string path) => path.Contains(' ') ? $"\"{path}\"" : path;
}
