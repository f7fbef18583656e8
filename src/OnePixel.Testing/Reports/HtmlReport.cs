using System.Globalization;
using System.Net;
using System.Text;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.Imaging;

namespace OnePixel.Testing.Reports;

/// <summary>How an HTML or Markdown report is drawn.</summary>
public sealed record ReportRenderOptions
{
    /// <summary>The gate's maximum success rate, shown with its verdict; null leaves the gate out.</summary>
    public double? MaxSuccessRate { get; init; }

    /// <summary>The gate's minimum clean accuracy, part of its verdict; null: no floor.</summary>
    public double? MinAccuracy { get; init; }

    /// <summary>The gate's verdict on <paramref name="report"/>, or null when no gate was asked for.</summary>
    public GateVerdict? Verdict(AttackReport report) =>
        MaxSuccessRate is { } gate ? RobustnessGate.Judge(report.Summary, gate, MinAccuracy) : null;

    /// <summary>The gate's verdict on a verification <paramref name="report"/>, or null when no gate was asked for.</summary>
    public GateVerdict? Verdict(Verification.VerificationReport report) =>
        MaxSuccessRate is { } gate ? RobustnessGate.Judge(report, gate, MinAccuracy) : null;

    /// <summary>At most this many fooled images (or counterexamples) are drawn (or listed, in Markdown); the rest are counted.</summary>
    public int MaxFooledShown { get; init; } = 200;

    /// <summary>A verification report lists at most this many images' verdicts in its table; the rest are counted.</summary>
    public int MaxImagesListed { get; init; } = 1000;

    /// <summary>Pixel zoom of the pictures; null picks one that makes images about 224 pixels across.</summary>
    public int? Zoom { get; init; }
}

