using System.CommandLine;
using OnePixel.Cli;
using OnePixel.Cli.Commands;

return OnePixelCommandLine.Run(args, Console.Out, Console.Error);

namespace OnePixel.Cli
{
    /// <summary>Builds the command tree and maps failures to the documented exit codes.</summary>
    public static class OnePixelCommandLine
    {
        public static int Run(string[] args, TextWriter output, TextWriter error)
        {
            var root = new RootCommand("onepixel: one-pixel attacks (Su, Vargas, Sakurai 2019) against ONNX image classifiers, as a CI gate.");
            root.Subcommands.Add(AttackCommand.Create(output, error));

            var parse = root.Parse(args);
            if (parse.Errors.Count > 0)
            {
                foreach (var parseError in parse.Errors)
                    error.WriteLine($"onepixel: {parseError.Message}");
                error.WriteLine("Run 'onepixel --help' for usage.");
                return ExitCodes.BadInput;
            }
            return parse.Invoke(new InvocationConfiguration { Output = output, Error = error });
        }
    }
}
