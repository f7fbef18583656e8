using System.Text.RegularExpressions;

namespace OnePixel.Cli.Tests.Commands;

/// <summary>
/// The HTML pages opened in a real headless browser (Debian's chromium, which .ci/run installs): the page
/// renders, every picture decodes, and the screenshot is attached for a person to look at.
/// </summary>
public class HtmlReportInBrowserTests
{
    [Test]
    public void The_html_report_should_render_in_a_browser_with_every_picture_loaded()
    {
        using var folder = new TempFolder();
        var html = folder.File("report.html");
        var attack = Cli.Run("attack", "--model", Repository.FashionV1, "--count", "40", "--budget", "1000", "--quiet", "--html", html);
        attack.ExitCode.Should().BeOneOf([ExitCodes.GateHolds, ExitCodes.GateFails], attack.ToString());
        var pictures = Regex.Count(File.ReadAllText(html), "<img ");
        pictures.Should().BePositive("the report should show fooled images");

        Chromium.CheckEveryPictureLoads(html, pictures, "html-report-screenshot.png");
    }

    [Test]
    public void The_verification_page_should_render_in_a_browser_with_every_counterexample_loaded()
    {
        using var folder = new TempFolder();
        var html = folder.File("verify.html");
        var verify = Cli.Run("verify", "--model", "models/fashion-colour32-cnn.onnx", "--count", "12", "--quiet", "--html", html);
        verify.ExitCode.Should().BeOneOf([ExitCodes.GateHolds, ExitCodes.GateFails], verify.ToString());
        var pictures = Regex.Count(File.ReadAllText(html), "<img ");
        pictures.Should().BePositive("the page should draw the counterexamples");

        Chromium.CheckEveryPictureLoads(html, pictures, "verification-screenshot.png");
    }

    [Test]
    public void The_sample_historys_trend_page_should_render_in_a_browser_with_every_picture_loaded()
    {
        using var folder = new TempFolder();
        var html = folder.File("trend.html");
        var show = Cli.Run("history", "show", Repository.FashionHistory, "--html", html);
        show.ExitCode.Should().Be(ExitCodes.GateHolds, show.ToString());
        var pictures = Regex.Count(File.ReadAllText(html), "<img ");
        pictures.Should().BeGreaterThan(38, "the sample history's pages show the 38 images v2 newly lets through, and more");

        Chromium.CheckEveryPictureLoads(html, pictures, "history-trend-screenshot.png");
    }
}
