using FluentAssertions.Execution;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;

namespace OnePixel.Testing.Assertions;

/// <summary>The check both assertion classes make, in FluentAssertions' terms.</summary>
internal static class RobustnessAssertion
{
    /// <summary>Attacks, then fails through the current assertion scope when the gate does not hold. Returns the report either way.</summary>
    public static AttackReport Assert(IImageClassifier classifier, ImageSet images, ModelIdentity? identity, RobustnessCheck check, string because, object[] becauseArgs)
    {
        var report = check.Run(classifier, images, identity);
        var verdict = check.Verdict(report);
        var described = identity is null ? "" : $" ({identity.Path})";
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

    /// <summary>FluentAssertions reads braces as placeholders; image and class names must come through as written.</summary>
    internal static string Escape(string text) => text.Replace("{", "{{").Replace("}", "}}");
}
