using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using OnePixel.Testing;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;
using OnePixel.Testing.Reports;

namespace OnePixel.Cli.Commands;

/// <summary>
/// The options that say how to read the images and the model and how to attack: shared by
/// `attack` and `compare` (which attacks two models the same way), so both read them alike.
/// </summary>
internal sealed class AttackSettings
{
    public Option<string?> Images { get; } = new("--images") { Description = "A folder (labels.csv or class sub-folders), an IDX images file (with --labels) or a CSV file. Default: the sidecar's sampleImages." };
    public Option<string?> Labels { get; } = new("--labels") { Description = "The IDX labels file that goes with an IDX images file." };
    public Option<string?> Size { get; } = new("--size") { Description = "Image size WIDTHxHEIGHTxCHANNELS, for CSV rows that are not square images or for models whose input does not say." };
    public Option<int> Skip { get; } = new("--skip") { Description = "Skip the first N images." };
    public Option<int?> Count { get; } = new("--count") { Description = "Attack at most N images." };
    public Option<string?> Indices { get; } = new("--indices") { Description = "Attack only the images at these positions of the source (0-based, ascending), such as 0-9,20,31; --skip, --count and --shard then apply to them. Reproduce commands use it for a selection no slice describes." };
    public Option<string?> Shard { get; } = new("--shard") { Description = $"Attack shard I of N (I/N, such as 1/4): the images at positions p with p mod N = I-1, after --skip and --count. Default: the {ImageShard.EnvironmentVariable} environment variable, else all images." };
    public Option<string?> Input { get; } = new("--input") { Description = "The model's input name." };
    public Option<string?> OutputName { get; } = new("--output-name") { Description = "The model's output name (for models with several outputs)." };
    public Option<string?> Layout { get; } = new("--layout") { Description = "nchw or nhwc (default: inferred from the input shape)." };
    public Option<float?> Scale { get; } = new("--scale") { Description = "Pixel values 0..255 are divided by this before mean and std: 255 for models that expect 0..1 (default), 1 for 0..255." };
    public Option<string?> Mean { get; } = new("--mean") { Description = "Per-channel mean, applied after scaling: a or a,b,c." };
    public Option<string?> Std { get; } = new("--std") { Description = "Per-channel standard deviation, applied after the mean: a or a,b,c." };
    public Option<string?> OutputKind { get; } = new("--output") { Description = "logits or probabilities (default: inferred by probing the model)." };
    public Option<string?> Classes { get; } = new("--classes") { Description = "A file with one class name per line, in index order." };
    public Option<int> Pixels { get; } = new("--pixels") { Description = "Pixels changed per candidate.", DefaultValueFactory = _ => 1 };
    public Option<int?> Budget { get; } = new("--budget") { Description = $"Model queries per image (default {AttackBudget.DefaultQueries}; population = budget / 40 unless --population)." };
    public Option<bool> Paper { get; } = new("--paper") { Description = "The paper's budget: population 400, 100 generations (40,401 queries per image)." };
    public Option<int?> Population { get; } = new("--population") { Description = "DE population size." };
    public Option<ulong> Seed { get; } = new("--seed") { Description = "Fixes the whole search.", DefaultValueFactory = _ => OnePixel.Testing.Attacks.AttackOptions.DefaultSeed };
    public Option<bool> Targeted { get; } = new("--targeted") { Description = "Targeted attacks towards every other class in turn." };
    public Option<string?> Target { get; } = new("--target") { Description = "A targeted attack towards this class (index or name)." };
    public Option<int?> Threads { get; } = new("--threads") { Description = "Images attacked at once, and model runs under way at once (default: one per processor). Results do not depend on it." };
    public Option<string?> Search { get; } = new("--search") { Description = "de (the paper's differential evolution, default) or extremes-de (extreme colours first, then evolution: finds more at small budgets)." };
    public Option<string?> Fitness { get; } = new("--fitness") { Description = "probability (the paper's; default for de) or margin (true class minus best other; default for extremes-de)." };
    public Option<string?> Backend { get; } = new("--backend") { Description = "onnxruntime (default: fastest measured) or mlnet (ML.NET's ApplyOnnxModel). An ML.NET .zip model always uses mlnet." };
    public Option<string?> Device { get; } = new("--device") { Description = "cpu (default) or cuda (falls back to the CPU, with a note, when no GPU build of ONNX Runtime or GPU is there)." };

    public AttackSettings()
    {
        AtLeast(Skip, 0);
        AtLeast(Count, 1);
        AtLeast(Pixels, 1);
        AtLeast(Budget, 1 + AttackBudget.MinimumPopulation, " (1 to score the image and at least a population of 4)");
        AtLeast(Population, AttackBudget.MinimumPopulation, " (DE/rand/1 needs three other candidates)");
        AtLeast(Threads, 1);
    }

