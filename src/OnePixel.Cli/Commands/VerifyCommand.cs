using System.CommandLine;
using System.Globalization;
using OnePixel.Testing;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.Models;
using OnePixel.Testing.Reports;
using OnePixel.Testing.Verification;

namespace OnePixel.Cli.Commands;

/// <summary>
/// `onepixel verify`: decides, for every image, whether any single pixel alters the top-1 class: exactly
/// by bounds on each pixel's colours where the graph is supported (grayscale and RGB), else by enumeration
/// (exact for grayscale, a grid of colours for RGB).
/// </summary>
public static class VerifyCommand
{
    public static Command Create(CliContext cli)
    {
        var settings = new AttackSettings();
        var model = AttackSettings.ModelOption();
        var full = new Option<bool>("--full") { Description = "Scan every candidate of every image, counting all fooling pixels, instead of stopping at the first counterexample (enumeration)." };
        var grid = new Option<string?>("--rgb-grid") { Description = "Values tried per channel on RGB images by enumeration (default 0,128,255); such RGB verdicts are not exact." };
        var method = new Option<string>("--method") { Description = "auto (bounds where the graph is supported, else enumeration), bounds, or enumerate.", DefaultValueFactory = _ => "auto" };
        var maxSeconds = new Option<double?>("--max-seconds") { Description = "Time limit per image (bounds or enumeration): an image not decided by then is reported undecided, not exact." };
        var gate = AttackSettings.MaxSuccessRate("The gate: exit 1 when more than this fraction of the checked images has a one-pixel counterexample (or when no image could be checked).");
        var minAccuracy = AttackSettings.MinAccuracy();
        var json = new Option<string?>("--json") { Description = "Write the verification report (JSON) to this file." };
        var html = new Option<string?>("--html") { Description = "Write the verification page (HTML: one self-contained file, counterexamples drawn) to this file." };
        var markdown = new Option<string?>("--markdown") { Description = "Write the verification summary (Markdown, for a pull-request comment) to this file." };
        var quiet = new Option<bool>("--quiet") { Description = "Print only the summary." };
        var threadsPerImage = AttackSettings.ThreadsPerImage();

        var command = new Command("verify", "Decide, per image, whether any single pixel fools the model: a certificate or a counterexample (exact for grayscale and, by bounds, for RGB).") { model };
        settings.AddModelAndImageOptionsTo(command);
        foreach (var option in new Option[] { method, maxSeconds, full, grid, gate, minAccuracy, json, html, markdown, quiet, threadsPerImage })
            command.Options.Add(option);

        command.SetAction(parse => CommandErrors.Guard(cli, () =>
        {
            AttackSettings.CheckOutputs(parse, json, html, markdown);
            var overrides = settings.ModelOverrides(parse);
            var rgbGrid = parse.GetValue(grid) is { } g ? ParseGrid(g) : null;
            var chosen = ParseMethod(parse.GetValue(method)!);
            // --full counts every fooling change: only enumeration does, so it chooses enumeration unless bounds were asked for.
            if (parse.GetValue(full) && chosen == VerificationMethod.Bounds)
                throw new OnePixelException("--full: counts every fooling change, which only enumeration does; use --method enumerate (or leave --method out).");
            if (parse.GetValue(full)) chosen = VerificationMethod.Enumerate;
            if (parse.GetValue(maxSeconds) is <= 0)
                throw new OnePixelException($"--max-seconds: expected a positive number of seconds, found {parse.GetValue(maxSeconds)}.");
            var options = new VerificationOptions
            {
                Method = chosen,
                MaxSeconds = parse.GetValue(maxSeconds),
                StopAtFirst = !parse.GetValue(full),
                Threads = parse.GetValue(settings.Threads),
                ThreadsPerImage = parse.GetValue(threadsPerImage),
                RgbGrid = rgbGrid ?? new VerificationOptions().RgbGrid,
            };
            var isQuiet = parse.GetValue(quiet);
            using var loaded = AttackSettings.LoadModel(parse.GetValue(model)!, overrides);
            using var verifier = OnePixelVerifier.For(loaded, options);
            var set = settings.LoadImages(parse, loaded, overrides).ToImageSet();
            if (!isQuiet)
            {
                var how = verifier.Method == VerificationMethod.Bounds ? "exact: bounds on each pixel's colour box, branch and bound"
                    : set.Shape.Channels == 1 ? "exact: every position x every value" : "RGB: a grid of colours, not exact";
                cli.Error.WriteLine($"verifying {set.Count} images of {set.Source} against {loaded.Path} ({how})");
                foreach (var note in verifier.Notes) cli.Error.WriteLine($"  {note}");
            }
            var done = 0;
            var progress = isQuiet ? null : new Progress<ImageVerification>(_ =>
            {
                var n = Interlocked.Increment(ref done);
                if (n % 10 == 0 || n == set.Count) cli.Error.WriteLine($"  {n}/{set.Count} images verified");
            });
            var report = verifier.Verify(set, progress, cli.Cancellation, loaded.Identity);
            var render = new ReportRenderOptions { MaxSuccessRate = parse.GetValue(gate), MinAccuracy = parse.GetValue(minAccuracy) };
            if (parse.GetValue(json) is { } path) VerificationJson.Save(report, path);
            if (parse.GetValue(html) is { } htmlPath) VerificationHtml.Save(report, set, htmlPath, render);
            if (parse.GetValue(markdown) is { } markdownPath) VerificationMarkdown.Save(report, markdownPath, render);
            var verdict = RobustnessGate.Judge(report, parse.GetValue(gate), parse.GetValue(minAccuracy));
            SummaryPrinter.Print(cli.Output, report, verdict);
            PreprocessingHint.Print(cli.Output, loaded, set, report.Summary.Accuracy);
            return verdict.Holds ? ExitCodes.GateHolds : ExitCodes.GateFails;
        }));
        return command;
    }

    internal static VerificationMethod ParseMethod(string text) => text.Trim().ToLowerInvariant() switch
    {
        "auto" => VerificationMethod.Auto,
        "bounds" => VerificationMethod.Bounds,
        "enumerate" => VerificationMethod.Enumerate,
        _ => throw new OnePixelException($"--method: expected 'auto', 'bounds' or 'enumerate', found '{text}'."),
    };

    private static IReadOnlyList<byte> ParseGrid(string text)
    {
        var values = new List<byte>();
        foreach (var part in text.Split(','))
            values.Add(byte.TryParse(part.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)
                ? v
                : throw new OnePixelException($"--rgb-grid: expected values 0..255 separated by commas such as 0,128,255; found '{text}'."));
        return values;
    }
}
