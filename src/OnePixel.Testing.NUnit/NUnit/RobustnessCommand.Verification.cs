using System.Globalization;
using System.Text;
using NUnit.Framework;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;
using OnePixel.Testing.Assertions;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.Reports;
using OnePixel.Testing.Verification;

namespace OnePixel.Testing.NUnit;

/// <summary>
/// A case of a [RobustnessTest(Verify = true)] method: its image's verdict is a certificate (no single
/// pixel changes the class) or a counterexample. The gate is the one attacks have, on the share of the
/// checked images that have a counterexample: when it fails, the vulnerable images' cases fail.
/// </summary>
internal sealed partial class RobustnessCommand
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private TestResult ExecuteVerification(TestExecutionContext context, RobustnessCase robustnessCase, CaseCancellation cancellation)
    {
        var plan = robustnessCase.Plan;
        if (Shared(context, () => plan.Verification(cancellation, ModelScope.Of(Test)), out var failed) is not { } report) return failed!;

        var image = robustnessCase.Image;
        var results = ForCase(report.Results, r => r.Name, image);
        var verdict = RobustnessGate.Judge(report, plan.Check.MaxSuccessRate, plan.Check.MinAccuracy);
        var holds = verdict.Holds;
        var vulnerable = results.Where(r => r.Vulnerable).ToList();
        var folder = RobustnessAttachments.Folder(Test);
        foreach (var result in vulnerable)
            RobustnessAttachments.AttachCounterexample(report, result, plan.CounterexampleImage(report, result.Name), folder);
        if (image is null || vulnerable.Count > 0)
            RobustnessAttachments.AttachReport(report, folder);
        // A vulnerable rate above the maximum is blamed on the vulnerable images; nothing checked, or accuracy
        // below the floor, on the misclassified ones (as for attacks).
        var rateFails = verdict.Failures.Contains(GateFailure.SuccessRateAboveMaximum) && vulnerable.Count > 0;
        var accuracyFails = verdict.Failures.Any(f => f is GateFailure.NothingAttacked or GateFailure.AccuracyBelowMinimum)
            && (report.Checked == report.Images || results.Any(r => !r.Checked));
        // Undecided images that could carry the rate over the maximum are blamed on themselves: their cases cannot be confirmed.
        var undecidedFails = verdict.Failures.Contains(GateFailure.UndecidedCouldExceed) && results.Any(r => r.Verdict == VerificationVerdict.Undecided);
        // So are RGB images searched only on the colour grid: nothing proved them robust.
        var gridFails = verdict.Failures.Contains(GateFailure.GridOnlyCouldExceed) && results.Any(r => r.Verdict == VerificationVerdict.NoneFoundOnGrid);
        var hint = plan.PreprocessingNote(verdict.Summary.Accuracy, cancellation, ModelScope.Of(Test));
        if (!holds && (image is null || rateFails || accuracyFails || undecidedFails || gridFails))
        {
            var expectation = VerificationFailure(report, plan, verdict) + (hint.Length > 0 ? Environment.NewLine + hint : "");
            return Finish(context, ResultState.Failure, image is null ? expectation
                : rateFails ? $"{image.Name} has a one-pixel counterexample:{Environment.NewLine}  - {Counterexample(report, vulnerable[0])}{Environment.NewLine}{expectation}"
                : undecidedFails ? $"{image.Name} is undecided: {UndecidedBecause(report, results[0])}{Environment.NewLine}{expectation}"
                : gridFails ? $"{image.Name} is not proved robust: {GridOnly(report, results[0])}{Environment.NewLine}{expectation}"
                : $"{image.Name} is {(results[0].Checked ? "classified correctly, but the verification fails its gate" : $"misclassified: {ClassName(report, results[0].Label)} classified as {ClassName(report, results[0].Predicted)}")}.{Environment.NewLine}{expectation}");
        }

        foreach (var result in results)
            TestContext.Out.WriteLine(Verdict(report, result));
        TestContext.Out.WriteLine($"onepixel: {report.Model?.Path ?? "the classifier"}: {report.Vulnerable} of {report.Checked} checked images vulnerable, clean accuracy {RobustnessMessage.Percent(verdict.Summary.Accuracy)}; gate {(holds ? "PASS" : "FAIL")}: {verdict.Describe()}");
        if (hint.Length > 0) TestContext.Out.WriteLine(hint);
        if (!holds)
            TestContext.Out.WriteLine("The verification as a whole fails its gate (see the failing cases).");

        return Run(context, plan, role => role == ParameterRole.Verification ? report : results.Single());
    }

    /// <summary>What the verification found about one image, in a sentence.</summary>
    private static string Verdict(VerificationReport report, ImageVerification v) =>
        !v.Checked ? $"Not verified: the model already classifies {v.Name} as {ClassName(report, v.Predicted)}, not {ClassName(report, v.Label)}."
        : v.Vulnerable ? $"Counterexample, within the gate: {Counterexample(report, v)}"
        : v.Verdict == VerificationVerdict.Certified ? string.Create(Invariant, $"Certified: no single-pixel change alters the class of {v.Name} ({ClassName(report, v.Label)}); {v.Queries:N0} queries{(v.Method == VerificationMethod.Bounds ? $", {v.PositionsCertifiedByBounds:N0} positions certified by bounds alone" : "")}.")
        : v.Verdict == VerificationVerdict.Undecided ? $"Undecided: {UndecidedBecause(report, v)}"
        : $"No counterexample on the colour grid: {GridOnly(report, v)}";

    /// <summary>"only 0, 128, 255 per channel were tried on ... (verified by enumeration, not bounds: ...)": why a grid search proves nothing.</summary>
    private static string GridOnly(VerificationReport report, ImageVerification v)
    {
        // The image's own note (its forward pass did not match) or the verification's (why bounds were not used).
        var why = v.Note ?? report.Notes.FirstOrDefault(n => n.StartsWith("verified by enumeration", StringComparison.Ordinal));
        return string.Create(Invariant, $"only {string.Join(", ", report.Options.RgbGrid)} per channel were tried on {v.Name} ({ClassName(report, v.Label)}), so finding no counterexample there is not a certificate{(why is null ? "" : $" ({why})")}; {v.Queries:N0} queries.");
    }

    /// <summary>"the time limit (60 s) ended the search on test-00001.png (Pullover) before ...": why an image has no verdict.</summary>
    private static string UndecidedBecause(VerificationReport report, ImageVerification v) =>
        string.Create(Invariant, $"the time limit{(report.Options.MaxSeconds is { } limit ? $" ({limit} s)" : "")} ended the search on {v.Name} ({ClassName(report, v.Label)}) before a certificate or a counterexample; {v.Queries:N0} queries{(v.Method == VerificationMethod.Bounds ? $", {v.PositionsCertifiedByBounds:N0} positions certified by bounds" : " (enumeration)")} by then.");

    /// <summary>"test-00012-sneaker.png: Sneaker -> Sandal, pixel (14, 3) = 255, confidence 61.2 %".</summary>
    private static string Counterexample(VerificationReport report, ImageVerification v) =>
        string.Create(Invariant, $"{v.Name}: {ClassName(report, v.Label)} -> {ClassName(report, v.AdversarialLabel ?? -1)}, pixel {v.Counterexample}, confidence {RobustnessMessage.Percent(v.AdversarialConfidence ?? 0)}");

    private static string VerificationFailure(VerificationReport report, RobustnessPlan plan, GateVerdict verdict)
    {
        var model = report.Model?.Path ?? plan.Model.ClassifierType?.Name ?? "the model";
        var text = new StringBuilder();
        var floor = plan.Check.MinAccuracy is { } min ? $" and a clean accuracy of at least {RobustnessMessage.Percent(min)}" : "";
        var others = verdict.Failures.Where(f => f != GateFailure.SuccessRateAboveMaximum).Select(verdict.Reason).ToList();
        text.Append(string.Create(Invariant,
            $"Expected {model} to have a single-pixel counterexample on at most {RobustnessMessage.Percent(plan.Check.MaxSuccessRate)} of the checked images{floor}, but "));
        if (others.Count > 0) text.Append(string.Join("; ", others)).Append(". ");
        text.Append(string.Create(Invariant,
            $"{report.Vulnerable} of {report.Checked} checked image{(report.Checked == 1 ? "" : "s")} {(report.Vulnerable == 1 ? "has" : "have")} one ({RobustnessMessage.Percent(report.VulnerableRate)}; clean accuracy {RobustnessMessage.Percent(verdict.Summary.Accuracy)}), "));
        text.AppendLine(report.Undecided > 0 ? string.Create(Invariant, $"{(report.Method == VerificationMethod.Bounds ? "decided by bounds on every pixel's colours (exact)" : "found by enumeration")} where decided; {report.Undecided} undecided at the time limit.")
            : report.Method == VerificationMethod.Bounds ? "decided by bounds on every pixel's colours (exact)."
            : report.Exact ? "found by trying every single-pixel change (exact)." : "found on a colour grid (RGB; not exact).");
        if (report.Vulnerable > 0)
        {
            text.AppendLine("Counterexamples:");
            foreach (var v in report.Results.Where(r => r.Vulnerable))
                text.Append("  - ").AppendLine(Counterexample(report, v));
        }
        text.Append("Reproduce with");
        if (report.Model is { } identity && File.Exists(identity.Path) && report.ImageSource is { } images && Path.Exists(images))
        {
            // Every setting that decides the verdicts, as for an attack's reproduce command.
            text.Append(":").AppendLine().Append("  onepixel verify --model ").Append(CommandLineArguments.Quote(Path.GetFullPath(identity.Path)));
            CommandLineArguments.AppendImages(text, Path.GetFullPath(images), null, report.Results.Select(r => r.Index));
            if (identity.Preprocessing is { } preprocessing) CommandLineArguments.AppendPreprocessing(text, preprocessing);
            text.Append(" --method ").Append(report.Method == VerificationMethod.Bounds ? "bounds" : "enumerate");
            if (report.Options.MaxSeconds is { } seconds) text.Append(string.Create(Invariant, $" --max-seconds {seconds}"));
            text.Append(string.Create(Invariant, $" --max-success-rate {plan.Check.MaxSuccessRate}"));
            if (plan.Check.MinAccuracy is { } minAccuracy) text.Append(string.Create(Invariant, $" --min-accuracy {minAccuracy}"));
            // The one setting whose verdicts are not the same on every machine: say so where it is repeated.
            if (report.Undecided > 0)
                text.AppendLine().Append("  (an image's verdict at a time limit can differ on a faster or slower machine, or under another load)");
        }
        else
        {
            text.Append(" OnePixelVerifier on the same images.");
        }
        return text.ToString();
    }

    private static string ClassName(VerificationReport report, int label) => report.ClassName(label);
}
