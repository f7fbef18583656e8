using System.Diagnostics;
using System.Text;

namespace OnePixel.Packaging.Tests.Consumer;

/// <summary>What one run of a command gave.</summary>
internal sealed record CommandResult(string Command, int ExitCode, string Output)
{
    public override string ToString() => $"$ {Command}\nexit {ExitCode}\n{Output}";
}

/// <summary>
/// Runs the .NET SDK's `dotnet` (and tools) the way a user's shell would: a clean environment for MSBuild
/// (the test host's MSBuild variables would steer the child builds), no build servers left running (they would
/// hold the output pipes open, and the machine's cores), a time limit.
/// </summary>
internal static class Dotnet
{
    public static string Executable { get; } =
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    public static CommandResult Run(string workingDirectory, params string[] arguments) =>
        Start(Executable, workingDirectory, arguments);

    public static CommandResult Start(string fileName, string workingDirectory, IReadOnlyList<string> arguments, TimeSpan? limit = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var name in start.Environment.Keys.ToList())
            if (name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("TESTINGPLATFORM", StringComparison.OrdinalIgnoreCase) || name.StartsWith("NUNIT", StringComparison.OrdinalIgnoreCase))
                start.Environment.Remove(name);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["UseSharedCompilation"] = "false";
        // The user's budget variables would change the consumer's robustness tests.
        start.Environment.Remove("ONEPIXEL_BUDGET");
        start.Environment.Remove("ONEPIXEL_BUDGET_SCALE");
        start.Environment.Remove("ONEPIXEL_SHARD");
        start.Environment.Remove("ONEPIXEL_UPDATE_BASELINES");

        var command = $"{Path.GetFileName(fileName)} {string.Join(' ', arguments)}";
        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(limit ?? TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            lock (output) return new CommandResult(command, -1, output + $"\n(killed after {limit ?? TimeSpan.FromMinutes(5)})");
        }
        process.WaitForExit(); // drains the output
        lock (output) return new CommandResult(command, process.ExitCode, output.ToString());
    }
}
