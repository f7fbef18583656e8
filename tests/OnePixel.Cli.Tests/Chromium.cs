using System.Diagnostics;

namespace OnePixel.Cli.Tests;

/// <summary>
/// A real headless browser (Debian's chromium, which .ci/run installs) for the HTML pages: the DOM after the page's
/// scripts ran, and screenshots. CI must have it; elsewhere a test that needs it is skipped with a note.
/// </summary>
internal static class Chromium
{
    /// <summary>Chromium from PATH, else the test fails saying how to install it.</summary>
    public static string Find()
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

    /// <summary>Runs chromium headless with <paramref name="args"/> in <paramref name="folder"/>, with a profile of its own; its standard output.</summary>
    public static string Browse(string chromium, string folder, params string[] args)
    {
        var profile = Directory.CreateTempSubdirectory("onepixel-chromium-").FullName;
        try
        {
            var start = new ProcessStartInfo(chromium)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = folder,
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
    /// Opens <paramref name="html"/> and checks that the page ran its script and every one of its pictures decoded
    /// (the pages mark data-images and data-images-loaded on the body); returns the screenshot's path.
    /// </summary>
    public static string CheckEveryPictureLoads(string html, int pictures, string screenshotName, string window = "1280,1800")
    {
        var chromium = Find();
        var folder = Path.GetDirectoryName(html)!;
        var dom = Browse(chromium, folder, "--dump-dom", new Uri(html).AbsoluteUri);
        var screenshot = Path.Combine(folder, screenshotName);
        Browse(chromium, folder, $"--screenshot={screenshot}", $"--window-size={window}", new Uri(html).AbsoluteUri);

        dom.Should().Contain($"data-images=\"{pictures}\"").And.Contain($"data-images-loaded=\"{pictures}\"");
        new FileInfo(screenshot).Length.Should().BeGreaterThan(20_000, "a rendered page with pictures is no blank PNG");
        File.ReadAllBytes(screenshot).Take(8).Should().Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A });
        var kept = Path.Combine(TestContext.CurrentContext.WorkDirectory, screenshotName);
        File.Copy(screenshot, kept, overwrite: true);
        TestContext.AddTestAttachment(kept, "the page as chromium draws it");
        return screenshot;
    }
}
