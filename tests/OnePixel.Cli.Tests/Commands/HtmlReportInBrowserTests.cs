using System.Diagnostics;
using System.Text.RegularExpressions;

namespace OnePixel.Cli.Tests.Commands;

/// <summary>
/// The HTML report opened in a real headless browser (Debian's chromium, which .ci/run installs):
/// the page renders, every picture decodes, and the screenshot is attached for a person to look at.
/// </summary>
public class HtmlReportInBrowserTests
{
    [Test]
    public void The_html_report_should_render_in_a_browser_with_every_picture_loaded()
    {
        var chromium = FindChromium();
        using var folder = new TempFolder();
        var html = folder.File("report.html");
        var attack = Cli.Run("attack", "--model", Repository.FashionV1, "--count", "40", "--budget", "1000", "--quiet", "--html", html);
        attack.ExitCode.Should().BeOneOf([ExitCodes.GateHolds, ExitCodes.GateFails], attack.ToString());
        var pictures = Regex.Count(File.ReadAllText(html), "<img ");
        pictures.Should().BePositive("the report should show fooled images");

        var dom = Browse(chromium, folder, "--dump-dom", new Uri(html).AbsoluteUri);
        var screenshot = folder.File("report.png");
        Browse(chromium, folder, $"--screenshot={screenshot}", "--window-size=1280,1800", new Uri(html).AbsoluteUri);

        dom.Should().Contain($"data-images=\"{pictures}\"").And.Contain($"data-images-loaded=\"{pictures}\"");
        new FileInfo(screenshot).Length.Should().BeGreaterThan(20_000, "a rendered page with pictures is no blank PNG");
        File.ReadAllBytes(screenshot).Take(8).Should().Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A });
        var kept = Path.Combine(TestContext.CurrentContext.WorkDirectory, "html-report-screenshot.png");
        File.Copy(screenshot, kept, overwrite: true);
        TestContext.AddTestAttachment(kept, "the HTML report as chromium draws it");
    }

    private static string Browse(string chromium, TempFolder folder, params string[] args)
    {
        var profile = Directory.CreateTempSubdirectory("onepixel-chromium-").FullName;
        try
        {
            var start = new ProcessStartInfo(chromium)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = folder.Path,
            };
            foreach (var arg in new[]
                     {
                         "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         $"--user-data-dir={profile}",
                     }.Concat(args))
                start.ArgumentList.Add(arg);
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"chromium did not finish within 60 s: {string.Join(' ', args)}");
            }
            process.ExitCode.Should().Be(0, error.Result);
            return output.Result;
        }
        finally
        {
            try { Directory.Delete(profile, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>
    /// Chromium from PATH. Missing, the test fails with the line that installs it, on every machine: the
    /// README's test command means the same everywhere, and a skipped check would read as a passed one.
    /// </summary>
    private static string FindChromium()
    {
        foreach (var name in new[] { "chromium", "chromium-browser" })
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            var path = Path.Combine(dir, name);
            if (File.Exists(path)) return path;
        }
        Assert.Fail("chromium is not installed (looked for chromium and chromium-browser on PATH). Install it with: sudo apt-get install chromium (.ci/run installs it).");
        return "";
    }
}
