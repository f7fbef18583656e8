using NUnit.Framework;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;
using OnePixel.Testing.Assertions;
using OnePixel.Testing.Attacks;

namespace OnePixel.Testing.NUnit;

/// <summary>
/// A case of a [RobustnessTest(Baseline = ...)] method. The comparison is made once per method; then,
/// per image: a missing or mismatched baseline fails every case; a regression fails the cases of the
/// images fooled now that resisted in the baseline (or, when the rise has another cause, of the fooled
/// images); an improved image says so in its output. A baseline written on request passes every case.
/// </summary>
internal sealed partial class RobustnessCommand
{
    private TestResult ExecuteBaseline(TestExecutionContext context, RobustnessCase robustnessCase, CaseCancellation cancellation)
    {
        var plan = robustnessCase.Plan;
        if (Shared(context, () => plan.BaselineResult(cancellation, ModelScope.Of(Test)), out var failed) is not { } result) return failed!;

        var expectation = $"Expected {Described(plan, result)} not to regress from its one-pixel robustness baseline, but ";
        if (result.Verdict is BaselineVerdict.Missing or BaselineVerdict.Refused)
            return Finish(context, ResultState.Error, expectation + BaselineMessage.Failure(result));

        var report = result.Report!;
        var image = robustnessCase.Image;
        if (plan.History is not null)
        {
            if (Shared(context, () => plan.HistoryNote(cancellation, ModelScope.Of(Test)), out var historyFailed) is not { } note) return historyFailed!;
            TestContext.Out.WriteLine(note);
        }
        var results = ForCase(report.Results, r => r.Name, image);
        var folder = RobustnessAttachments.Folder(Test);
        if (result.Verdict == BaselineVerdict.Written)
        {
            TestContext.Out.WriteLine(BaselineMessage.Passed(result));
        }
        else if (result.Verdict == BaselineVerdict.Regressed)
        {
            var comparison = result.Comparison!;
            var blamed = Blamed(comparison, report);
            var failing = results.Where(r => blamed.Contains(r.Name)).ToList();
            if (image is null || failing.Count > 0)
            {
                foreach (var fooled in (image is null ? report.Results.Where(r => blamed.Contains(r.Name)) : failing).Where(r => r.Fooled))
                    RobustnessAttachments.AttachPicture(report, fooled, plan.FooledImage(report, fooled.Name), folder);
                RobustnessAttachments.AttachReport(report, folder);
                var message = expectation + BaselineMessage.Failure(result);
                if (image is not null)
                {
                    var r = failing[0];
                    var how = comparison.NewlyFooled.Contains(image.Name) ? $"resisted in the baseline and is fooled now:{Environment.NewLine}  - {RobustnessMessage.Fooled(report, r)}"
                        : comparison.NewlyMisclassified.Contains(image.Name) ? $"was classified correctly in the baseline and is misclassified now: {report.ClassName(r.Label)} classified as {report.ClassName(r.Predicted)}"
                        : r.Fooled ? $"is fooled, and the success rate rose beyond the baseline's:{Environment.NewLine}  - {RobustnessMessage.Fooled(report, r)}"
                        : $"is misclassified ({report.ClassName(r.Label)} classified as {report.ClassName(r.Predicted)}), and the run fails its baseline check";
                    message = $"{image.Name} {how}{Environment.NewLine}{message}";
                }
                return Finish(context, ResultState.Failure, message);
            }
            TestContext.Out.WriteLine($"Not a newly fooled image; the run regressed from baseline {result.Check.Path} (see the failing cases).");
        }
        else if (image is null)
        {
            TestContext.Out.WriteLine(BaselineMessage.Passed(result));
        }
        else
        {
            if (result.Comparison!.NewlyResisting.Contains(image.Name))
                TestContext.Out.WriteLine(BaselineMessage.Improved(image.Name, result.Check.Path));
            else if (result.Comparison.NewlyFooled.Contains(image.Name) && results.FirstOrDefault(r => r.Fooled) is { } allowed)
                TestContext.Out.WriteLine($"Fooled now, resisted in the baseline (within the policy): {RobustnessMessage.Fooled(report, allowed)}");
        }

        return Run(context, plan, role => role switch
        {
            ParameterRole.Report => report,
            ParameterRole.Comparison => result.Comparison,
            _ => results.Single(),
        });
    }

    /// <summary>
    /// The images whose cases fail a regression: the newly fooled and newly misclassified ones the policy
    /// fails on; when the regression has another cause (a rise of the success rate alone, the accuracy
    /// floor, nothing attacked), the fooled images, else the misclassified ones, else every image.
    /// </summary>
    private static HashSet<string> Blamed(Baselines.BaselineComparison comparison, AttackReport report)
    {
        var blamed = new HashSet<string>(StringComparer.Ordinal);
        var policy = comparison.Policy;
        var riseFails = Baselines.SuccessRateRule.Fails(comparison.SuccessRateChange, policy.MaxSuccessRateIncrease, policy.Significance, comparison.Paired);
        if (policy.FailOnNewlyFooledImages || riseFails)
            blamed.UnionWith(comparison.NewlyFooled);
        if (comparison.Policy.FailOnNewlyMisclassifiedImages)
            blamed.UnionWith(comparison.NewlyMisclassified);
        if (blamed.Count > 0) return blamed;
        var fooled = report.FooledResults.Select(r => r.Name).ToList();
        if (riseFails && fooled.Count > 0) return [.. fooled];
        var misclassified = report.Results.Where(r => r.StopReason == StopReason.AlreadyMisclassified).Select(r => r.Name).ToList();
        return misclassified.Count > 0 ? [.. misclassified] : [.. report.Results.Select(r => r.Name)];
    }

    private static string Described(RobustnessPlan plan, BaselineResult result) =>
        plan.Model.Path ?? plan.Model.ClassifierType?.Name ?? result.Model.Path;
}