    public void AddTo(Command command)
    {
        AddModelAndImageOptionsTo(command);
        foreach (var option in new Option[] { Pixels, Budget, Paper, Population, Seed, Targeted, Target, Search, Fitness })
            command.Options.Add(option);
    }

    /// <summary>Only the options that say how to read the model and the images (for verbs that do not run the DE attack, such as verify).</summary>
    /// <param name="command">The verb.</param>
    /// <param name="selection">With --indices, --skip, --count and --shard; a verb whose record says which images to attack (history check) leaves them out.</param>
    public void AddModelAndImageOptionsTo(Command command, bool selection = true)
    {
        foreach (var option in new Option[]
                 {
                     Images, Labels, Size, Indices, Skip, Count, Shard, Input, OutputName, Layout, Scale, Mean, Std, OutputKind, Classes,
                     Threads, Backend, Device,
                 })
            if (selection || (option != Indices && option != Skip && option != Count && option != Shard))
                command.Options.Add(option);
    }

    /// <summary>"de" or "extremes-de".</summary>
    public static SearchKind ParseSearch(string text, string option) => text.ToLowerInvariant() switch
    {
        "de" or "de/rand/1" => SearchKind.DifferentialEvolution,
        "extremes-de" or "extremes-then-de" => SearchKind.ExtremesThenEvolution,
        _ => throw new OnePixelException($"{option}: expected 'de' or 'extremes-de', found '{text}'."),
    };

    public ModelOptions ModelOverrides(ParseResult parse) => new()
    {
        InputName = parse.GetValue(Input),
        OutputName = parse.GetValue(OutputName),
        Layout = parse.GetValue(Layout) is { } l ? ModelSidecar.ParseLayout(l, "--layout") : null,
        ImageShape = parse.GetValue(Size) is { } s ? ImageShape.Parse(s, "--size") : null,
        Scale = parse.GetValue(Scale) is { } sc ? (sc > 0 && float.IsFinite(sc) ? sc : throw new OnePixelException($"--scale: expected a positive number, found {sc.ToString(CultureInfo.InvariantCulture)}.")) : null,
        Mean = parse.GetValue(Mean) is { } m ? ParseFloats(m, "--mean") : null,
        Std = parse.GetValue(Std) is { } sd ? ParseFloats(sd, "--std") : null,
        Scores = parse.GetValue(OutputKind) is { } o ? ModelSidecar.ParseScoreKind(o, "--output") : null,
        ClassNames = parse.GetValue(Classes) is { } c ? ReadClasses(c) : null,
        Backend = parse.GetValue(Backend) is { } b ? ModelSidecar.ParseBackend(b, "--backend") : null,
        Device = parse.GetValue(Device) is { } d ? ModelSidecar.ParseDevice(d, "--device") : null,
        // --threads bounds the processors used: images attacked at once, and model runs at once (so a
        // lone image's runs do not spread past it).
        ParallelRuns = parse.GetValue(Threads),
    };

    /// <summary>Checks the options that exclude each other, before any file is opened.</summary>
    public void CheckCombinations(ParseResult parse)
    {
        if (parse.GetValue(Paper) && (parse.GetValue(Budget) is not null || parse.GetValue(Population) is not null))
            throw new OnePixelException("--paper: sets the budget and population itself; leave out --budget and --population.");
        if (parse.GetValue(Targeted) && parse.GetValue(Target) is not null)
            throw new OnePixelException("--targeted: attacks every other class; leave out --target, or --targeted to attack one class.");
        if (parse.GetValue(Budget) is { } budget && parse.GetValue(Population) is { } population && budget < 1 + population)
            throw new OnePixelException($"--budget: {budget} queries cannot score the image and a population of {population} (--population); expected at least {1 + population}.");
    }

    /// <summary>The shard from --shard, else from the environment variable, else none.</summary>
    public ImageShard? ShardOf(ParseResult parse) =>
        parse.GetValue(Shard) is { } text ? ImageShard.Parse(text, "--shard") : ImageShard.FromEnvironment();

    /// <summary>
    /// The image set: --images, or the model's sample images; sliced by --skip and --count, then
    /// sharded. Opened, not loaded: each image is read when the attack reaches it.
    /// </summary>
    public ImageStream LoadImages(ParseResult parse, LoadedModel model, ModelOptions overrides)
    {
        var source = parse.GetValue(Images) ?? model.Options.SampleImages
            ?? throw new OnePixelException($"--images: not given, and {ModelSidecar.NoSampleImages(model.Path)}; expected an image folder or file.");
        var set = ImageSetLoader.Open(new ImageSetSource(source)
        {
            LabelsPath = parse.GetValue(Labels),
            CsvShape = overrides.ImageShape,
            ClassNames = model.Classifier.ClassNames,
        });
        if (parse.GetValue(Indices) is { } indices) set = set.Only(ImageSelection.ParseIndices(indices, "--indices"));
        set = set.Slice(parse.GetValue(Skip), parse.GetValue(Count));
        return ShardOf(parse) is { } shard ? set.Shard(shard) : set;
    }

