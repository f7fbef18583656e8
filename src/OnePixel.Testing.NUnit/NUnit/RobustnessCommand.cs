using NUnit.Framework;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;
using NUnit.Framework.Internal.Commands;
using OnePixel.Testing.Assertions;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.Imaging;
using OnePixel.Testing.Reports;

namespace OnePixel.Testing.NUnit;

/// <summary>
/// Runs a robustness case around the test method (inside SetUp and TearDown, as NUnit's IWrapTestMethod
/// commands are): gets the shared attack report, attaches the evidence, applies the gate, and only when
/// the gate holds for this case hands the report to the method and runs it.
/// </summary>
internal sealed partial class RobustnessCommand(TestCommand innerCommand) : DelegatingTestCommand(innerCommand)
{
    public override TestResult Execute(TestExecutionContext context)
    {
        if (!RobustnessTestBuilder.TryGetCase(Test, out var robustnessCase) || robustnessCase is null)
            return Finish(context, ResultState.Error, $"{Test.FullName}: this test was not built by [RobustnessTest], so there is no attack to run.");

        var plan = robustnessCase.Plan;
        using var cancellation = CaseCancellation.For(context);
        if (plan.Kind == RobustnessKind.Baseline) return ExecuteBaseline(context, robustnessCase, cancellation);
        if (plan.Kind == RobustnessKind.Verification) return ExecuteVerification(context, robustnessCase, cancellation);
        if (Shared(context, () => plan.Report(cancellation, ModelScope.Of(Test)), out var failed) is not { } report) return failed!;

        var image = robustnessCase.Image;
        var results = ForCase(report.Results, r => r.Name, image);
        var fooled = results.Where(r => r.Fooled).ToList();
        var folder = RobustnessAttachments.Folder(Test);
        foreach (var result in fooled)
            RobustnessAttachments.AttachPicture(report, result, plan.FooledImage(report, result.Name), folder);
        if (image is null || fooled.Count > 0)
            RobustnessAttachments.AttachReport(report, folder);

        var check = plan.Check;
        var verdict = check.Verdict(report);
        TestContext.Out.WriteLine(RobustnessMessage.Summary(report, verdict));
        var hint = plan.PreprocessingNote(report.Summary.Accuracy, cancellation, ModelScope.Of(Test));
        if (hint.Length > 0) TestContext.Out.WriteLine(hint);
        if (plan.History is not null)
        {
            if (Shared(context, () => plan.HistoryNote(cancellation, ModelScope.Of(Test)), out var historyFailed) is not { } note) return historyFailed!;
            TestContext.Out.WriteLine(note);
        }
        if (!verdict.Holds && (image is null || Blamed(report, verdict, results)))
            return Finish(context, ResultState.Failure, FailureMessage(report, plan, results, image is not null) + (hint.Length > 0 ? Environment.NewLine + hint : ""));

        if (image is not null)
        {
            foreach (var result in fooled)
                TestContext.Out.WriteLine($"Fooled, within the gate ({RobustnessMessage.Found(report)}; at most {RobustnessMessage.Percent(check.MaxSuccessRate)} allowed): {RobustnessMessage.Fooled(report, result)}");
            if (results.Count > 0 && results.All(r => !r.Attacked))
                TestContext.Out.WriteLine(NotAttacked(report, image, results[0]));
        }

        return Run(context, plan, role => role == ParameterRole.Report ? report : results.Single());
    }

    /// <summary>Fills the method's parameters by their roles, then runs it (with its SetUp and TearDown).</summary>
    private TestResult Run(TestExecutionContext context, RobustnessPlan plan, Func<ParameterRole, object?> argument)
    {
        var arguments = Test.Arguments;
        for (var i = 0; i < plan.Parameters.Count && i < arguments.Length; i++)
            arguments[i] = argument(plan.Parameters[i]);
        return innerCommand.Execute(context);
    }

    /// <summary>
    /// The method's run, made once and shared by its cases; null, with the case's result, when it could
    /// not be made: a problem found only when the case runs (a damaged file, a shape mismatch) is an
    /// error with the reason; a stop says how far the run got.
    /// </summary>
    private static T? Shared<T>(TestExecutionContext context, Func<T> run, out TestResult? failed) where T : class
    {
        try
        {
            failed = null;
            return run();
        }
        catch (CaseCancelledException e)
        {
            failed = Finish(context, e.State, e.Message);
            return null;
        }
        catch (Exception e)
        {
            failed = Finish(context, ResultState.Error, Reason(e));
            return null;
        }
    }

    /// <summary>A case's share of the run's results: its image's, or all of them for a case of the whole run.</summary>
    private static IReadOnlyList<T> ForCase<T>(IReadOnlyList<T> results, Func<T, string> name, ImageEntry? image) =>
        image is null ? results : results.Where(r => name(r) == image.Name).ToList();

    private static string Reason(Exception e) => e is OnePixelException ? e.Message : $"{e.GetType().Name}: {e.Message}";

    /// <summary>
    /// Whether a failing gate fails this image's case: a success rate above the maximum is blamed on the
    /// fooled images; nothing attacked, or accuracy below the floor, on the misclassified ones (and on
    /// every image when none is misclassified: every correct one is of the target class).
    /// </summary>
    private static bool Blamed(AttackReport report, GateVerdict verdict, IReadOnlyList<ImageAttackResult> results)
    {
        if (verdict.Failures.Contains(GateFailure.SuccessRateAboveMaximum) && results.Any(r => r.Fooled)) return true;
        if (!verdict.Failures.Any(f => f is GateFailure.NothingAttacked or GateFailure.AccuracyBelowMinimum)) return false;
        return report.Summary.Misclassified == 0 || results.Any(r => r.StopReason == StopReason.AlreadyMisclassified);
    }

    /// <summary>Why an image was not attacked: misclassified, or of the target class.</summary>
    private static string NotAttacked(AttackReport report, ImageEntry image, ImageAttackResult result) =>
        result.StopReason == StopReason.TargetIsTrueClass
            ? $"Not attacked: {image.Name} is of the target class {report.ClassName(result.Label)} (the model classifies it correctly), so there is nothing to turn it into."
            : $"Not attacked: the model already classifies {image.Name} as {report.ClassName(result.Predicted)}, not {report.ClassName(result.Label)}.";

    private static string FailureMessage(AttackReport report, RobustnessPlan plan, IReadOnlyList<ImageAttackResult> results, bool perImage)
    {
        var model = report.Model?.Path ?? plan.Model.ClassifierType?.Name ?? "the model";
        var expectation = $"Expected {model} to {plan.Check.Expectation()}, but {plan.Check.Evidence(report)}";
        if (!perImage) return expectation;
        var fooled = results.Where(r => r.Fooled).ToList();
        if (fooled.Count > 0)
        {
            var these = string.Join(Environment.NewLine, fooled.Select(r => "  - " + RobustnessMessage.Fooled(report, r)));
            return $"{fooled[0].Name} was fooled:{Environment.NewLine}{these}{Environment.NewLine}{expectation}";
        }
        var first = results[0];
        var why = first.StopReason == StopReason.AlreadyMisclassified
            ? $"{first.Name} is misclassified: {report.ClassName(first.Label)} classified as {report.ClassName(first.Predicted)}"
            : $"{first.Name} was not attacked ({JsonReport.StopReasonName(first.StopReason)})";
        return $"{why}.{Environment.NewLine}{expectation}";
    }

    private static TestResult Finish(TestExecutionContext context, ResultState state, string message)
    {
        context.CurrentResult.SetResult(state, message);
        return context.CurrentResult;
    }
}
