using System.CommandLine;
using System.Globalization;
using OnePixel.Testing;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.Baselines;
using OnePixel.Testing.History;
using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;
using OnePixel.Testing.Reports;
using OnePixel.Testing.Verification;

namespace OnePixel.Cli.Commands;

/// <summary>
/// `onepixel history add|show|check`: a model's robustness release by release. `add` appends a version's record
/// (explicitly: nothing else but a test run with ONEPIXEL_UPDATE_HISTORY=1 writes a history); `show` prints the
/// trend and writes its Markdown and HTML page; `check` attacks a model as the history's latest record was made
/// and gates against it (or the best), exiting 0/1/2 like the other verbs.
/// </summary>
public static class HistoryCommand
{
    public static Command Create(CliContext cli)
    {
        var command = new Command("history", "Track robustness across model versions: a history file (JSON Lines), its trend, and a paired test per change.");
        command.Subcommands.Add(Add(cli));
        command.Subcommands.Add(Show(cli));
        command.Subcommands.Add(Check(cli));
        return command;
    }

    private static Option<string> HistoryOption() => new("--history") { Description = "The history file (JSON Lines, one record per model version), e.g. models/fashion-cnn.history.jsonl.", Required = true };

    private static Command Add(CliContext cli)
    {
        var settings = new AttackSettings();
        var history = HistoryOption();
        var label = new Option<string>("--label") { Description = "The version's name: v3, a date, a commit. Each label once per history.", Required = true };
        var model = new Option<string?>("--model") { Description = "The .onnx model to attack (its sidecar FILE.json is read when present); or give --report." };
        var report = new Option<string?>("--report") { Description = "Record this JSON report (from attack --json) instead of attacking; its images are read again for their content hashes (--images when not at its imageSource)." };
        var baseline = new Option<string?>("--baseline") { Description = "The version's baseline file, recorded by path; it must be this run's baseline (same model, settings and images)." };
        var date = new Option<string?>("--date") { Description = "The record's date, such as 2026-11-29 or 2026-11-29T21:35:00Z (a release date). Default: now, in UTC." };
        var verify = new Option<bool>("--verify") { Description = "Also run the exhaustive verification on the same images (onepixel verify) and record its vulnerable rate. Costly: about 200,000 queries per 28x28 image." };
        var allowPreprocessing = new Option<bool>("--allow-preprocessing-change") { Description = "Append even when the model is fed differently than in the latest comparable record (a new version that takes other input). Default: refused (exit 2)." };
        var quiet = new Option<bool>("--quiet") { Description = "No progress and no model details." };
        var command = new Command("add", "Append a model version's record to a history: attack the model (every attack option), or record a JSON report.")
        {
            history, label, model, report, baseline, date, verify, allowPreprocessing, quiet,
        };
        settings.AddTo(command);
        command.SetAction(parse => CommandErrors.Guard(cli, () =>
        {
            var historyPath = parse.GetValue(history)!;
            var records = File.Exists(historyPath) ? HistoryFile.Read(historyPath) : [];
            var name = parse.GetValue(label)!;
            if (records.FirstOrDefault(r => r.Label == name) is { } taken)
                throw new OnePixelException($"--label: '{name}' is already in {historyPath} (recorded {taken.Date}); a version is recorded once, so give another label.");
            var recordDate = parse.GetValue(date) is { } d ? HistoryFile.ParseDate(d) : null;
            var isQuiet = parse.GetValue(quiet);

            AttackReport run;
            IImageSource images;
            VerificationReport? verification = null;
            if (parse.GetValue(report) is { } reportPath)
            {
                if (parse.GetValue(model) is not null)
                    throw new OnePixelException("--model, --report: give one: a model to attack, or the JSON report of a run.");
                if (parse.GetValue(verify))
                    throw new OnePixelException("--verify: needs the model; give --model instead of --report.");
                run = JsonReportReader.Read(reportPath);
                if (run.Model is null)
                    throw new OnePixelException($"{reportPath}: summary.model is missing; a history records the model's sha256, so record a report of a model file.");
                images = ReportCommand.LoadImages(reportPath, run, parse.GetValue(settings.Images), parse.GetValue(settings.Labels), parse.GetValue(settings.Size));
            }
            else
            {
                var modelPath = parse.GetValue(model)
                    ?? throw new OnePixelException("--model: not given; expected the model to attack (or --report with the JSON report of a run).");
                settings.CheckCombinations(parse);
                var overrides = settings.ModelOverrides(parse);
                using var loaded = AttackSettings.LoadModel(modelPath, overrides);
                var stream = settings.LoadImages(parse, loaded, overrides);
                var options = settings.AttackOptions(parse, loaded.Classifier, stream);
                run = AttackSettings.Run(loaded, stream, options, settings.ShardOf(parse), cli, isQuiet);
                images = stream;
                if (parse.GetValue(verify))
                {
                    if (!isQuiet) cli.Error.WriteLine($"verifying {stream.Count} images exhaustively");
                    verification = new ExhaustiveVerifier(loaded.Classifier, new VerificationOptions { Threads = parse.GetValue(settings.Threads) })
                        .Verify(stream.ToImageSet(), identity: loaded.Identity);
                }
            }
            if (run.Shard is not null)
                throw new OnePixelException("--shard: a history records a whole image set, not one shard; merge the shards first (onepixel report merge) and record the merged report.");

            var record = HistoryFile.RecordOf(run, images, historyPath, name, recordDate, parse.GetValue(baseline), verification);
            if (parse.GetValue(baseline) is { } baselinePath) CheckBaseline(baselinePath, record);
            var latest = records.LastOrDefault(r => RobustnessTrend.Comparable(r, record));
            if (latest is not null && !parse.GetValue(allowPreprocessing))
            {
                var changes = ModelPreprocessing.Mismatches(latest.Model.Preprocessing, record.Model.Preprocessing, $"in {latest.Label}", "now");
                if (changes.Count > 0)
                    throw new OnePixelException($"the model is fed differently than in {latest.Label}: {string.Join("; ", changes)}; expected the same preprocessing, or --allow-preprocessing-change for a new version that takes other input.");
            }
            HistoryFile.Append(historyPath, record);

            var c = CultureInfo.InvariantCulture;
            cli.Output.WriteLine(string.Create(c, $"appended {record.Label} to {historyPath}: {record.Fooled} of {record.Attacked} attacked images fooled ({record.SuccessRate:P1}, 95% interval {record.SuccessRateInterval.Low:P1}..{record.SuccessRateInterval.High:P1}), clean accuracy {record.Accuracy:P1}"));
            var trend = RobustnessTrend.Of([.. records, record]);
            if (trend.Steps.Count > 0) cli.Output.WriteLine(HistoryTable.StepLine(trend, trend.Steps[^1]));
            cli.Output.WriteLine($"trend: {trend.Line()}");
            return ExitCodes.GateHolds;
        }));
        return command;
    }