/// <summary>
/// The HTML report: one self-contained file (pictures inline as PNG data URIs, the chart inline
/// SVG, no script or style from elsewhere) that a CI system can publish as it is. It holds the
/// summary, a gallery of fooled images (original and adversarial side by side, enlarged, the
/// pixel ringed), which classes turned into which, and the success rate by query budget.
/// </summary>
public static class HtmlReport
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>Renders <paramref name="report"/>; <paramref name="images"/> are those it was made from (matched by name), needed for the gallery.</summary>
    public static string Render(AttackReport report, IImageSource images, ReportRenderOptions? options = null)
    {
        options ??= new ReportRenderOptions();
        // Only the fooled images are drawn, so only they are kept while the set is read.
        var fooled = report.FooledResults.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        var byName = new Dictionary<string, LabeledImage>(StringComparer.Ordinal);
        foreach (var image in images.Read())
            if (fooled.Contains(image.Name)) byName.TryAdd(image.Name, image);
        var s = report.Summary;
        var title = $"onepixel report: {report.Model?.Path ?? "model"}";
        var html = new StringBuilder();
        HtmlPage.Start(html, title, $"{E(report.ImageSource ?? "")}{(report.Model is { } m ? $" &middot; sha256 {E(m.Sha256)}" : "")}");
        Summary(html, report, options);
        Gallery(html, report, byName, images.Source, options);
        Confusion(html, report);
        Chart(html, report, options);
        HtmlPage.End(html);
        return html.ToString();
    }

    public static void Save(AttackReport report, IImageSource images, string path, ReportRenderOptions? options = null) =>
        AtomicFile.WriteAllText(path, Render(report, images, options));

    private static void Summary(StringBuilder html, AttackReport report, ReportRenderOptions options)
    {
        var s = report.Summary;
        var o = report.Options;
        html.Append("<h2>Summary</h2>\n<table>\n");
        Row(html, "images attacked", string.Create(C, $"{s.Attacked:N0} of {s.Images:N0} ({s.Misclassified:N0} already misclassified)"));
        Row(html, "clean accuracy", string.Create(C, $"{s.Accuracy:P1} ({s.Correct:N0} of {s.Images:N0} classified correctly)"));
        Row(html, "fooled", s.Fooled.ToString("N0", C));
        Row(html, "success rate", string.Create(C, $"{s.SuccessRate:P1} (95% interval {s.SuccessRateInterval.Low:P1} to {s.SuccessRateInterval.High:P1})"));
        if (options.Verdict(report) is { } verdict)
            html.Append(string.Create(C, $"<tr><th>gate</th><td><span class=\"{(verdict.Holds ? "pass" : "fail")}\">{(verdict.Holds ? "PASS" : "FAIL")}</span> {WebUtility.HtmlEncode(verdict.Describe())}</td></tr>\n"));
        if (report.Model?.Preprocessing is { } preprocessing)
            Row(html, "preprocessing", preprocessing.ToString());
        Row(html, "budget", string.Create(C, $"{o.Budget.MaxQueries:N0} queries per image (population {o.Budget.Population}, {o.Budget.Generations} generations)"));
        Row(html, "attack", string.Create(C, $"{o.Pixels} pixel{(o.Pixels == 1 ? "" : "s")}, {JsonReport.ModeName(o.Mode)}{(o.Target is { } t ? $" towards {report.ClassName(t)}" : "")}, seed {o.Seed}"));
        Row(html, "queries", string.Create(C, $"{s.Queries:N0} in {s.Seconds:F1} s"));
        html.Append("</table>\n");
    }

    private static void Gallery(StringBuilder html, AttackReport report, Dictionary<string, LabeledImage> byName, string source, ReportRenderOptions options)
    {
        var fooled = report.FooledResults.ToList();
        html.Append(string.Create(C, $"<h2>Fooled images ({fooled.Count:N0})</h2>\n"));
        if (fooled.Count == 0)
        {
            html.Append("<p>No image was fooled.</p>\n");
            return;
        }
        html.Append("<p class=\"muted\">Original (left) and adversarial (right); the changed pixel is ringed in red.</p>\n<div class=\"gallery\">\n");
        foreach (var result in fooled.Take(options.MaxFooledShown))
        {
            if (!byName.TryGetValue(result.Name, out var image))
                throw new OnePixelException($"{source}: holds no image named '{result.Name}', which the report lists as fooled; expected the images the report was made from.");
            var zoom = options.Zoom ?? AdversarialPicture.ZoomFor(image.Image.Shape);
            var png = AdversarialPicture.Png(image.Image, result, zoom);
            var pixels = string.Join(" ", result.Pixels.Select(p => p.ToString()));
            html.Append(HtmlPage.Figure(png, result.Name, "adversarial", report.ClassName(result.Label), result.PredictedConfidence,
                report.ClassName(result.AdversarialLabel!.Value), result.AdversarialConfidence, string.Create(C, $"pixel {pixels} \u00b7 {result.Queries:N0} queries")));
        }
        html.Append("</div>\n");
        if (fooled.Count > options.MaxFooledShown)
            html.Append(string.Create(C, $"<p class=\"muted\">and {fooled.Count - options.MaxFooledShown:N0} more, listed in the JSON report.</p>\n"));
    }

    private static void Confusion(StringBuilder html, AttackReport report)
    {
        var flips = ReportFigures.ClassFlips(report);
        html.Append("<h2>Which classes turn into which</h2>\n");
        if (flips.Count == 0)
        {
            html.Append("<p>No class changed.</p>\n");
            return;
        }
        // Only the classes involved, so a 1000-class model still gives a readable table.
        var from = flips.Select(f => f.From).Distinct().Order().ToList();
        var to = flips.Select(f => f.To).Distinct().Order().ToList();
        var counts = flips.ToDictionary(f => (f.From, f.To), f => f.Count);
        html.Append("<table class=\"confusion\">\n<tr><th>true class &darr; / became &rarr;</th>");
        foreach (var t in to) html.Append($"<th>{E(report.ClassName(t))}</th>");
        html.Append("</tr>\n");
        foreach (var f in from)
        {
            html.Append($"<tr><th>{E(report.ClassName(f))}</th>");
            foreach (var t in to)
                html.Append(counts.TryGetValue((f, t), out var n) ? $"<td><strong>{n}</strong></td>" : "<td class=\"muted\">&middot;</td>");
            html.Append("</tr>\n");
        }
        html.Append("</table>\n");
    }

    private static void Chart(StringBuilder html, AttackReport report, ReportRenderOptions options)
    {
        html.Append("<h2>Success rate by query budget</h2>\n");
        if (report.Summary.Attacked == 0)
        {
            html.Append("<p>No image was attacked.</p>\n");
            return;
        }
        var points = ReportFigures.SuccessByBudget(report);
        var budget = report.Options.Budget.MaxQueries;
        var top = Math.Max(points[^1].SuccessRate, options.MaxSuccessRate ?? 0);
        var yMax = new[] { 0.05, 0.1, 0.2, 0.25, 0.5, 1.0 }.First(v => v >= top - 1e-12 || v == 1.0);
        const int width = 640, height = 320, left = 60, right = 20, topMargin = 15, bottom = 45;
        double X(double q) => left + q / budget * (width - left - right);
        double Y(double r) => topMargin + (1 - r / yMax) * (height - topMargin - bottom);

        var svg = new StringBuilder();
        svg.Append(string.Create(C, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"success rate by query budget\" font-size=\"12\" font-family=\"sans-serif\">\n"));
        for (var i = 0; i <= 5; i++)
        {
            var r = yMax * i / 5;
            svg.Append(string.Create(C, $"<line x1=\"{left}\" x2=\"{width - right}\" y1=\"{Y(r):F1}\" y2=\"{Y(r):F1}\" stroke=\"#e5e5e5\"/><text x=\"{left - 6}\" y=\"{Y(r) + 4:F1}\" text-anchor=\"end\">{r:P0}</text>\n"));
        }
        for (var i = 0; i <= 4; i++)
        {
            var q = (double)budget * i / 4;
            svg.Append(string.Create(C, $"<line x1=\"{X(q):F1}\" x2=\"{X(q):F1}\" y1=\"{Y(0):F1}\" y2=\"{Y(0) + 5:F1}\" stroke=\"#333\"/><text x=\"{X(q):F1}\" y=\"{Y(0) + 18:F1}\" text-anchor=\"middle\">{q:N0}</text>\n"));
        }
        svg.Append(string.Create(C, $"<line x1=\"{left}\" x2=\"{width - right}\" y1=\"{Y(0):F1}\" y2=\"{Y(0):F1}\" stroke=\"#333\"/><line x1=\"{left}\" x2=\"{left}\" y1=\"{topMargin}\" y2=\"{Y(0):F1}\" stroke=\"#333\"/>\n"));
        svg.Append(string.Create(C, $"<text x=\"{(left + width - right) / 2}\" y=\"{height - 5}\" text-anchor=\"middle\">queries per image</text>\n"));
        if (options.MaxSuccessRate is { } gate && gate <= yMax)
            svg.Append(string.Create(C, $"<line x1=\"{left}\" x2=\"{width - right}\" y1=\"{Y(gate):F1}\" y2=\"{Y(gate):F1}\" stroke=\"#cf222e\" stroke-dasharray=\"6 4\"/><text x=\"{width - right}\" y=\"{Y(gate) - 5:F1}\" text-anchor=\"end\" fill=\"#cf222e\">gate {gate:P0}</text>\n"));
        // A step line: the rate jumps at the query count where each image was fooled.
        var path = new StringBuilder(string.Create(C, $"M{X(0):F1},{Y(0):F1}"));
        var previous = 0.0;
        foreach (var point in points.Skip(1))
        {
            path.Append(string.Create(C, $" L{X(point.Queries):F1},{Y(previous):F1} L{X(point.Queries):F1},{Y(point.SuccessRate):F1}"));
            previous = point.SuccessRate;
        }
        svg.Append(string.Create(C, $"<path d=\"{path}\" fill=\"none\" stroke=\"#0969da\" stroke-width=\"2\"/>\n"));
        svg.Append("</svg>\n");
        html.Append(svg);
        html.Append(string.Create(C, $"<p class=\"muted\">Share of the {report.Summary.Attacked:N0} attacked images fooled within a given number of queries: what a smaller budget would have found. At half the budget: {ReportFigures.SuccessRateAt(report, budget / 2):P1}; at the full budget: {report.Summary.SuccessRate:P1}.</p>\n"));
    }

    private static void Row(StringBuilder html, string name, string value) => html.Append($"<tr><th>{E(name)}</th><td>{E(value)}</td></tr>\n");

    private static string E(string text) => HtmlPage.E(text);
}
