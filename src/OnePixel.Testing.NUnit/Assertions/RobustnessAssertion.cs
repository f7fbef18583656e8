using FluentAssertions.Execution;
using NUnit.Framework.Internal;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;
using OnePixel.Testing.NUnit;

namespace OnePixel.Testing.Assertions;

/// <summary>The check both assertion classes make, in FluentAssertions' terms.</summary>
internal static class RobustnessAssertion
{
    /// <summary>
    /// Attacks, then fails through the current assertion scope when the gate does not hold. Returns the
    /// report either way (the images done so far when the attack was stopped: by <paramref name="cancellation"/>,
    /// the test's [CancelAfter] or [Timeout], or the stop of the test run, which fails the assertion).
    /// </summary>
    public static AttackReport Assert(IImageClassifier classifier, ImageSet images, ModelIdentity? identity, RobustnessCheck check, string because, object[] becauseArgs, CancellationToken cancellation = default)
    {
        var described = identity is null ? "" : $" ({identity.Path})";
        AttackReport report;
        using (var stop = CaseCancellation.For(TestExecutionContext.CurrentContext, cancellation))
        {
            try
            {
                report = check.Run(classifier, images, identity, cancellation: stop.Token);
            }
            catch (AttackCancelledException e)
            {
                Execute.Assertion
                    .BecauseOf(because, becauseArgs)
                    .FailWith("Expected {context:model}" + Escape(described) + " to resist one-pixel attacks{reason}, but "
                        + Escape(stop.Stopped(Cancelled(e)).Message));
                return e.Partial;
            }
        }
        var verdict = check.Verdict(report);
        // Passing or failing, the run's one-line summary goes to the test's output (NUnit shows a test's console output with its result).
        Console.Out.WriteLine(RobustnessMessage.Summary(report, verdict));
        NUnit.RobustnessAttachments.AttachWhenRunByNUnit(report, images);
        Execute.Assertion
            .BecauseOf(because, becauseArgs)
            .ForCondition(verdict.Holds)
            .FailWith("Expected {context:model}" + Escape(described)
                + " to " + Escape(check.Expectation())
                + "{reason}, but " + Escape(check.Evidence(report)));
        return report;
    }

    /// <summary>"the attack was cancelled after 37 of 100 images (2 fooled so far)."</summary>
    internal static string Cancelled(AttackCancelledException e) =>
        $"the attack was cancelled after {e.Done} of {e.Total} image{(e.Total == 1 ? "" : "s")} ({e.Partial.Summary.Fooled} fooled so far).";

    /// <summary>FluentAssertions reads braces as placeholders; image and class names must come through as written.</summary>
    internal static string Escape(string text) => text.Replace("{", "{{").Replace("}", "}}");
}