    /// <summary>A baseline named for a record must be the same run's: the same model, settings, images and outcomes.</summary>
    private static void CheckBaseline(string path, HistoryRecord record)
    {
        var baseline = BaselineFile.Read(path);
        var comparison = BaselineComparison.Compare(baseline, record.ToBaseline(), new BaselinePolicy(), "the baseline", "this run");
        var problems = comparison.Mismatches.ToList();
        if (baseline.Model.Sha256 != record.Model.Sha256)
            problems.Add($"the baseline's model has sha256 {baseline.Model.Sha256}, this run's {record.Model.Sha256}");
        var differing = comparison.NewlyFooled.Concat(comparison.NewlyResisting).Concat(comparison.NewlyMisclassified).Concat(comparison.NewlyClassifiedCorrectly).ToList();
        if (problems.Count == 0 && differing.Count > 0)
            problems.Add($"{differing.Count} image(s) have other outcomes in the baseline");
        if (problems.Count > 0)
            throw new OnePixelException($"--baseline: {path} is not this run's baseline: {string.Join("; ", problems)}; expected the baseline of this model with these settings (onepixel baseline update), or leave --baseline out.");
    }

    private static Command Show(CliContext cli)
    {
        var file = new Argument<string>("history") { Description = "The history file (JSON Lines)." };
        var html = new Option<string?>("--html") { Description = "Write the trend page (one self-contained HTML file: chart, table, the images that flipped with their pictures) to this file." };
        var markdown = new Option<string?>("--markdown") { Description = "Write the table and the changes as Markdown (for a pull-request comment) to this file." };
        var significance = AttackSettings.Significance($"The level at which a change is marked significant (McNemar's exact test on the images that flipped). Default {RobustnessTrend.DefaultSignificance.ToString(CultureInfo.InvariantCulture)}.");
        var images = new Option<string?>("--images") { Description = "Where the images are, for the pictures, when not where the history records them." };
        var command = new Command("show", "Print a history's trend (a table, with each change's paired test), and write it as Markdown and an HTML page.") { file, html, markdown, significance, images };
        command.SetAction(parse => CommandErrors.Guard(cli, () =>
        {
            AttackSettings.CheckOutputs(parse, html, markdown);
            var path = parse.GetValue(file)!;
            var trend = RobustnessTrend.Of(HistoryFile.Read(path), parse.GetValue(significance) ?? RobustnessTrend.DefaultSignificance);
            cli.Output.Write(HistoryTable.Text(trend));
            if (parse.GetValue(markdown) is { } markdownPath)
            {
                AtomicFile.WriteAllText(markdownPath, HistoryTable.Markdown(trend, Path.GetFileName(path)));
                cli.Error.WriteLine($"wrote {markdownPath}");
            }
            if (parse.GetValue(html) is { } htmlPath)
            {
                HistoryPage.Save(trend, Path.GetFileName(path), HistoryPage.RecordedImages(path, parse.GetValue(images)), htmlPath);
                cli.Error.WriteLine($"wrote {htmlPath}");
            }
            return ExitCodes.GateHolds;
        }));
        return command;
    }

