using System.Diagnostics;
using System.Globalization;
using OnePixel.Testing;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;

namespace OnePixel.Cli.Commands;

/// <summary>
/// The bench's memory figures: the peak working set of attacking folders of 100, 1,000 and N PNG
/// files, read one image at a time as `onepixel attack` reads them. Each run is a fresh process:
/// a process's peak only rises, so runs sharing one would hide each other. A last run loads the N
/// images into memory first, to show what reading them one at a time saves.
/// </summary>
internal static class BenchMemory
{
    /// <summary>The hidden option that makes `onepixel bench` one such run: attack this folder and print its peak.</summary>
    public const string RunOption = "--memory-run";
    public const string HoldOption = "--memory-hold";

    private const string ResultPrefix = "memory-run";

    public static void Measure(BenchCommand.BenchSettings settings, ImageSet samples, TextWriter output)
    {
        output.WriteLine($"peak memory (a fresh process per run: load the model, attack a folder of PNG files at {settings.MemoryBudget} queries per image)");
        var root = Directory.CreateTempSubdirectory("onepixel-bench-");
        try
        {
            // 100 and 1,000 images (those below the large run), then the large run last.
            int[] sizes = [.. new[] { 100, 1_000 }.Where(n => n < settings.MemoryImages).Append(settings.MemoryImages)];
            var folders = sizes.ToDictionary(n => n, n => WriteFolder(root.FullName, samples, n));
            var runs = sizes.Select(n => (Images: n, Run: RunChild(settings, folders[n], hold: false))).ToList();
            var held = RunChild(settings, folders[settings.MemoryImages], hold: true);
            foreach (var (images, run) in runs)
                output.WriteLine($"  {images,6:N0} images, read one at a time   peak working set {run.Peak / 1e6,7:N1} MB   live managed memory after the run {run.Live / 1e6,5:N1} MB");
            output.WriteLine($"  {settings.MemoryImages,6:N0} images, loaded first       peak working set {held.Peak / 1e6,7:N1} MB   live managed memory after the run {held.Live / 1e6,5:N1} MB");
            var small = runs[0].Run;
            var large = runs[^1].Run;
            output.WriteLine($"  ratio: {settings.MemoryImages:N0} vs {sizes[0]:N0} images {large.Peak / (double)small.Peak:0.00}x (target <= 1.20x); loaded first {held.Peak / (double)small.Peak:0.00}x; the report keeps {(large.Live - small.Live) / (double)Math.Max(1, settings.MemoryImages - sizes[0]):N0} bytes per extra image (its result)");
            output.WriteLine(large.Gen0Budget > 0
                ? $"  garbage collector: gen0 budget at most {large.Gen0Budget / 1e6:0.0} MB ({Gen0BudgetSetting} in onepixel.runtimeconfig.json)"
                : $"  garbage collector: gen0 budget not capped ({Gen0BudgetSetting} not read by this runtime): peaks include its default budget");
        }
        finally
        {
            root.Delete(recursive: true);
        }
        output.WriteLine();
    }

    /// <summary>A folder of <paramref name="count"/> PNG files with labels.csv: the samples repeated, each file with its own name.</summary>
    private static string WriteFolder(string root, ImageSet samples, int count)
    {
        var folder = Directory.CreateDirectory(Path.Combine(root, count.ToString(CultureInfo.InvariantCulture))).FullName;
        using var labels = new StreamWriter(Path.Combine(folder, ImageSetLoader.LabelsFileName));
        labels.WriteLine("file,label");
        for (var i = 0; i < count; i++)
        {
            var sample = samples.Images[i % samples.Count];
            var name = $"{i:D6}.png";
            File.WriteAllBytes(Path.Combine(folder, name), ImageFile.EncodePng(sample.Image));
            labels.WriteLine($"{name},{sample.Label}");
        }
        return folder;
    }

    private const string Gen0BudgetSetting = "System.GC.Gen0MaxBudget";

    // Gen0Budget: the cap on the garbage collector's gen0 budget the run's runtime read (0: none).
    private readonly record struct MemoryRun(long Peak, long Live, long Gen0Budget);

    /// <summary>Runs `onepixel bench --memory-run FOLDER` in a new process and reads its figures.</summary>
    private static MemoryRun RunChild(BenchCommand.BenchSettings settings, string folder, bool hold)
    {
        // The same onepixel.dll through the dotnet host: right under `dotnet run`, as a tool, and inside a test host.
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } fromSdk ? fromSdk
            : Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[]
                 {
                     typeof(BenchMemory).Assembly.Location, "bench", "--model", Path.GetFullPath(settings.Model), RunOption, folder,
                     "--memory-budget", settings.MemoryBudget.ToString(CultureInfo.InvariantCulture), "--threads", settings.Threads.ToString(CultureInfo.InvariantCulture),
                 })
            start.ArgumentList.Add(argument);
        if (hold) start.ArgumentList.Add(HoldOption);
        using var process = Process.Start(start) ?? throw new OnePixelException($"bench: could not start {host} for a memory run.");
        var error = process.StandardError.ReadToEndAsync();
        var text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(ResultPrefix, StringComparison.Ordinal));
        if (process.ExitCode != 0 || line is null)
            throw new OnePixelException($"bench: the memory run on {folder} failed (exit {process.ExitCode}): {error.Result.Trim()}");
        var fields = line.Split(' ');
        return new MemoryRun(long.Parse(fields[1], CultureInfo.InvariantCulture), long.Parse(fields[2], CultureInfo.InvariantCulture), long.Parse(fields[3], CultureInfo.InvariantCulture));
    }

    /// <summary>One memory run, in this process: attack the folder (streamed, or loaded first) and print "memory-run PEAK LIVE GEN0CAP" in bytes.</summary>
    public static void Run(string model, string folder, bool hold, int budget, int threads, TextWriter output)
    {
        using var loaded = LoadedModel.Load(model);
        var stream = ImageSetLoader.Open(new ImageSetSource(folder) { ClassNames = loaded.Classifier.ClassNames });
        IImageSource images = hold ? stream.ToImageSet() : stream;
        var report = new AttackRunner(loaded.Classifier, new AttackOptions { Budget = AttackBudget.Queries(budget), Threads = threads }).Run(images);
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var live = GC.GetTotalMemory(forceFullCollection: true); // what the run still holds: its report (and the images, when loaded first)
        GC.KeepAlive(report);
        GC.KeepAlive(images);
        var gen0Budget = GC.GetConfigurationVariables().TryGetValue("GCGen0MaxBudget", out var value) && value is long bytes ? bytes : 0;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{ResultPrefix} {process.PeakWorkingSet64} {live} {gen0Budget}"));
    }
}
