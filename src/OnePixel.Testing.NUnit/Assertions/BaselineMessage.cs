using System.Globalization;
using System.Text;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.Baselines;
using OnePixel.Testing.Reports;

namespace OnePixel.Testing.Assertions;

/// <summary>The words both adapters use for a baseline check: what changed image by image, and how to refresh the baseline.</summary>
internal static class BaselineMessage
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The part of a failure after "Expected {model} ...": why the check did not pass, the evidence, and what to do.</summary>
    public static string Failure(BaselineResult result) => result.Verdict switch
    {
        BaselineVerdict.Missing =>
            $"baseline {result.Check.Path} does not exist.{Environment.NewLine}Make one: {HowToRefresh(result)}",
        BaselineVerdict.Refused =>
            $"baseline {result.Check.Path} does not match this run, so it is not compared:{Environment.NewLine}"
            + string.Concat(result.Comparison!.Mismatches.Select(m => $"  - {m}{Environment.NewLine}"))
            + $"Refresh it, if the change is intended: {HowToRefresh(result)}",
        BaselineVerdict.Regressed =>
            $"it regressed: {string.Join("; ", result.Comparison!.Regressions)}.{Environment.NewLine}{Rates(result.Comparison!)}.{Environment.NewLine}{Changes(result)}"
            + $"If the change is intended, refresh the baseline: {HowToRefresh(result)}",
        _ => throw new InvalidOperationException($"A {result.Verdict} check has no failure."),
    };

    /// <summary>What a passing check reports in the test's output.</summary>
    public static string Passed(BaselineResult result)
    {
        if (result.Verdict == BaselineVerdict.Written)
        {
            var record = result.Written!;
            var s = record.Settings;
            return string.Create(Invariant,
                $"Baseline written ({BaselineUpdate.EnvironmentVariable} is set): {result.Check.Path}: {record.Fooled} of {record.Attacked} attacked images fooled ({RobustnessMessage.Percent(record.SuccessRate)}), clean accuracy {RobustnessMessage.Percent(record.Accuracy)}, budget {s.Budget}, seed {s.Seed}, {s.Pixels} pixel{(s.Pixels == 1 ? "" : "s")}. Nothing was compared; commit the file to make it the baseline.");
        }
        return $"No regression from baseline {result.Check.Path}: {Rates(result.Comparison!)}.{Environment.NewLine}{Changes(result)}".TrimEnd();
    }

    /// <summary>"success rate 13.2 % in the baseline, 24.1 % now (+11.0 points; at most +0.0 allowed), clean accuracy 87.0 % in the baseline, 86.0 % now".</summary>
    public static string Rates(BaselineComparison c) => string.Create(Invariant,
        $"success rate {RobustnessMessage.Percent(c.BaselineSuccessRate)} in the baseline, {RobustnessMessage.Percent(c.CurrentSuccessRate)} now ({c.SuccessRateChange * 100:+0.0;-0.0;+0.0} points; at most +{c.Policy.MaxSuccessRateIncrease * 100:0.0} allowed{(c.Policy.Significance is { } alpha ? $", and only when significant at level {alpha}" : "")}), clean accuracy {RobustnessMessage.Percent(c.BaselineAccuracy)} in the baseline, {RobustnessMessage.Percent(c.CurrentAccuracy)} now; paired test: {c.Paired}{(c.InsignificantRise is { } note ? $"; {note}" : "")}");

    /// <summary>The images now fooled, with how, and the images that improved; one line each.</summary>
    public static string Changes(BaselineResult result)
    {
        var c = result.Comparison!;
        var report = result.Report!;
        var text = new StringBuilder();
        var allowed = c.Policy.FailOnNewlyFooledImages ? "" : " (allowed by the policy)";
        text.AppendLine($"Newly fooled images ({c.NewlyFooled.Count}){allowed}:{(c.NewlyFooled.Count == 0 ? " none" : "")}");
        foreach (var name in c.NewlyFooled)
            text.Append("  - ").AppendLine(report.Results.FirstOrDefault(r => r.Name == name && r.Fooled) is { } fooled ? RobustnessMessage.Fooled(report, fooled) : name);
        text.AppendLine($"Improved, fooled in the baseline and resisting now ({c.NewlyResisting.Count}):{(c.NewlyResisting.Count == 0 ? " none" : "")}");
        foreach (var name in c.NewlyResisting)
            text.Append("  - ").AppendLine(name);
        var misclassifiedAllowed = c.Policy.FailOnNewlyMisclassifiedImages ? "" : " (allowed by the policy)";
        text.AppendLine($"Newly misclassified, classified correctly in the baseline ({c.NewlyMisclassified.Count}){misclassifiedAllowed}:{(c.NewlyMisclassified.Count == 0 ? " none" : "")}");
        foreach (var name in c.NewlyMisclassified)
            text.Append("  - ").AppendLine(report.Results.FirstOrDefault(r => r.Name == name) is { } r ? $"{name}: {report.ClassName(r.Label)} classified as {report.ClassName(r.Predicted)}" : name);
        foreach (var change in c.PreprocessingChanges)
            text.Append("Preprocessing changed (allowed by the policy): ").AppendLine(change);
        return text.ToString();
    }

    /// <summary>"Improved: X was fooled in the baseline and resists now."</summary>
    public static string Improved(string name, string path) => $"Improved: {name} was fooled in baseline {path} and resists now.";

    /// <summary>The environment variable, and the command line when the model is a file.</summary>
    public static string HowToRefresh(BaselineResult result)
    {
        var text = new StringBuilder($"run the tests with {BaselineUpdate.EnvironmentVariable}=1");
        if (result.Model.Path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) && result.Options is { } options && File.Exists(result.Model.Path))
        {
            text.Append(", or: onepixel baseline update --model ").Append(CommandLineArguments.Quote(Path.GetFullPath(result.Model.Path)));
            if (result.Report?.ImageSource is { } images && Path.Exists(images))
                CommandLineArguments.AppendImages(text, Path.GetFullPath(images), result.Report.ImageLabels is { } labels ? Path.GetFullPath(labels) : null, result.Report.Results.Select(r => r.Index));
            text.Append(" --baseline ").Append(CommandLineArguments.Quote(result.Check.Path));
            if (result.Preprocessing is { } preprocessing) CommandLineArguments.AppendPreprocessing(text, preprocessing);
            CommandLineArguments.AppendAttack(text, options.Budget, options);
        }
        return text.Append('.').ToString();
    }
}
