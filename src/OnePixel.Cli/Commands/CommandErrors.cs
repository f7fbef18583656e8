using OnePixel.Testing;
using OnePixel.Testing.Attacks;

namespace OnePixel.Cli.Commands;

/// <summary>
/// Turns the engine's input errors into exit code 2 with the message, never a stack trace, and a stop
/// by Ctrl+C into exit code 130.
/// </summary>
public static class CommandErrors
{
    public static int Guard(TextWriter error, Func<int> action) => Guard(error, null, action);

    /// <summary>As <see cref="Guard(TextWriter, Func{int})"/>; an attack or verification stopped by Ctrl+C also prints the summary of the images it finished.</summary>
    public static int Guard(CliContext cli, Func<int> action) => Guard(cli.Error, cli.Output, action);

    private static int Guard(TextWriter error, TextWriter? output, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (RunCancelledException e)
        {
            // No report file: a partial run written as a report would read as a whole one.
            if (e is AttackCancelledException attack && output is not null)
                SummaryPrinter.PrintCancelled(output, attack);
            if (e is Testing.Verification.VerificationCancelledException verification && output is not null)
                SummaryPrinter.PrintCancelled(output, verification);
            error.WriteLine($"onepixel: {e.Message} (interrupted); no report was written.");
            return ExitCodes.Interrupted;
        }
        catch (OnePixelException e)
        {
            error.WriteLine($"onepixel: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (IOException e)
        {
            error.WriteLine($"onepixel: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (UnauthorizedAccessException e)
        {
            error.WriteLine($"onepixel: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Not exit 1, which means "the gate failed": a CI script must never read a crash as a verdict.
            error.WriteLine($"onepixel: unexpected error ({e.GetType().Name}): {e.Message}");
            return ExitCodes.BadInput;
        }
    }
}
