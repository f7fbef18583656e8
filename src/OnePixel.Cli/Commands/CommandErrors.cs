using OnePixel.Testing;

namespace OnePixel.Cli.Commands;

/// <summary>Turns the engine's input errors into exit code 2 with the message, never a stack trace.</summary>
public static class CommandErrors
{
    public static int Guard(TextWriter error, Func<int> action)
    {
        try
        {
            return action();
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
