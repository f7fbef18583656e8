using System.CommandLine;
using OnePixel.Cli;
using OnePixel.Cli.Commands;

return OnePixelCommandLine.Run(args, Console.Out, Console.Error, interactive: !Console.IsErrorRedirected);

namespace OnePixel.Cli
{
    /// <summary>Builds the command tree and maps failures to the documented exit codes.</summary>
    public static class OnePixelCommandLine
    {
        /// <summary>Runs one command line; <paramref name="interactive"/> says whether <paramref name="error"/> is a terminal (for progress).</summary>
        public static int Run(string[] args, TextWriter output, TextWriter error, bool interactive = false)
        {
            var cli = new CliContext(output, error, interactive);
            var root = new RootCommand("onepixel: one-pixel attacks (Su, Vargas, Sakurai 2019) against ONNX image classifiers, as a CI gate.");
            root.Subcommands.Add(AttackCommand.Create(cli));
            root.Subcommands.Add(ReportCommand.Create(cli));
            root.Subcommands.Add(CompareCommand.Create(cli));
            root.Subcommands.Add(BenchCommand.Create(cli));
            root.Subcommands.Add(VerifyCommand.Create(cli));
            root.Subcommands.Add(EvaluateCommand.Create(cli));
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
            return parse.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
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
