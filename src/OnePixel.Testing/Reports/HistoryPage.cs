using System.Globalization;
using System.Text;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.Baselines;
using OnePixel.Testing.History;
using OnePixel.Testing.Imaging;
using OnePixel.Testing.Statistics;

namespace OnePixel.Testing.Reports;

/// <summary>
/// The trend page of a history: one self-contained HTML file (like the attack report: pictures inline, nothing
/// loaded from elsewhere) with the success rate and its 95% interval band and the clean accuracy per version,
/// drawn as an SVG chart with the significant changes marked and the trend broken where records were made
/// differently; the table; and, for each step, the images that flipped, with their pictures.
/// </summary>
public static class HistoryPage
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>At most this many pictures per gallery (newly fooled, no longer fooled); the rest are counted.</summary>
    public const int MaxPicturesPerGallery = 100;

    /// <param name="trend">The history's trend.</param>
    /// <param name="title">What the page is of: the history file's name.</param>
    /// <param name="images">The images a record was made on (matched by name), for the pictures of the images that flipped.</param>
    public static string Render(RobustnessTrend trend, string title, Func<HistoryRecord, IImageSource> images)
    {
        var html = new StringBuilder();
        HtmlPage.Start(html, $"onepixel history: {title}", HtmlPage.E(string.Create(C,
            $"{trend.Records.Count} version{(trend.Records.Count == 1 ? "" : "s")}; changes marked significant when McNemar's exact test on the images that flipped gives p < {trend.Significance}")));
        html.Append("<h2>Trend</h2>\n");
        Chart(html, trend);
        html.Append("<p>").Append(HtmlPage.E(trend.Line())).Append("</p>\n");
        Table(html, trend);
        html.Append("<h2>What changed, version by version</h2>\n");
        if (trend.Steps.Count == 0) html.Append("<p>One version so far: nothing to compare.</p>\n");
        foreach (var step in trend.Steps) Step(html, trend, step, images);
        HtmlPage.End(html);
        return html.ToString();
    }

    public static void Save(RobustnessTrend trend, string title, Func<HistoryRecord, IImageSource> images, string path) =>
        AtomicFile.WriteAllText(path, Render(trend, title, images));

    /// <summary>The images of each record where the history says they are (relative to the history file's folder), or at <paramref name="images"/> for every record.</summary>
    public static Func<HistoryRecord, IImageSource> RecordedImages(string historyPath, string? images = null) => record =>
    {
        var source = images ?? HistoryFile.Resolve(historyPath, record.ImageSet.Source);
        if (!File.Exists(source) && !Directory.Exists(source))
            throw new OnePixelException($"{historyPath}: {record.Label}: imageSet.source '{record.ImageSet.Source}' is not found ({source}), so the pictures cannot be drawn; give the images with --images.");
        return ImageSetLoader.Open(new ImageSetSource(source)
        {
            LabelsPath = images is null && record.ImageSet.Labels is { } labels ? HistoryFile.Resolve(historyPath, labels) : null,
            ClassNames = record.Classes,
        });
    };

    private static void Table(StringBuilder html, RobustnessTrend trend)
    {
        var rows = HistoryTable.Rows(trend);
        html.Append("<table class=\"history\">\n<tr>");
        foreach (var cell in rows[0]) html.Append("<th>").Append(HtmlPage.E(cell)).Append("</th>");
        html.Append("</tr>\n");
        foreach (var row in rows.Skip(1))
        {
            html.Append("<tr>");
            for (var c = 0; c < row.Length; c++)
                html.Append(c >= 3 ? "<td class=\"n\">" : "<td>").Append(HtmlPage.E(row[c])).Append("</td>");
            html.Append("</tr>\n");
        }
        html.Append("</table>\n");
    }

    private static void Step(StringBuilder html, RobustnessTrend trend, TrendStep step, Func<HistoryRecord, IImageSource> images)
    {
        html.Append(string.Create(C, $"<h3>{HtmlPage.E(step.Before.Label)} &rarr; {HtmlPage.E(step.After.Label)} "));
        if (!step.Comparable)
        {
            html.Append("<span class=\"neutral\">not compared</span></h3>\n<ul>\n");
            foreach (var reason in step.Breaks) html.Append("<li>").Append(HtmlPage.E(reason)).Append("</li>\n");
            html.Append("</ul>\n<p class=\"muted\">Records made with other settings, images or engine versions measure something else: the trend breaks here instead of comparing them.</p>\n");
            return;
        }
        var direction = trend.SignificantDirection(step);
        html.Append(direction > 0 ? "<span class=\"fail\">significant rise</span>" : direction < 0 ? "<span class=\"pass\">significant fall</span>" : "<span class=\"neutral\">not significant</span>");
        html.Append("</h3>\n<p>").Append(HtmlPage.E(HistoryTable.StepLine(trend, step))).Append("</p>\n");
        var c = step.Comparison;
        var needed = c.NewlyFooled.Concat(c.NewlyResisting).ToHashSet(StringComparer.Ordinal);
        var originals = new Dictionary<string, ByteImage>(StringComparer.Ordinal);
        if (needed.Count > 0)
            foreach (var image in images(step.After).Read())
                if (needed.Contains(image.Name)) originals.TryAdd(image.Name, image.Image);
        Gallery(html, $"Newly fooled in {step.After.Label}", c.NewlyFooled, step.After, originals);
        Gallery(html, $"No longer fooled in {step.After.Label} (the pixels that fooled {step.Before.Label})", c.NewlyResisting, step.Before, originals);
        if (c.NewlyMisclassified.Count > 0)
        {
            var results = step.After.Results.ToDictionary(r => r.Name, StringComparer.Ordinal);
            html.Append(string.Create(C, $"<p><strong>Newly misclassified in {HtmlPage.E(step.After.Label)} ({c.NewlyMisclassified.Count}):</strong> "));
            html.Append(string.Join(", ", c.NewlyMisclassified.Select(n => results[n] is var r && r.Predicted is { } p
                ? $"{HtmlPage.E(n)} ({HtmlPage.E(step.After.ClassName(r.Label))} taken for {HtmlPage.E(step.After.ClassName(p))})"
                : HtmlPage.E(n))));
            html.Append("</p>\n");
        }
    }

    /// <summary>The pictures of <paramref name="names"/>, each with the pixels that fooled it in <paramref name="fooledIn"/>.</summary>
    private static void Gallery(StringBuilder html, string title, IReadOnlyList<string> names, HistoryRecord fooledIn, Dictionary<string, ByteImage> originals)
    {
        if (names.Count == 0) return;
        html.Append(string.Create(C, $"<p><strong>{HtmlPage.E(title)} ({names.Count}):</strong></p>\n<div class=\"gallery\">\n"));
        var results = fooledIn.Results.ToDictionary(r => r.Name, StringComparer.Ordinal);
        foreach (var name in names.Take(MaxPicturesPerGallery))
        {
            var r = results[name];
            if (!originals.TryGetValue(name, out var original))
                throw new OnePixelException($"{fooledIn.Label}: the images hold no image named '{name}', which the history lists as flipped; expected the images the history was made on.");
            var pixels = r.Pixels ?? [];
            // Half the attack report's size: a step can flip dozens of images.
            var png = AdversarialPicture.Png(original, pixels, Math.Max(1, AdversarialPicture.ZoomFor(original.Shape) / 2));
            html.Append(string.Create(C, $"""
                <figure>
                {HtmlPage.Image(png, $"{name}: original and adversarial")}
                <div class="pair"><span>original</span><span>adversarial</span></div>
                <figcaption><strong>{HtmlPage.E(name)}</strong><br>{HtmlPage.E(fooledIn.ClassName(r.Label))} &rarr; <strong>{HtmlPage.E(fooledIn.ClassName(r.AdversarialLabel ?? r.Label))}</strong><br>pixel {HtmlPage.E(string.Join(" ", pixels))}</figcaption>
                </figure>

                """));
        }
        html.Append("</div>\n");
        if (names.Count > MaxPicturesPerGallery)
            html.Append(string.Create(C, $"<p class=\"muted\">and {names.Count - MaxPicturesPerGallery:N0} more, listed in the history file.</p>\n"));
    }

    /// <summary>Success rate with its interval band, clean accuracy and (when measured) the verified vulnerable rate, per version.</summary>
    private static void Chart(StringBuilder html, RobustnessTrend trend)
    {
        var records = trend.Records;
        if (records.Count == 0)
        {
            html.Append("<p>No records.</p>\n");
            return;
        }
        const int width = 800, height = 360, left = 60, right = 80, top = 40, bottom = 60;
        double X(int i) => records.Count == 1 ? (left + width - right) / 2.0 : left + i * (double)(width - left - right) / (records.Count - 1);
        double Y(double rate) => top + (1 - rate) * (height - top - bottom);
        var svg = new StringBuilder();
        svg.Append(string.Create(C, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"success rate and clean accuracy by version\" font-size=\"12\" font-family=\"sans-serif\">\n"));
        for (var i = 0; i <= 5; i++)
        {
            var r = i / 5.0;
            svg.Append(string.Create(C, $"<line x1=\"{left}\" x2=\"{width - right}\" y1=\"{Y(r):F1}\" y2=\"{Y(r):F1}\" stroke=\"#e5e5e5\"/><text x=\"{left - 6}\" y=\"{Y(r) + 4:F1}\" text-anchor=\"end\">{r:P0}</text>\n"));
        }
        svg.Append(string.Create(C, $"<line x1=\"{left}\" x2=\"{width - right}\" y1=\"{Y(0):F1}\" y2=\"{Y(0):F1}\" stroke=\"#333\"/>\n"));
        for (var i = 0; i < records.Count; i++)
            svg.Append(string.Create(C, $"<text x=\"{X(i):F1}\" y=\"{Y(0) + 18:F1}\" text-anchor=\"middle\" font-weight=\"600\">{HtmlPage.E(records[i].Label)}</text><text x=\"{X(i):F1}\" y=\"{Y(0) + 33:F1}\" text-anchor=\"middle\" fill=\"#666\">{HtmlPage.E(records[i].Date.Length > 10 ? records[i].Date[..10] : records[i].Date)}</text>\n"));

        // Comparable runs of versions are drawn joined; the trend breaks between records made differently.
        var segments = new List<(int From, int To)>();
        var start = 0;
        for (var i = 0; i < trend.Steps.Count; i++)
            if (!trend.Steps[i].Comparable)
            {
                segments.Add((start, i));
                var x = (X(i) + X(i + 1)) / 2;
                svg.Append(string.Create(C, $"<line x1=\"{x:F1}\" x2=\"{x:F1}\" y1=\"{top - 10}\" y2=\"{Y(0):F1}\" stroke=\"#999\" stroke-dasharray=\"4 4\"/><text x=\"{x:F1}\" y=\"{top - 14}\" text-anchor=\"middle\" fill=\"#666\">not compared</text>\n"));
                start = i + 1;
            }
        segments.Add((start, records.Count - 1));
        foreach (var (from, to) in segments)
        {
            var band = new StringBuilder();
            for (var i = from; i <= to; i++) band.Append(string.Create(C, $"{X(i):F1},{Y(records[i].SuccessRateInterval.High):F1} "));
            for (var i = to; i >= from; i--) band.Append(string.Create(C, $"{X(i):F1},{Y(records[i].SuccessRateInterval.Low):F1} "));
            if (from == to)
                svg.Append(string.Create(C, $"<line x1=\"{X(from):F1}\" x2=\"{X(from):F1}\" y1=\"{Y(records[from].SuccessRateInterval.Low):F1}\" y2=\"{Y(records[from].SuccessRateInterval.High):F1}\" stroke=\"#0969da\" stroke-opacity=\"0.35\" stroke-width=\"10\"/>\n"));
            else
                svg.Append($"<polygon points=\"{band.ToString().TrimEnd()}\" fill=\"#0969da\" fill-opacity=\"0.15\" stroke=\"none\"/>\n");
            svg.Append($"<polyline points=\"{Points(from, to, i => records[i].SuccessRate)}\" fill=\"none\" stroke=\"#0969da\" stroke-width=\"2.5\"/>\n");
            svg.Append($"<polyline points=\"{Points(from, to, i => records[i].Accuracy)}\" fill=\"none\" stroke=\"#1a7f37\" stroke-width=\"2\" stroke-dasharray=\"6 3\"/>\n");
        }
        string Points(int from, int to, Func<int, double> rate) =>
            string.Join(" ", Enumerable.Range(from, to - from + 1).Select(i => string.Create(C, $"{X(i):F1},{Y(rate(i)):F1}")));
        for (var i = 0; i < records.Count; i++)
        {
            var r = records[i];
            svg.Append(string.Create(C, $"<circle cx=\"{X(i):F1}\" cy=\"{Y(r.SuccessRate):F1}\" r=\"4.5\" fill=\"#0969da\"><title>{HtmlPage.E(r.Label)}: success rate {r.SuccessRate:P1} ({r.SuccessRateInterval.Low:P1}..{r.SuccessRateInterval.High:P1})</title></circle>"));
            svg.Append(string.Create(C, $"<text x=\"{X(i) + 8:F1}\" y=\"{Y(r.SuccessRate) + 4:F1}\" fill=\"#0969da\">{r.SuccessRate:P1}</text>\n"));
            svg.Append(string.Create(C, $"<rect x=\"{X(i) - 4:F1}\" y=\"{Y(r.Accuracy) - 4:F1}\" width=\"8\" height=\"8\" fill=\"#1a7f37\"><title>{HtmlPage.E(r.Label)}: clean accuracy {r.Accuracy:P1}</title></rect>"));
            svg.Append(string.Create(C, $"<text x=\"{X(i) + 8:F1}\" y=\"{Y(r.Accuracy) - 6:F1}\" fill=\"#1a7f37\">{r.Accuracy:P1}</text>\n"));
            if (r.Verification is { } v)
                svg.Append(string.Create(C, $"<path d=\"M{X(i) - 5:F1},{Y(v.VulnerableRate) - 5:F1} l10,10 m0,-10 l-10,10\" stroke=\"#bc4c00\" stroke-width=\"2\"><title>{HtmlPage.E(r.Label)}: verified vulnerable rate {v.VulnerableRate:P1}</title></path>\n"));
        }
        for (var i = 0; i < trend.Steps.Count; i++)
        {
            var direction = trend.SignificantDirection(trend.Steps[i]);
            if (direction == 0) continue;
            var (x, y) = ((X(i) + X(i + 1)) / 2, (Y(records[i].SuccessRate) + Y(records[i + 1].SuccessRate)) / 2);
            var colour = direction > 0 ? "#cf222e" : "#1a7f37";
            svg.Append(string.Create(C, $"<text x=\"{x:F1}\" y=\"{y - 10:F1}\" text-anchor=\"middle\" fill=\"{colour}\" font-weight=\"600\">{(direction > 0 ? "\u25B2 significant rise" : "\u25BC significant fall")}</text><text x=\"{x:F1}\" y=\"{y + 6:F1}\" text-anchor=\"middle\" fill=\"{colour}\">p = {PairedChange.Format(trend.Steps[i].Paired.PValue)}</text>\n"));
        }
        var hasVerification = records.Any(r => r.Verification is not null);
        svg.Append(string.Create(C, $"<g transform=\"translate({left},{height - 14})\"><rect width=\"18\" height=\"8\" y=\"-8\" fill=\"#0969da\" fill-opacity=\"0.3\"/><text x=\"24\">success rate (band: 95% Wilson interval)</text><rect x=\"290\" y=\"-8\" width=\"8\" height=\"8\" fill=\"#1a7f37\"/><text x=\"304\">clean accuracy</text>{(hasVerification ? "<text x=\"420\" fill=\"#bc4c00\">\u00D7 verified vulnerable rate</text>" : "")}</g>\n"));
        svg.Append("</svg>\n");
        html.Append(svg);
    }
}
