using System.CommandLine;
using OnePixel.Testing;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.Imaging;
using OnePixel.Testing.Reports;

namespace OnePixel.Cli.Commands;

/// <summary>
/// `onepixel report REPORT.json`: turns a JSON report into HTML and Markdown. The HTML's pictures
/// need the images, which are loaded again from the report's imageSource (or --images).
/// `onepixel report merge` combines shard reports (<see cref="MergeCommand"/>).
/// </summary>
public static class ReportCommand
{
    public static Command Create(CliContext cli)
    {
        var report = new Argument<string>("report") { Description = "The JSON report (from attack --json)." };
        var html = new Option<string?>("--html") { Description = "Write the HTML report (one self-contained file, pictures inline) to this file." };
        var markdown = new Option<string?>("--markdown") { Description = "Write the Markdown report to this file. Without --html or --markdown, the Markdown goes to standard output." };
        var images = new Option<string?>("--images") { Description = "Where the images are, when not at the report's imageSource (a folder, IDX or CSV file)." };
        var labels = new Option<string?>("--labels") { Description = "The IDX labels file that goes with an IDX images file." };
        var size = new Option<string?>("--size") { Description = "Image size WIDTHxHEIGHTxCHANNELS, for CSV rows that are not square images." };
        var maxSuccessRate = AttackSettings.OptionalMaxSuccessRate("Show the gate's verdict for this maximum success rate.");
        var minAccuracy = AttackSettings.MinAccuracy("With --max-success-rate: the gate's minimum clean accuracy, shown in its verdict.");

        var command = new Command("report", "Turn a JSON report into HTML (with pictures) and Markdown.") { report, html, markdown, images, labels, size, maxSuccessRate, minAccuracy };
        command.Subcommands.Add(MergeCommand.Create(cli));
        command.SetAction(parse => CommandErrors.Guard(cli.Error, () =>
        {
            AttackSettings.CheckOutputs(parse, html, markdown);
            var path = parse.GetValue(report)!;
            var loaded = JsonReportReader.Read(path);
            var render = new ReportRenderOptions { MaxSuccessRate = parse.GetValue(maxSuccessRate), MinAccuracy = parse.GetValue(minAccuracy) };
            var htmlPath = parse.GetValue(html);
            var markdownPath = parse.GetValue(markdown);
            if (htmlPath is not null)
            {
                var set = LoadImages(path, loaded, parse.GetValue(images), parse.GetValue(labels), parse.GetValue(size));
                HtmlReport.Save(loaded, set, htmlPath, render);
                cli.Error.WriteLine($"wrote {htmlPath}");
            }
            if (markdownPath is not null)
            {
                MarkdownReport.Save(loaded, markdownPath, render);
                cli.Error.WriteLine($"wrote {markdownPath}");
            }
            if (htmlPath is null && markdownPath is null)
                cli.Output.Write(MarkdownReport.Render(loaded, render));
            return ExitCodes.GateHolds;
        }));
        return command;
    }

    /// <summary>The report's images: --images, else its imageSource as written, else relative to the report's folder.</summary>
    internal static ImageStream LoadImages(string reportPath, AttackReport report, string? images, string? labels, string? size)
    {
        var source = images;
        if (source is null)
        {
            var stated = report.ImageSource
                ?? throw new OnePixelException($"{reportPath}: summary.imageSource is missing, so the pictures cannot be drawn; give the images with --images.");
            var besideReport = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(reportPath))!, stated);
            source = Exists(stated) ? stated : Exists(besideReport) ? besideReport
                : throw new OnePixelException($"{reportPath}: summary.imageSource '{stated}' is not found (nor next to the report), so the pictures cannot be drawn; give the images with --images.");
        }
        return ImageSetLoader.Open(new ImageSetSource(source)
        {
            LabelsPath = labels ?? (images is null ? report.ImageLabels : null),
            CsvShape = size is null ? null : ImageShape.Parse(size, "--size"),
            ClassNames = report.ClassNames,
        });
    }

    private static bool Exists(string path) => File.Exists(path) || Directory.Exists(path);
}
