namespace OnePixel.Cli.Tests;

/// <summary>What one in-process run of the command line gave.</summary>
internal sealed record CliResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}

/// <summary>Runs `onepixel` in-process, as a shell would, with its output captured.</summary>
internal static class Cli
{
    public static CliResult Run(params string[] args) => Run(CancellationToken.None, args);

    /// <summary>As <see cref="Run(string[])"/>, with <paramref name="interrupt"/> standing for Ctrl+C.</summary>
    public static CliResult Run(CancellationToken interrupt, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        // Relative paths (models/..., samples/...) are resolved from the repository root, as the README's commands are.
        var previous = Environment.CurrentDirectory;
        Environment.CurrentDirectory = Repository.Root;
        try
        {
            var code = OnePixelCommandLine.Run(args, output, error, cancellation: interrupt);
            return new CliResult(code, output.ToString(), error.ToString());
        }
        finally
        {
            Environment.CurrentDirectory = previous;
        }
    }
}