    private static Command Check(CliContext cli)
    {
        var settings = new AttackSettings();
        var file = new Argument<string>("history") { Description = "The history file (JSON Lines)." };
        var model = AttackSettings.ModelOption();
        var against = new Option<string>("--against") { Description = "latest (default): gate against the latest record; best: against the record with the lowest success rate among those comparable with the latest.", DefaultValueFactory = _ => "latest" };
        against.AcceptOnlyFromAmong("latest", "best");
        var rules = new ComparisonPolicyOptions();
        var json = new Option<string?>("--json") { Description = "Write this run's JSON report to this file (history add --report records it)." };
        var quiet = new Option<bool>("--quiet") { Description = "Print only the comparison." };
        var command = new Command("check", "Attack the model as the history's latest record was made, and gate against that record (or the best): exit 1 on a regression, 2 when it cannot be compared.")
        {
            file, model, against, json, quiet,
        };
        rules.AddTo(command);
        settings.AddModelAndImageOptionsTo(command, selection: false);
        command.SetAction(parse => CommandErrors.Guard(cli, () =>
        {
            AttackSettings.CheckOutputs(parse, json);
            var policy = rules.PolicyOf(parse);
            var historyPath = parse.GetValue(file)!;
            var records = HistoryFile.Read(historyPath);
            if (records.Count == 0)
                throw new OnePixelException($"{historyPath}: holds no record; start it with onepixel history add.");
            var latest = records[^1];
            var reference = parse.GetValue(against) == "best"
                ? records.Select((r, i) => (Record: r, Index: i)).Where(x => RobustnessTrend.Comparable(x.Record, latest))
                    .OrderBy(x => x.Record.SuccessRate).ThenByDescending(x => x.Index).First().Record
                : latest;

            var overrides = settings.ModelOverrides(parse);
            using var loaded = AttackSettings.LoadModel(parse.GetValue(model)!, overrides);
            var source = parse.GetValue(settings.Images) ?? HistoryFile.Resolve(historyPath, reference.ImageSet.Source);
            var set = ImageSetLoader.Open(new ImageSetSource(source)
            {
                LabelsPath = parse.GetValue(settings.Labels) ?? (parse.GetValue(settings.Images) is null && reference.ImageSet.Labels is { } labels ? HistoryFile.Resolve(historyPath, labels) : null),
                CsvShape = overrides.ImageShape,
                ClassNames = loaded.Classifier.ClassNames,
            });
            if (reference.ImageSet.Indices.Length > 0)
                set = set.Only(ImageSelection.ParseIndices(reference.ImageSet.Indices, $"{historyPath}: {reference.Label}: imageSet.indices"));
            var options = BaselineComparison.OptionsFor(reference.ToBaseline()) with { Threads = parse.GetValue(settings.Threads) };
            var run = AttackSettings.Run(loaded, set, options, null, cli, parse.GetValue(quiet));
            if (parse.GetValue(json) is { } jsonPath) JsonReport.Save(run, jsonPath);
            var now = HistoryFile.RecordOf(run, set, historyPath, "now");
            var comparison = BaselineComparison.Compare(reference.ToBaseline(), now.ToBaseline(), policy, reference.Label, "now");

            var output = cli.Output;
            output.WriteLine($"trend: {RobustnessTrend.Of([.. records, now], policy.Significance ?? RobustnessTrend.DefaultSignificance).Line()}");
            output.WriteLine($"against: {reference.Label} ({(reference == latest ? "the latest record" : "the best comparable record")}, {reference.Date})");
            if (!comparison.Comparable)
            {
                output.WriteLine($"{reference.Label} does not match this run, so it is not compared:");
                foreach (var mismatch in comparison.Mismatches) output.WriteLine($"  - {mismatch}");
                output.WriteLine($"Record a version made as this run is (onepixel history add --history {CommandLineArguments.Quote(historyPath)} ...) to compare with from now on.");
                return ExitCodes.BadInput;
            }
            BaselineCommand.PrintChanges(output, comparison, $"in {reference.Label}");
            output.WriteLine(comparison.Regressed ? $"verdict: REGRESSION: {string.Join("; ", comparison.Regressions)}" : "verdict: no regression");
            return comparison.Regressed ? ExitCodes.GateFails : ExitCodes.GateHolds;
        }));
        return command;
    }
}