    public AttackOptions AttackOptions(ParseResult parse, IImageClassifier classifier, IImageSource set) => new()
    {
        Pixels = parse.GetValue(Pixels),
        Budget = parse.GetValue(Paper)
            ? AttackBudget.Paper
            : AttackBudget.Queries(parse.GetValue(Budget) ?? AttackBudget.DefaultQueries, parse.GetValue(Population)),
        Seed = parse.GetValue(Seed),
        Mode = parse.GetValue(Targeted) ? AttackMode.EveryTarget : parse.GetValue(Target) is not null ? AttackMode.Targeted : AttackMode.Untargeted,
        Target = parse.GetValue(Target) is { } t ? ImageSetLoader.ResolveLabel(t, classifier.ClassNames ?? set.ClassNames, "--target") : null,
        Threads = parse.GetValue(Threads),
        Search = SearchOf(parse),
        Fitness = parse.GetValue(Fitness) is { } f
            ? f.ToLowerInvariant() switch
            {
                "probability" => FitnessKind.Probability,
                "margin" => FitnessKind.Margin,
                _ => throw new OnePixelException($"--fitness: expected 'probability' or 'margin', found '{f}'."),
            }
            : OnePixel.Testing.Attacks.AttackOptions.DefaultFitness(SearchOf(parse)), // the method AttackOptions hides the type here
    };

    private SearchKind SearchOf(ParseResult parse) => parse.GetValue(Search) is { } s ? ParseSearch(s, "--search") : SearchKind.DifferentialEvolution;

    /// <summary>
    /// Attacks <paramref name="set"/>, with progress on the command line's standard error unless quiet; its
    /// cancellation (Ctrl+C) stops it. Every verb attacks through here, so none can leave Ctrl+C out.
    /// </summary>
    public static AttackReport Run(LoadedModel model, IImageSource set, AttackOptions options, ImageShard? shard, CliContext cli, bool quiet)
    {
        var (error, interactive, cancellation) = (cli.Error, cli.Interactive, cli.Cancellation);
        var classifier = model.Classifier;
        var runner = new AttackRunner(classifier, options);
        if (!quiet)
        {
            error.WriteLine($"model   {model.Path} ({classifier.InputShape}, {classifier.ClassCount} classes)");
            error.WriteLine($"        {classifier.Preprocessing}");
            foreach (var note in classifier.Notes) error.WriteLine($"        {note}");
            error.WriteLine($"images  {set.Source} ({set.Count}{(shard is { } s ? $", shard {s}" : "")})");
            error.WriteLine($"budget  {options.Budget}, seed {options.Seed}, {options.Pixels} pixel{(options.Pixels == 1 ? "" : "s")}, {JsonReport.ModeName(options.Mode)}");
        }
        var progress = quiet ? null : new ConsoleProgress(error, interactive);
        AttackReport report;
        try
        {
            report = runner.Run(set, progress, cancellation, model.Identity) with { Shard = shard };
        }
        finally
        {
            progress?.Finish();
        }
        return report;
    }

    /// <summary>`--threads-per-image` of the verifying verbs: threads that bound one image together.</summary>
    public static Option<int?> ThreadsPerImage()
    {
        var option = new Option<int?>("--threads-per-image") { Description = "Threads that bound one image together (bounds; default: what --threads leaves over when there are fewer images than threads). Results do not depend on it." };
        AtLeast(option, 1);
        return option;
    }

    /// <summary>A range check that fails parsing with a message naming the option.</summary>
    internal static void AtLeast(Option<int> option, int minimum, string why = "") =>
        option.Validators.Add(result =>
        {
            if (ValueOf<int>(result) is var (parsed, value) && parsed && value < minimum)
                result.AddError($"{option.Name}: expected {minimum} or more{why}, found {value}.");
        });

    internal static void AtLeast(Option<int?> option, int minimum, string why = "") =>
        option.Validators.Add(result =>
        {
            if (ValueOf<int?>(result) is (true, { } value) && value < minimum)
                result.AddError($"{option.Name}: expected {minimum} or more{why}, found {value}.");
        });

