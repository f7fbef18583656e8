using System.Diagnostics;

namespace OnePixel.Cli.Tests.Commands;

/// <summary>Ctrl+C: the attack stops, the summary of the images done is printed, exit code 130, and no report file is written or damaged.</summary>
public class InterruptTests
{
    [Test]
    public void An_interrupted_attack_stops_within_a_second_prints_what_it_found_and_writes_no_report()
    {
        using var folder = new TempFolder();
        var json = folder.Write("report.json", "the previous run's report");
        var html = folder.File("report.html");
        using var interrupt = new CancellationTokenSource();
        var sinceInterrupt = new Stopwatch();
        interrupt.Token.Register(sinceInterrupt.Start);
        interrupt.CancelAfter(TimeSpan.FromSeconds(1.5)); // the 100 sample images take several seconds

        var result = Cli.Run(interrupt.Token, "attack", "--model", "models/fashion-cnn-v1.onnx", "--json", json, "--html", html);
        var stopped = sinceInterrupt.Elapsed;

        result.ExitCode.Should().Be(ExitCodes.Interrupted, result.ToString());
        stopped.Should().BeLessThan(TimeSpan.FromSeconds(1));
        result.Output.Should().MatchRegex(@"images attacked: \d+ of (\d+) .*\n(.*\n)*cancelled:       after \1 of 100 images; no verdict");
        result.Output.Should().NotContain("gate:");
        result.Error.Should().MatchRegex(@"onepixel: cancelled after \d+ of 100 images \(interrupted\); no report was written\.");
        File.ReadAllText(json).Should().Be("the previous run's report");
        File.Exists(html).Should().BeFalse();
        Directory.GetFiles(folder.Path).Should().HaveCount(1, "no temporary file is left behind either");
    }

    [Test]
    public void An_interrupted_verification_prints_the_verdicts_it_reached_exits_130_and_writes_no_report()
    {
        using var folder = new TempFolder();
        var json = folder.Write("verify.json", "the previous run's report");
        using var interrupt = new CancellationTokenSource();
        interrupt.CancelAfter(TimeSpan.FromSeconds(3)); // the colour CNN's 100 samples take 10 s or more on two cores

        var result = Cli.Run(interrupt.Token, "verify", "--model", "models/fashion-colour32-cnn.onnx", "--json", json);

        result.ExitCode.Should().Be(ExitCodes.Interrupted, result.ToString());
        result.Output.Should().MatchRegex(@"images checked:  \d+ of (\d+) .*
(.*
)*cancelled:       after \1 of 100 images; no verdict");
        result.Output.Should().MatchRegex(@"vulnerable:      \d+").And.Contain("method:          bounds").And.NotContain("gate:");
        result.Error.Should().MatchRegex(@"onepixel: cancelled after \d+ of 100 images \(interrupted\); no report was written\.");
        File.ReadAllText(json).Should().Be("the previous run's report");
    }

    [TestCase("add")]
    [TestCase("check")]
    public void An_interrupted_history_verb_stops_exits_130_and_leaves_the_history_as_it_was(string verb)
    {
        using var folder = new TempFolder();
        var history = folder.File("model.history.jsonl");
        File.Copy(Path.Combine(Repository.Root, Repository.FashionHistory), history);
        var before = File.ReadAllText(history);
        using var interrupt = new CancellationTokenSource();
        interrupt.CancelAfter(TimeSpan.FromSeconds(1.5)); // the 100 sample images take several seconds
        string[] where = verb == "add" ? ["--history", history, "--label", "v9"] : [history];

        var result = Cli.Run(interrupt.Token, ["history", verb, .. where, "--model", Repository.FashionV1, "--images", Repository.FashionImages]);

        result.ExitCode.Should().Be(ExitCodes.Interrupted, result.ToString());
        result.Output.Should().MatchRegex(@"cancelled:       after \d+ of 100 images; no verdict");
        File.ReadAllText(history).Should().Be(before);
    }

    [Test]
    public void Ctrl_C_on_the_command_line_exits_130_with_the_summary_so_far()
    {
        Assume.That(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "SIGINT is sent with kill(1)");
        using var folder = new TempFolder();
        var json = folder.File("report.json");
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "onepixel"))
        {
            WorkingDirectory = Repository.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // Ten times the paper's budget: about half a minute uninterrupted, so the signal cannot come after the end
        // (at the default budget the attack took 3 s and, on a loaded machine, once finished first: exit 0).
        foreach (var arg in new[] { "attack", "--model", "models/fashion-cnn-v1.onnx", "--budget", "404010", "--json", json })
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        // The budget line comes just before the attack starts.
        string? line;
        while ((line = process.StandardError.ReadLine()) is not null && !line.StartsWith("budget", StringComparison.Ordinal)) { }
        line.Should().NotBeNull("the attack should have started");
        Thread.Sleep(500);

        using (var kill = Process.Start("kill", ["-INT", process.Id.ToString()])) kill.WaitForExit();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit(10_000).Should().BeTrue("Ctrl+C stops the attack");

        process.ExitCode.Should().Be(130, error);
        output.Result.Should().MatchRegex(@"cancelled:       after \d+ of 100 images; no verdict");
        File.Exists(json).Should().BeFalse();
    }
}
