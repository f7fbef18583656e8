using FluentAssertions.Execution;
using NUnit.Framework.Internal;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;
using OnePixel.Testing.NUnit;

namespace OnePixel.Testing.Assertions;

/// <summary>The baseline check both assertion classes make, in FluentAssertions' terms.</summary>
internal static class BaselineAssertion
{
    /// <summary>
    /// Runs the check and fails through the current assertion scope unless it passed. A passing check
    /// (no regression, or a baseline written on request) says so on the test's output, improved images included.
    /// </summary>
    /// <remarks>A stop (by <paramref name="cancellation"/>, the test's time limit or the run's stop) fails it, saying how far the attack got.</remarks>
    public static BaselineResult? Assert(IImageClassifier classifier, ImageSet images, ModelIdentity? identity, BaselineCheck check, string because, object[] becauseArgs, CancellationToken cancellation = default)
    {
        var described = identity is null ? "" : $" ({identity.Path})";
        BaselineResult result;
        using (var stop = CaseCancellation.For(TestExecutionContext.CurrentContext, cancellation))
        {
            try
            {
                result = check.Run(
                    options => new AttackRunner(classifier, options).Run(images, cancellation: stop.Token, model: identity),
                    images,
                    BaselineCheck.IdentityOf(classifier, identity));
            }
            catch (AttackCancelledException e)
            {
                Execute.Assertion
                    .BecauseOf(because, becauseArgs)
                    .FailWith("Expected {context:model}" + RobustnessAssertion.Escape(described) + " not to regress from its one-pixel robustness baseline{reason}, but "
                        + RobustnessAssertion.Escape(stop.Stopped(RobustnessAssertion.Cancelled(e)).Message));
                return null;
            }
        }
        Execute.Assertion
            .BecauseOf(because, becauseArgs)
            .ForCondition(result.Passed)
            .FailWith("Expected {context:model}" + RobustnessAssertion.Escape(described) + " not to regress from its one-pixel robustness baseline{reason}, but "
                + RobustnessAssertion.Escape(result.Passed ? "" : BaselineMessage.Failure(result)));
        if (result.Passed)
            Console.Out.WriteLine(BaselineMessage.Passed(result)); // NUnit shows a test's console output with its result
        return result;
    }
}
