using System.CommandLine;
using System.Globalization;
using OnePixel.Testing;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;
using OnePixel.Testing.Reports;

namespace OnePixel.Cli.Commands;

/// <summary>`onepixel attack`: attack a model on an image set, print the summary, gate on the success rate.</summary>
public static class AttackCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var model = new Option<string>("--model") { Description = "The .onnx model file (its sidecar FILE.json is read when present).", Required = true };
        var images = new Option<string?>("--images") { Description = "A folder (labels.csv or class sub-folders), an IDX images file (with --labels) or a CSV file. Default: the sidecar's sampleImages." };
        var labels = new Option<string?>("--labels") { Description = "The IDX labels file that goes with an IDX images file." };
        var size = new Option<string?>("--size") { Description = "Image size WIDTHxHEIGHTxCHANNELS, for CSV rows that are not square images or for models whose input does not say." };
        var skip = new Option<int>("--skip") { Description = "Skip the first N images." };
        var count = new Option<int?>("--count") { Description = "Attack at most N images." };
        var input = new Option<string?>("--input") { Description = "The model's input name." };
        var outputName = new Option<string?>("--output-name") { Description = "The model's output name (for models with several outputs)." };
        var layout = new Option<string?>("--layout") { Description = "nchw or nhwc (default: inferred from the input shape)." };
        var scale = new Option<float?>("--scale") { Description = "Pixel values 0..255 are divided by this before mean and std: 255 for models that expect 0..1 (default), 1 for 0..255." };
        var mean = new Option<string?>("--mean") { Description = "Per-channel mean, applied after scaling: a or a,b,c." };
        var std = new Option<string?>("--std") { Description = "Per-channel standard deviation, applied after the mean: a or a,b,c." };
        var outputKind = new Option<string?>("--output") { Description = "logits or probabilities (default: inferred by probing the model)." };
        var classes = new Option<string?>("--classes") { Description = "A file with one class name per line, in index order." };
        var pixels = new Option<int>("--pixels") { Description = "Pixels changed per candidate.", DefaultValueFactory = _ => 1 };
        var budget = new Option<int?>("--budget") { Description = $"Model queries per image (default {AttackBudget.DefaultQueries}; population = budget / 40 unless --population)." };
        var paper = new Option<bool>("--paper") { Description = "The paper's budget: population 400, 100 generations (40,401 queries per image)." };
        var population = new Option<int?>("--population") { Description = "DE population size." };
        var seed = new Option<ulong>("--seed") { Description = "Fixes the whole search.", DefaultValueFactory = _ => AttackOptions.DefaultSeed };
        var targeted = new Option<bool>("--targeted") { Description = "Targeted attacks towards every other class in turn." };
        var target = new Option<string?>("--target") { Description = "A targeted attack towards this class (index or name)." };
        var maxSuccessRate = new Option<double>("--max-success-rate") { Description = "The gate: exit 1 when more than this fraction of attacked images is fooled.", DefaultValueFactory = _ => RobustnessGate.DefaultMaxSuccessRate };
        var json = new Option<string?>("--json") { Description = "Write the JSON report to this file." };
        var threads = new Option<int?>("--threads") { Description = "Images attacked at once (default: one per processor). Results do not depend on it." };
        var quiet = new Option<bool>("--quiet") { Description = "Print only the summary (for CI logs)." };

        var command = new Command("attack", "Attack a model on an image set and gate on the success rate.")
        {
            model, images, labels, size, skip, count, input, outputName, layout, scale, mean, std, outputKind, classes,
            pixels, budget, paper, population, seed, targeted, target, maxSuccessRate, json, threads, quiet,
        };

        command.SetAction(parse => CommandErrors.Guard(error, () =>
        {
            var modelPath = parse.GetValue(model)!;
            var overrides = new ModelOptions
            {
                InputName = parse.GetValue(input),
                OutputName = parse.GetValue(outputName),
                Layout = parse.GetValue(layout) is { } l ? ModelSidecar.ParseLayout(l, "--layout") : null,
                ImageShape = parse.GetValue(size) is { } s ? ImageShape.Parse(s, "--size") : null,
                Scale = parse.GetValue(scale) is { } sc ? (sc > 0 ? sc : throw new OnePixelException($"--scale: expected a positive number, found {sc}.")) : null,
                Mean = parse.GetValue(mean) is { } m ? ParseFloats(m, "--mean") : null,
                Std = parse.GetValue(std) is { } sd ? ParseFloats(sd, "--std") : null,
                Scores = parse.GetValue(outputKind) is { } o ? ModelSidecar.ParseScoreKind(o, "--output") : null,
                ClassNames = parse.GetValue(classes) is { } c ? ReadClasses(c) : null,
            };
            var gate = parse.GetValue(maxSuccessRate);
            RobustnessGate.ValidateMaximum(gate, "--max-success-rate");
            if (parse.GetValue(paper) && (parse.GetValue(budget) is not null || parse.GetValue(population) is not null))
                throw new OnePixelException("--paper: sets the budget and population itself; leave out --budget and --population.");
            if (parse.GetValue(targeted) && parse.GetValue(target) is not null)
                throw new OnePixelException("--targeted: attacks every other class; leave out --target, or --targeted to attack one class.");

            using var loaded = LoadedModel.Load(modelPath, overrides);
            var classifier = loaded.Classifier;
            var imageSource = parse.GetValue(images) ?? loaded.Options.SampleImages
                ?? throw new OnePixelException($"--images: not given, and {ModelSidecar.PathFor(modelPath)} names no sampleImages; expected an image folder or file.");
            var set = ImageSetLoader.Load(new ImageSetSource(imageSource)
            {
                LabelsPath = parse.GetValue(labels),
                CsvShape = overrides.ImageShape,
                ClassNames = classifier.ClassNames,
            }).Slice(parse.GetValue(skip), parse.GetValue(count));

            var options = new AttackOptions
            {
                Pixels = parse.GetValue(pixels),
                Budget = parse.GetValue(paper)
                    ? AttackBudget.Paper
                    : AttackBudget.Queries(parse.GetValue(budget) ?? AttackBudget.DefaultQueries, parse.GetValue(population)),
                Seed = parse.GetValue(seed),
                Mode = parse.GetValue(targeted) ? AttackMode.EveryTarget : parse.GetValue(target) is not null ? AttackMode.Targeted : AttackMode.Untargeted,
                Target = parse.GetValue(target) is { } t ? ImageSetLoader.ResolveLabel(t, classifier.ClassNames ?? set.ClassNames, "--target") : null,
                Threads = parse.GetValue(threads),
            };
            var runner = new AttackRunner(classifier, options);
            var isQuiet = parse.GetValue(quiet);
            if (!isQuiet)
            {
                error.WriteLine($"model   {modelPath} ({classifier.InputShape}, {classifier.ClassCount} classes)");
                foreach (var note in classifier.Notes) error.WriteLine($"        {note}");
                error.WriteLine($"images  {set.Source} ({set.Count})");
                error.WriteLine($"budget  {options.Budget}, seed {options.Seed}, {options.Pixels} pixel{(options.Pixels == 1 ? "" : "s")}, {JsonReport.ModeName(options.Mode)}");
            }
            var progress = isQuiet ? null : new ConsoleProgress(error);
            var report = runner.Run(set, progress, model: loaded.Identity) with { ClassNames = classifier.ClassNames ?? set.ClassNames };
            progress?.Finish();

            if (parse.GetValue(json) is { } jsonPath) JsonReport.Save(report, jsonPath);
            SummaryPrinter.Print(output, report, gate);
            return RobustnessGate.Holds(report.Summary, gate) ? ExitCodes.GateHolds : ExitCodes.GateFails;
        }));
        return command;
    }

    internal static IReadOnlyList<float> ParseFloats(string text, string option)
    {
        var parts = text.Split(',');
        var values = new float[parts.Length];
        for (var i = 0; i < parts.Length; i++)
            if (!float.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !float.IsFinite(values[i]))
                throw new OnePixelException($"{option}: expected numbers separated by commas such as 0.485,0.456,0.406; found '{text}'.");
        return values;
    }

    internal static IReadOnlyList<string> ReadClasses(string path)
    {
        if (!File.Exists(path)) throw new OnePixelException($"--classes: file {path} not found.");
        var names = File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        return names.Count >= 2 ? names : throw new OnePixelException($"--classes: {path} lists {names.Count} class name(s); expected one per line, at least 2.");
    }
}
