using System.CommandLine;
using System.Runtime.InteropServices;
using OnePixel.Cli;
using OnePixel.Cli.Commands;

// Ctrl+C stops the attack under way: the command prints what it found so far and exits 130, writing
// no report. A command that does not watch for it (bench, report) is ended after a moment, as an
// interrupted process is; a second Ctrl+C ends the process at once.
using var interrupt = new CancellationTokenSource();
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, signal =>
{
    if (interrupt.IsCancellationRequested) return;
    signal.Cancel = true;
    interrupt.Cancel();
    _ = Task.Delay(TimeSpan.FromSeconds(3)).ContinueWith(_ => Environment.Exit(ExitCodes.Interrupted), TaskScheduler.Default);
});
return OnePixelCommandLine.Run(args, Console.Out, Console.Error, interactive: !Console.IsErrorRedirected, interrupt.Token);

namespace OnePixel.Cli
{
    /// <summary>Builds the command tree and maps failures to the documented exit codes.</summary>
    public static class OnePixelCommandLine
    {
        /// <summary>
        /// Runs one command line; <paramref name="interactive"/> says whether <paramref name="error"/> is a
        /// terminal (for progress); <paramref name="cancellation"/> is Ctrl+C.
        /// </summary>
        public static int Run(string[] args, TextWriter output, TextWriter error, bool interactive = false, CancellationToken cancellation = default)
        {
            var cli = new CliContext(output, error, interactive) { Cancellation = cancellation };
            var root = new RootCommand("onepixel: one-pixel attacks (Su, Vargas, Sakurai 2019) against ONNX image classifiers, as a CI gate.");
            root.Subcommands.Add(AttackCommand.Create(cli));
            root.Subcommands.Add(ReportCommand.Create(cli));
            root.Subcommands.Add(CompareCommand.Create(cli));
            root.Subcommands.Add(BenchCommand.Create(cli));
            root.Subcommands.Add(VerifyCommand.Create(cli));
            root.Subcommands.Add(EvaluateCommand.Create(cli));
            root.Subcommands.Add(VerifyBenchCommand.Create(cli));
            root.Subcommands.Add(BaselineCommand.Create(cli));
            root.Subcommands.Add(HistoryCommand.Create(cli));

            var parse = root.Parse(args);
            if (parse.Errors.Count > 0)
            {
                foreach (var parseError in parse.Errors)
                    error.WriteLine($"onepixel: {ParseErrors.Describe(parseError)}");
                error.WriteLine($"Run 'onepixel {string.Join(' ', CommandPath(parse))} --help' for usage.".Replace("  ", " "));
                return ExitCodes.BadInput;
            }
            // Without a handler of its own, an unexpected exception would end in System.CommandLine's,
            // which returns 1: the code for a failed gate. Guard maps everything to 2 instead.
            // Ctrl+C is handled above (Program), not by System.CommandLine, whose handler serves asynchronous actions only.
            return parse.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null });
        }

        private static IEnumerable<string> CommandPath(ParseResult parse)
        {
            var names = new Stack<string>();
            for (var result = parse.CommandResult; result is not null && result.Command is not RootCommand; result = result.Parent as System.CommandLine.Parsing.CommandResult)
                names.Push(result.Command.Name);
            return names;
        }
    }
}
