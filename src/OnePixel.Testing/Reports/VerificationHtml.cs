using System.Globalization;
using System.Text;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.Imaging;
using OnePixel.Testing.Verification;

namespace OnePixel.Testing.Reports;

/// <summary>
/// The HTML page of `onepixel verify`: one self-contained file like the attack report. It holds the summary
/// (with what a certificate means for the method used), a gallery of counterexamples (original and changed
/// image side by side, the pixel ringed, as ONNX Runtime scored them), which classes turn into which, and
/// every image's verdict with the effort it took.
/// </summary>
public static class VerificationHtml
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>Renders <paramref name="report"/>; <paramref name="images"/> are those it was made from (matched by name), needed for the gallery.</summary>
    public static string Render(VerificationReport report, IImageSource images, ReportRenderOptions? options = null)
    {
        options ??= new ReportRenderOptions();
        var shown = report.Results.Where(r => r.Vulnerable).Take(options.MaxFooledShown).ToList();
        // Only the counterexamples are drawn, so only their images are kept while the set is read.
        var wanted = shown.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        var byName = new Dictionary<string, LabeledImage>(StringComparer.Ordinal);
        if (wanted.Count > 0)
            foreach (var image in images.Read())
                if (wanted.Contains(image.Name)) byName.TryAdd(image.Name, image);

        var html = new StringBuilder();
        HtmlPage.Start(html, $"onepixel verification: {report.Model?.Path ?? "model"}",
            $"{E(report.ImageSource ?? "")}{(report.Model is { } m ? $" &middot; sha256 {E(m.Sha256)}" : "")}");
        Summary(html, report, options);
        Counterexamples(html, report, shown, byName, images.Source, options);
        Flips(html, report);
        Verdicts(html, report, options);
        if (report.Notes.Count > 0)
        {
            html.Append("<h2>Notes</h2>\n<ul>\n");
            foreach (var note in report.Notes) html.Append("<li>").Append(E(note)).Append("</li>\n");
            html.Append("</ul>\n");
        }
        HtmlPage.End(html);
        return html.ToString();
    }

    public static void Save(VerificationReport report, IImageSource images, string path, ReportRenderOptions? options = null) =>
        AtomicFile.WriteAllText(path, Render(report, images, options));

    /// <summary>What the verdicts of this report promise, in a reader's words.</summary>
    internal static string Guarantee(VerificationReport report) =>
        report.Method == VerificationMethod.Bounds
            ? string.Create(C, $"Certified: no single pixel, set to any 8-bit value or colour, changes the top-1 class; proved from the network in the .onnx file by bounds on every pixel's colours and branch and bound, with a margin of {report.Options.Tolerance} in score units. Counterexamples are changed images the model itself classifies differently.")
            : report.Exact
                ? "Certified: every single-pixel change (every position times every value) was scored by the model and none changed the top-1 class."
                : $"Not exact: RGB images were tried on a grid of colours ({string.Join(", ", report.Options.RgbGrid)} per channel); an image with no counterexample on the grid is not certified.";

    private static void Summary(StringBuilder html, VerificationReport report, ReportRenderOptions options)
    {
        var verdict = options.Verdict(report);
        var summary = report.Summary;
        html.Append("<h2>Summary</h2>\n<table>\n");
        Row(html, "images checked", string.Create(C, $"{report.Checked:N0} of {report.Images:N0} ({summary.Misclassified:N0} already misclassified)"));
        Row(html, "clean accuracy", string.Create(C, $"{summary.Accuracy:P1} ({summary.Correct:N0} of {report.Images:N0} classified correctly)"));
        Row(html, "certified", string.Create(C, $"{report.Certified:N0} (no single-pixel change alters the class)"));
        Row(html, "counterexamples", string.Create(C, $"{report.Vulnerable:N0} ({report.VulnerableRate:P1} of the checked images: the success rate a perfect one-pixel attack would reach)"));
        if (report.Undecided > 0) Row(html, "undecided", string.Create(C, $"{report.Undecided:N0} (the time limit came first; not a certificate)"));
        if (report.NoneFoundOnGrid > 0) Row(html, "none found on the grid", string.Create(C, $"{report.NoneFoundOnGrid:N0} (not a certificate)"));
        if (verdict is not null)
            html.Append(string.Create(C, $"<tr><th>gate</th><td><span class=\"{(verdict.Holds ? "pass" : "fail")}\">{(verdict.Holds ? "PASS" : "FAIL")}</span> {E(verdict.Describe())}</td></tr>\n"));
        Row(html, "method", $"{VerificationJson.MethodName(report.Method)}{(report.Exact ? " (exact)" : " (not exact)")}");
        if (report.Options.MaxSeconds is { } limit) Row(html, "time limit", string.Create(C, $"{limit} s per image"));
        if (report.Model?.Preprocessing is { } preprocessing) Row(html, "preprocessing", preprocessing.ToString());
        Row(html, "queries", string.Create(C, $"{report.Queries:N0} in {report.Seconds:F1} s"));
        html.Append("</table>\n");
        html.Append("<p class=\"muted\">").Append(E(Guarantee(report))).Append("</p>\n");
    }

    private static void Counterexamples(StringBuilder html, VerificationReport report, List<ImageVerification> shown,
        Dictionary<string, LabeledImage> byName, string source, ReportRenderOptions options)
    {
        html.Append(string.Create(C, $"<h2>Counterexamples ({report.Vulnerable:N0})</h2>\n"));
        if (report.Vulnerable == 0)
        {
            html.Append("<p>No image has a one-pixel counterexample.</p>\n");
            return;
        }
        html.Append("<p class=\"muted\">Original (left) and counterexample (right); the changed pixel is ringed in red.</p>\n<div class=\"gallery\">\n");
        foreach (var result in shown)
        {
            if (!byName.TryGetValue(result.Name, out var image))
                throw new OnePixelException($"{source}: holds no image named '{result.Name}', which the report lists as a counterexample; expected the images the report was made from.");
            var pixel = result.Counterexample!;
            var png = AdversarialPicture.Png(image.Image, [pixel], options.Zoom ?? AdversarialPicture.ZoomFor(image.Image.Shape));
            html.Append(HtmlPage.Figure(png, result.Name, "counterexample", report.ClassName(result.Label), result.PredictedConfidence,
                report.ClassName(result.AdversarialLabel!.Value), result.AdversarialConfidence, $"pixel {pixel}"));
        }
        html.Append("</div>\n");
        if (report.Vulnerable > shown.Count)
            html.Append(string.Create(C, $"<p class=\"muted\">and {report.Vulnerable - shown.Count:N0} more, listed in the JSON report.</p>\n"));
    }

    private static void Flips(StringBuilder html, VerificationReport report)
    {
        var flips = ReportFigures.ClassFlips(report);
        if (flips.Count == 0) return;
        html.Append("<h2>Which classes turn into which</h2>\n<table>\n<tr><th>true class</th><th>becomes</th><th class=\"n\">images</th></tr>\n");
        foreach (var flip in flips)
            html.Append(string.Create(C, $"<tr><td>{E(report.ClassName(flip.From))}</td><td>{E(report.ClassName(flip.To))}</td><td class=\"n\">{flip.Count}</td></tr>\n"));
        html.Append("</table>\n");
    }

    private static void Verdicts(StringBuilder html, VerificationReport report, ReportRenderOptions options)
    {
        var bounds = report.Method == VerificationMethod.Bounds;
        html.Append("<h2>Every image</h2>\n<table>\n<tr><th>image</th><th>true class</th><th>verdict</th><th class=\"n\">seconds</th><th class=\"n\">queries</th>");
        if (bounds) html.Append("<th class=\"n\">pixels certified by bounds alone</th><th class=\"n\">boxes split</th>");
        html.Append("</tr>\n");
        foreach (var r in report.Results.Take(options.MaxImagesListed))
        {
            var verdict = VerificationJson.VerdictName(r.Verdict);
            var mark = r.Verdict switch
            {
                VerificationVerdict.Certified => "pass",
                VerificationVerdict.Counterexample => "fail",
                _ => "neutral",
            };
            html.Append(string.Create(C, $"<tr><td>{E(r.Name)}</td><td>{E(report.ClassName(r.Label))}</td><td><span class=\"{mark}\">{E(verdict)}</span>{(r.Checked ? "" : $" <span class=\"muted\">as {E(report.ClassName(r.Predicted))}</span>")}{(r.Note is { } note ? $" <span class=\"muted\">{E(note)}</span>" : "")}</td><td class=\"n\">{r.Seconds:F2}</td><td class=\"n\">{r.Queries:N0}</td>"));
            if (bounds) html.Append(string.Create(C, $"<td class=\"n\">{(r.PositionsCertifiedByBounds is { } p ? p.ToString("N0", C) : "")}</td><td class=\"n\">{(r.BoxesSplit is { } b ? b.ToString("N0", C) : "")}</td>"));
            html.Append("</tr>\n");
        }
        html.Append("</table>\n");
        if (report.Images > options.MaxImagesListed)
            html.Append(string.Create(C, $"<p class=\"muted\">and {report.Images - options.MaxImagesListed:N0} more, listed in the JSON report.</p>\n"));
    }

    private static void Row(StringBuilder html, string name, string value) => html.Append($"<tr><th>{E(name)}</th><td>{E(value)}</td></tr>\n");

    private static string E(string text) => HtmlPage.E(text);
}
