using OnePixel.Cli;

namespace OnePixel.Cli.Tests.Commands;

/// <summary>`onepixel bench` measures in one run and prints every figure with the machine; the speed targets are read from its output, not asserted here.</summary>
public class BenchCommandTests
{
    [Test]
    public void A_short_bench_prints_every_section_with_the_machine_and_its_ratios()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var root = Repository.Root;
        string[] args =
        [
            "bench", "--model", Path.Combine(root, "models/fashion-cnn-v1.onnx"), "--fixed-model", Path.Combine(root, "models/variants/batch1.onnx"),
            "--seconds", "0.03", "--batches", "1,8", "--suite-images", "2", "--paper-images", "1", "--memory-images", "0",
        ];

        var code = OnePixelCommandLine.Run(args, output, error);

        code.Should().Be(0, error.ToString());
        output.ToString().Should().ContainAll("machine ", "raw ONNX Runtime", "ML.NET backend", "fixed batch 1, relaxed after parity", "default budget", "paper budget", "x raw best", "model-scored", "per CPU-second");
    }

    [Test]
    public void The_memory_runs_each_start_a_process_that_attacks_a_folder_of_files()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var root = Repository.Root;
        string[] args =
        [
            "bench", "--model", Path.Combine(root, "models/fashion-cnn-v1.onnx"), "--fixed-model", Path.Combine(root, "models/variants/batch1.onnx"),
            "--seconds", "0.03", "--batches", "8", "--suite-images", "1", "--paper-images", "1", "--memory-images", "130", "--memory-budget", "5",
        ];

        var code = OnePixelCommandLine.Run(args, output, error);

        code.Should().Be(0, error.ToString());
        output.ToString().Should().MatchRegex(@"100 images, read one at a time +peak working set +[1-9][0-9.,]* MB")
            .And.MatchRegex(@"130 images, read one at a time +peak working set +[1-9][0-9.,]* MB")
            .And.MatchRegex(@"130 images, loaded first +peak working set +[1-9][0-9.,]* MB")
            .And.MatchRegex(@"ratio: 130 vs 100 images [0-9.]+x")
            .And.Contain("gen0 budget at most 2.1 MB", "the runtime should read the CLI's System.GC.Gen0MaxBudget, which keeps peak memory flat");
    }

    [Test]
    public void A_bench_with_a_bad_setting_exits_with_bad_input()
    {
        var error = new StringWriter();

        var code = OnePixelCommandLine.Run(["bench", "--seconds", "0"], new StringWriter(), error);

        code.Should().Be(ExitCodes.BadInput);
        error.ToString().Should().Contain("--seconds");
    }
}
