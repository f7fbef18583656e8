using System.Globalization;
using System.Text.RegularExpressions;
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
            "--seconds", "0.03", "--batches", "1,8", "--suite-images", "2", "--paper-images", "1", "--memory-images", "0", "--concurrent-images", "2",
        ];

        var code = OnePixelCommandLine.Run(args, output, error);

        code.Should().Be(0, error.ToString());
        var text = output.ToString();
        text.Should().ContainAll("machine ", "raw ONNX Runtime", "ML.NET backend", "fixed batch 1, relaxed after parity", "default budget", "paper budget", "x raw best", "model-scored", "per CPU-second");

        // Each ratio is the one its printed figures give (within their rounding), and every figure is positive.
        var raw = Matches(text, @"batch +(\d+) +\d+ runs in parallel, 1 thread each +(?<parallel>[\d.,]+) +1 run, \d+ intra-op threads +(?<intra>[\d.,]+)")
            .ToDictionary(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), m => Math.Max(Number(m, "parallel"), Number(m, "intra")));
        raw.Keys.Should().Equal(1, 8);
        raw.Values.Should().OnlyContain(v => v > 0);
        var best = Match(text, @"best: (?<rate>[\d.,]+) images/s at batch (?<batch>\d+)");
        Number(best, "rate").Should().Be(raw.Values.Max());
        raw[(int)Number(best, "batch")].Should().Be(raw.Values.Max());
        var engine = Match(text, @"ONNX Runtime backend, batch +100 +(?<rate>[\d.,]+) +\((?<ratio>[\d.]+)x raw at that batch\)");
        var engineBest = Match(text, $@"ONNX Runtime backend, batch +{best.Groups["batch"].Value} +(?<rate>[\d.,]+) +\((?<ratio>[\d.]+)x raw best\)");
        var mlnet = Match(text, @"ML.NET backend, +batch +100 +(?<rate>[\d.,]+) +\((?<ratio>[\d.]+)x the ONNX Runtime backend");
        var relaxed = Match(text, @"fixed batch 1, relaxed after parity +(?<rate>[\d.,]+) +\((?<ratio>[\d.]+)x slower than dynamic");
        var kept = Match(text, @"fixed batch 1, one run per image +(?<rate>[\d.,]+) +\((?<ratio>[\d.]+)x slower than dynamic");
        var rate = (Match m) => Number(m, "rate");
        foreach (var (figure, numerator, denominator) in new[]
                 {
                     (engine, rate(engine), Number(best, "rate")), // batch 100 was not measured raw: the best batch stands in
                     (engineBest, rate(engineBest), Number(best, "rate")),
                     (mlnet, rate(mlnet), rate(engine)),
                     (relaxed, rate(engine), rate(relaxed)),
                     (kept, rate(engine), rate(kept)),
                 })
        {
            rate(figure).Should().BePositive(figure.Value);
            ShouldBeRatioOf(Number(figure, "ratio"), numerator, denominator, figureStep: 1, ratioStep: 0.01, figure.Value);
        }

        var attacks = Matches(text, @"(?<seconds>[\d.]+) s wall, (?<perImage>[\d.]+) s/attacked image, (?<fooled>\d+)/(?<attacked>\d+) fooled, (?<queries>[\d.,]+) queries \((?<scored>[\d.,]+) scored by the model");
        attacks.Should().HaveCount(2, "the default and the paper budget");
        foreach (var (attack, images, budget) in new[] { (attacks[0], 2, 4_000), (attacks[1], 1, 40_401) })
        {
            var (fooled, attacked) = (Number(attack, "fooled"), Number(attack, "attacked"));
            attacked.Should().BeInRange(1, images, attack.Value);
            fooled.Should().BeInRange(0, attacked, attack.Value);
            Number(attack, "queries").Should().BeInRange(attacked, attacked * budget, attack.Value);
            Number(attack, "scored").Should().BeInRange(1, Number(attack, "queries"), "repeats are answered from memory, not scored: " + attack.Value);
            Number(attack, "seconds").Should().BePositive(attack.Value);
            Number(attack, "perImage").Should().BeApproximately(Number(attack, "seconds") / attacked, 0.0005 + 0.005 / attacked, attack.Value);
        }
        var ratioLines = Matches(text, @"model-scored (?<median>[\d.]+)x raw \(rounds (?<rounds>[\d.x ]+); fastest round (?<attack>[\d.,]+) vs (?<raw>[\d.,]+) images/s.*\); per CPU-second (?<cpu>[\d.]+)x; queries (?<queries>[\d.]+)x");
        ratioLines.Should().HaveCount(2, "the default and the paper budget");
        foreach (var ratios in ratioLines)
        {
            var rounds = ratios.Groups["rounds"].Value.Split(' ').Select(r => double.Parse(r.TrimEnd('x'), CultureInfo.CurrentCulture)).Order().ToList();
            rounds.Should().HaveCount(5).And.OnlyContain(r => r > 0, ratios.Value);
            Number(ratios, "median").Should().Be(rounds[2], "the median of the five rounds: " + ratios.Value);
            var fastest = Number(ratios, "attack") / Number(ratios, "raw");
            rounds.Should().Contain(r => Math.Abs(r - fastest) <= 0.005 + fastest * 0.001, "the fastest round is one of the rounds: " + ratios.Value);
            Number(ratios, "cpu").Should().BePositive(ratios.Value);
            Number(ratios, "queries").Should().BePositive(ratios.Value);
        }
        var full = Match(text, @"the full paper budget at the fastest round's rate: (?<seconds>[\d.]+) s/image \(.*this CNN: (?<speedup>[\d.]+)x\)");
        var (paperWall, paperQueries) = (Number(attacks[1], "seconds"), Number(attacks[1], "queries"));
        Number(full, "seconds").Should().BePositive().And.BeApproximately(paperWall * 40_401 / paperQueries, 0.0005 + 0.005 * 40_401 / paperQueries, full.Value);
        ShouldBeRatioOf(Number(full, "speedup"), 12.7, Number(full, "seconds"), figureStep: 0.001, ratioStep: 0.1, full.Value);

        // Two attacks at once vs one after the other: each round's ratio is that of its printed times, the median the middle round's.
        var together = Matches(text, @"round \d+: one after the other +(?<sequential>[\d.]+) s \( *(?<sequentialCpu>[\d.]+) s of processor time\), at once +(?<concurrent>[\d.]+) s \( *(?<concurrentCpu>[\d.]+) s\): (?<ratio>[\d.]+)x");
        together.Should().HaveCount(5);
        foreach (var round in together)
        {
            Number(round, "sequential").Should().BePositive(round.Value);
            ShouldBeRatioOf(Number(round, "ratio"), Number(round, "concurrent"), Number(round, "sequential"), figureStep: 0.01, ratioStep: 0.01, round.Value);
        }
        var atOnce = Match(text, @"at once vs one after the other: (?<wall>[\d.]+)x wall time .*, (?<cpu>[\d.]+)x processor time; reports identical: (?<identical>\w+)");
        Number(atOnce, "wall").Should().Be(together.Select(r => Number(r, "ratio")).Order().ElementAt(2), "the median of the five rounds");
        Number(atOnce, "cpu").Should().BePositive();
        atOnce.Groups["identical"].Value.Should().Be("yes", "the same attack gives the same report whatever runs beside it");
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
            "--seconds", "0.03", "--batches", "8", "--suite-images", "1", "--paper-images", "1", "--memory-images", "130", "--memory-budget", "5", "--concurrent-images", "0",
        ];

        var code = OnePixelCommandLine.Run(args, output, error);

        code.Should().Be(0, error.ToString());
        output.ToString().Should().MatchRegex(@"100 images, read one at a time +peak working set +[1-9][0-9.,]* MB")
            .And.MatchRegex(@"130 images, read one at a time +peak working set +[1-9][0-9.,]* MB")
            .And.MatchRegex(@"130 images, loaded first +peak working set +[1-9][0-9.,]* MB")
            .And.MatchRegex(@"ratio: 130 vs 100 images [0-9.]+x")
            .And.Contain("gen0 budget at most 2.1 MB", "the runtime should read the CLI's System.GC.Gen0MaxBudget, which keeps peak memory flat");

        // The ratios are those of the printed peaks (each rounded to 0.1 MB, the ratios to 0.01).
        var peaks = Matches(output.ToString(), @"(?<images>\d+) images, (?<how>read one at a time|loaded first) +peak working set +(?<peak>[\d.,]+) MB +live managed memory after the run +(?<live>[\d.,]+) MB")
            .ToDictionary(m => $"{m.Groups["images"].Value} {m.Groups["how"].Value}", m => (Peak: Number(m, "peak"), Live: Number(m, "live")));
        peaks.Keys.Should().Equal("100 read one at a time", "130 read one at a time", "130 loaded first");
        var ratio = Match(output.ToString(), @"ratio: 130 vs 100 images (?<streamed>[\d.]+)x \(target <= 1.20x\); loaded first (?<loaded>[\d.]+)x");
        var (small, large, loaded) = (peaks["100 read one at a time"], peaks["130 read one at a time"], peaks["130 loaded first"]);
        small.Peak.Should().BePositive();
        ShouldBeRatioOf(Number(ratio, "streamed"), large.Peak, small.Peak, figureStep: 0.1, ratioStep: 0.01, ratio.Value);
        ShouldBeRatioOf(Number(ratio, "loaded"), loaded.Peak, small.Peak, figureStep: 0.1, ratioStep: 0.01, ratio.Value);
    }

    private static Match Match(string text, string pattern) =>
        Regex.Match(text, pattern) is { Success: true } match ? match : throw new AssertionException($"no line matching {pattern} in:\n{text}");

    private static List<Match> Matches(string text, string pattern) => Regex.Matches(text, pattern).ToList();

    /// <summary>A figure as the bench prints it (the current culture's digits, group separators included).</summary>
    private static double Number(Match match, string group) => double.Parse(match.Groups[group].Value, NumberStyles.Number, CultureInfo.CurrentCulture);

    /// <summary>
    /// A printed ratio is that of its printed figures, up to their rounding: figures to <paramref name="figureStep"/>,
    /// the ratio to <paramref name="ratioStep"/>.
    /// </summary>
    private static void ShouldBeRatioOf(double printed, double numerator, double denominator, double figureStep, double ratioStep, string line)
    {
        var exact = numerator / denominator;
        var slack = ratioStep / 2 + exact * (figureStep / 2 / numerator + figureStep / 2 / denominator) * 1.01 + 1e-9;
        printed.Should().BePositive(line).And.BeApproximately(exact, slack, line);
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
