using System.Net;
using System.Text;

namespace OnePixel.Testing.Reports;

/// <summary>
/// The frame every HTML page of the tool shares (the attack report, the history's trend page): one self-contained
/// file, the style inline, pictures as data URIs, and a script that marks on the body how many pictures there are
/// and how many decoded, so an automated check (and a person with dev tools) sees that every picture loaded.
/// </summary>
internal static class HtmlPage
{
    /// <summary>Everything up to and including the page's heading and its muted subtitle line.</summary>
    public static void Start(StringBuilder html, string title, string subtitle)
    {
        html.Append($$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{E(title)}}</title>
            <style>
            body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; margin: 2rem; color: #1d1d1f; background: #fff; max-width: 1200px; }
            h1 { font-size: 1.5rem; margin-bottom: .25rem; }
            h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #ddd; padding-bottom: .25rem; }
            h3 { font-size: 1rem; margin-top: 1.25rem; }
            table { border-collapse: collapse; }
            th, td { text-align: left; padding: .3rem .7rem; border-bottom: 1px solid #eee; }
            td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
            .pass { color: #fff; background: #1a7f37; padding: .1rem .5rem; border-radius: .3rem; font-weight: 600; }
            .fail { color: #fff; background: #cf222e; padding: .1rem .5rem; border-radius: .3rem; font-weight: 600; }
            .neutral { color: #1d1d1f; background: #eaeef2; padding: .1rem .5rem; border-radius: .3rem; font-weight: 600; }
            .gallery { display: flex; flex-wrap: wrap; gap: 1.25rem; }
            figure { margin: 0; padding: .5rem; border: 1px solid #ddd; border-radius: .4rem; }
            figure img { display: block; image-rendering: pixelated; }
            figcaption { font-size: .85rem; margin-top: .4rem; line-height: 1.35; }
            .pair { display: flex; justify-content: space-around; font-size: .75rem; color: #666; }
            .muted { color: #666; }
            table.confusion td { text-align: center; min-width: 2.5rem; }
            table.history th, table.history td { white-space: nowrap; font-size: .9rem; padding: .3rem .5rem; }
            table.history th:nth-last-child(-n+2), table.history td:nth-last-child(-n+2) { white-space: normal; max-width: 9rem; }
            </style>
            </head>
            <body>
            <h1>{{E(title)}}</h1>
            <p class="muted">{{subtitle}}</p>

            """);
    }

    /// <summary>The closing script and tags.</summary>
    public static void End(StringBuilder html) =>
        html.Append("""
            <script>
            window.addEventListener('load', function () {
              var images = Array.prototype.slice.call(document.images);
              document.body.setAttribute('data-images', String(images.length));
              document.body.setAttribute('data-images-loaded', String(images.filter(function (i) { return i.complete && i.naturalWidth > 0; }).length));
            });
            </script>
            </body>
            </html>

            """);

    /// <summary>A picture inline: PNG bytes as a data URI.</summary>
    public static string Image(byte[] png, string alt) => $"<img src=\"data:image/png;base64,{Convert.ToBase64String(png)}\" alt=\"{E(alt)}\">";

    public static string E(string text) => WebUtility.HtmlEncode(text);

    /// <summary>
    /// A gallery's figure: the picture of an original beside its <paramref name="changed"/> image (adversarial,
    /// counterexample), captioned with the image's name, the class before and after, and <paramref name="details"/>.
    /// </summary>
    public static string Figure(byte[] png, string name, string changed, string from, float fromConfidence, string to, float? toConfidence, string details) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"""
            <figure>
            {Image(png, $"{name}: original and {changed}")}
            <div class="pair"><span>original</span><span>{E(changed)}</span></div>
            <figcaption><strong>{E(name)}</strong><br>{E(from)} ({fromConfidence:P1}) &rarr; <strong>{E(to)}</strong> ({toConfidence:P1})<br>{E(details)}</figcaption>
            </figure>

            """);
}