    /// <summary>The gate option, checked to be a fraction 0..1, default <see cref="RobustnessGate.DefaultMaxSuccessRate"/>.</summary>
    /// <summary>
    /// Opens a model named on the command line. A command line's relative paths mean the current
    /// directory, as in any shell tool (the library's search upwards is for tests, which run below the
    /// repository), so a path that is not there is an error naming where it was looked for.
    /// </summary>
    internal static LoadedModel LoadModel(string path, ModelOptions? overrides = null)
    {
        if (!File.Exists(path))
            throw new OnePixelException(Directory.Exists(path)
                ? $"{path}: is a folder; expected a model file (.onnx or an ML.NET .zip)."
                : $"{path}: model file not found{(Path.IsPathRooted(path) ? "" : $" in the current directory ({Environment.CurrentDirectory})")}.");
        return LoadedModel.Load(path, overrides);
    }

    /// <summary>The required --model of the verbs that load a model from its file.</summary>
    internal static Option<string> ModelOption() => new("--model") { Description = "The .onnx model file (its sidecar FILE.json is read when present).", Required = true };

    /// <summary>The optional floor on clean accuracy, a fraction 0..1.</summary>
    internal static Option<double?> MinAccuracy(string description = "Fail (exit 1) when clean accuracy, images classified correctly / images, is below this fraction. Default: no floor (a run with nothing attacked fails anyway).")
    {
        var option = new Option<double?>("--min-accuracy") { Description = description };
        option.Validators.Add(result =>
        {
            if (ValueOf<double?>(result) is (true, { } value) && (value is < 0 or > 1 || double.IsNaN(value)))
                result.AddError($"--min-accuracy: expected a fraction 0..1 (0.8 for 80%), found {value.ToString(CultureInfo.InvariantCulture)}.");
        });
        return option;
    }

    /// <summary>
    /// --significance ALPHA: the success-rate rule of a comparison fails only when the rise is significant at this
    /// level by McNemar's exact test on the images that flipped (see <see cref="OnePixel.Testing.Baselines.SuccessRateRule"/>).
    /// </summary>
    internal static Option<double?> Significance(string description = "A significance level such as 0.05: a rise of the success rate beyond --max-increase fails only when McNemar's exact two-sided test on the images that flipped (newly fooled against newly resisting) gives p below it, and newly fooled images no longer fail on their own. Default: any rise beyond --max-increase fails.")
    {
        var option = new Option<double?>("--significance") { Description = description };
        option.Validators.Add(result =>
        {
            if (ValueOf<double?>(result) is (true, { } value) && (value is <= 0 or >= 1 || double.IsNaN(value)))
                result.AddError($"--significance: expected a significance level between 0 and 1 (such as 0.05), found {value.ToString(CultureInfo.InvariantCulture)}.");
        });
        return option;
    }

    /// <summary>--max-increase is a fraction 0..1 (0.02 for 2 points).</summary>
    internal static void CheckIncrease(Option<double> option) =>
        option.Validators.Add(result =>
        {
            if (ValueOf<double>(result) is (true, var value) && (value is < 0 or > 1 || double.IsNaN(value)))
                result.AddError($"--max-increase: expected a fraction 0..1 (0.02 for 2 points), found {value.ToString(CultureInfo.InvariantCulture)}.");
        });

    internal static Option<double> MaxSuccessRate(string description)
    {
        var option = new Option<double>("--max-success-rate") { Description = description, DefaultValueFactory = _ => RobustnessGate.DefaultMaxSuccessRate };
        option.Validators.Add(result =>
        {
            if (ValueOf<double>(result) is (true, var value)) CheckFraction(result, value);
        });
        return option;
    }

    /// <summary>The gate option without a default: the gate is shown only when given.</summary>
    internal static Option<double?> OptionalMaxSuccessRate(string description)
    {
        var option = new Option<double?>("--max-success-rate") { Description = description };
        option.Validators.Add(result =>
        {
            if (ValueOf<double?>(result) is (true, { } value)) CheckFraction(result, value);
        });
        return option;
    }

    /// <summary>
    /// Refuses an output path that is a folder before any work is done, so an hour-long run does not
    /// end in an error at the last step. (Files are written atomically, so nothing is ever half-written.)
    /// </summary>
    internal static void CheckOutputs(ParseResult parse, params Option<string?>[] outputs)
    {
        foreach (var option in outputs)
            if (parse.GetValue(option) is { } path && Directory.Exists(path))
                throw new OnePixelException($"{option.Name}: {path} is a folder; expected a file name to write.");
    }

    /// <summary>The option's value, or (false, default) when it did not parse: the parser reports that error itself.</summary>
    internal static (bool Parsed, T? Value) ValueOf<T>(OptionResult result)
    {
        try
        {
            return (true, result.GetValueOrDefault<T>());
        }
        catch (InvalidOperationException)
        {
            return (false, default);
        }
    }

    internal static void CheckFraction(OptionResult result, double value)
    {
        if (value is < 0 or > 1 || double.IsNaN(value))
            result.AddError($"--max-success-rate: expected a fraction 0..1 (0.1 for 10%), found {value.ToString(CultureInfo.InvariantCulture)}.");
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
