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
    private TestResult ExecuteBaseline(TestExecutionContext context, RobustnessCase robustnessCase)
    {
        var plan = robustnessCase.Plan;
        if (Shared(context, plan.BaselineResult, out var failed) is not { } result) return failed!;

        var expectation = $"Expected {Described(plan, result)} not to regress from its one-pixel robustness baseline, but ";
        if (result.Verdict is BaselineVerdict.Missing or BaselineVerdict.Refused)
            return Finish(context, ResultState.Error, expectation + BaselineMessage.Failure(result));

        var report = result.Report!;
        var image = robustnessCase.Image;
        var results = ForCase(report.Results, r => r.Name, image);
        var folder = RobustnessAttachments.Folder(Test.ClassName ?? "", Test.MethodName ?? Test.Name);
        if (result.Verdict == BaselineVerdict.Written)
        {
            TestContext.Out.WriteLine(BaselineMessage.Passed(result));
        }
        else if (result.Verdict == BaselineVerdict.Regressed)
        {
            var comparison = result.Comparison!;
            // The newly fooled images are the regression; a rise without any (more images misclassified, say) is blamed on the fooled ones.
            var blamed = comparison.NewlyFooled.Count > 0 ? comparison.NewlyFooled : report.FooledResults.Select(r => r.Name).ToList();
            var failing = results.Where(r => blamed.Contains(r.Name) && r.Fooled).ToList();
            if (image is null || failing.Count > 0)
            {
                foreach (var fooled in image is null ? report.Results.Where(r => blamed.Contains(r.Name) && r.Fooled) : failing)
                    RobustnessAttachments.AttachPicture(report, fooled, plan.Images, folder);
                RobustnessAttachments.AttachReport(report, folder);
                var message = expectation + BaselineMessage.Failure(result);
                if (image is not null)
                {
                    var how = comparison.NewlyFooled.Contains(image.Name) ? "resisted in the baseline and is fooled now" : "is fooled, and the success rate rose beyond the baseline's";
                    message = $"{image.Name} {how}:{Environment.NewLine}  - {RobustnessMessage.Fooled(report, failing[0])}{Environment.NewLine}{message}";
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

    private static string Described(RobustnessPlan plan, BaselineResult result) =>
        plan.Model.Path ?? plan.Model.ClassifierType?.Name ?? result.Model.Path;
}
