using System.Text.Json;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.Imaging;

namespace OnePixel.Testing.Reports;

/// <summary>
/// Reads a JSON report (<see cref="JsonReport"/>) back into an <see cref="AttackReport"/>, for the
/// report, compare and merge commands and for baselines. A report of another schema version, or
/// one with a missing or mistyped field, is refused with a message naming the file and the field.
/// Fields this version does not know are ignored: later versions only ever add fields.
/// </summary>
public static class JsonReportReader
{
    public static AttackReport Read(string path)
    {
        if (!File.Exists(path))
            throw new OnePixelException($"{path}: report file not found.");
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses report text; <paramref name="source"/> names it in messages.</summary>
    public static AttackReport Parse(string json, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new OnePixelException($"{source}: not a JSON report: {e.Message}", e);
        }
        using (document)
        {
            var root = new Field(document.RootElement, source, "");
            root.ExpectObject();
            var version = root.Required("schemaVersion").Int();
            if (version != JsonReport.SchemaVersion)
                throw new OnePixelException($"{source}: schemaVersion is {version}; this version of onepixel reads schema {JsonReport.SchemaVersion}.");
            var summary = root.Required("summary");
            summary.ExpectObject();
            var options = ReadOptions(summary);
            var results = root.Required("results").Array().Select(ReadResult).ToList();
            var images = summary.Required("images").Int();
            var seconds = summary.Optional("seconds")?.Double() ?? 0;
            var report = new AttackReport
            {
                Summary = AttackSummary.From(results, images, seconds),
                Results = results,
                Options = options,
                Model = summary.Optional("model") is { } model ? ReadModel(model) : null,
                ImageSource = summary.Optional("imageSource")?.String(),
                ImageLabels = summary.Optional("imageLabels")?.String(),
                ClassNames = summary.Optional("classes")?.Array().Select(c => c.String()).ToList(),
                Shard = summary.Optional("shard") is { } shard ? ReadShard(shard) : null,
            };
            CheckSummaryAgrees(summary, report.Summary, results);
            return report;
        }
    }

    /// <summary>The "model" object; its "preprocessing" is absent in reports made before runs recorded it.</summary>
    private static ModelIdentity ReadModel(Field model) => new(model.Required("path").String(), model.Required("sha256").String())
    {
        Preprocessing = model.Optional("preprocessing") is { } p ? ReadPreprocessing(p) : null,
    };

    private static Models.ModelPreprocessing ReadPreprocessing(Field p)
    {
        p.ExpectObject();
        string OneOf(string name, params string[] allowed)
        {
            var field = p.Required(name);
            var value = field.String();
            return allowed.Contains(value) ? value : throw field.Error($"expected {string.Join(" or ", allowed)}, found '{value}'");
        }
        var channels = p.Required("channels").Int();
        IReadOnlyList<float> PerChannel(string name)
        {
            var field = p.Required(name);
            var values = field.Array().Select(v => v.Float()).ToList();
            return values.Count == channels ? values : throw field.Error($"expected {channels} value(s), one per channel, found {values.Count}");
        }
        return new Models.ModelPreprocessing
        {
            InputName = p.Required("inputName").String(),
            OutputName = p.Required("outputName").String(),
            Layout = OneOf("layout", "nchw", "nhwc"),
            Width = p.Required("width").Int(),
            Height = p.Required("height").Int(),
            Channels = channels,
            Scale = p.Required("scale").Float(),
            Mean = PerChannel("mean"),
            Std = PerChannel("std"),
            OutputKind = OneOf("outputKind", "logits", "probabilities"),
            Backend = OneOf("backend", "onnxruntime", "mlnet"),
        };
    }

    private static AttackOptions ReadOptions(Field summary)
    {
        var budget = summary.Required("budget").Int();
        var population = summary.Required("population").Int();
        var generations = summary.Required("generations").Int();
        var mode = summary.Required("mode");
        var modeName = mode.String();
        var parsedMode = modeName switch
        {
            "untargeted" => AttackMode.Untargeted,
            "targeted" => AttackMode.Targeted,
            "every-target" => AttackMode.EveryTarget,
            _ => throw mode.Error($"expected untargeted, targeted or every-target, found '{modeName}'"),
        };
        AttackBudget attackBudget;
        try
        {
            var plain = new AttackBudget(budget, population);
            // A generation limit below what the queries allow (the paper's preset) is kept; otherwise none was set.
            attackBudget = budget == AttackBudget.Paper.MaxQueries && population == AttackBudget.Paper.Population && generations == AttackBudget.Paper.Generations
                ? AttackBudget.Paper
                : plain.Generations == generations ? plain : new AttackBudget(budget, population, generations);
        }
        catch (OnePixelException e)
        {
            throw summary.Error($"budget {budget}, population {population}: {e.Message}");
        }
        var search = summary.Optional("search");
        var fitness = summary.Optional("fitness");
        return new AttackOptions
        {
            Search = search?.String() switch
            {
                null or "de/rand/1" => SearchKind.DifferentialEvolution,
                "extremes-then-de" => SearchKind.ExtremesThenEvolution,
                var other => throw search!.Value.Error($"expected de/rand/1 or extremes-then-de, found '{other}'"),
            },
            Fitness = fitness?.String() switch
            {
                null or "probability" => FitnessKind.Probability,
                "margin" => FitnessKind.Margin,
                var other => throw fitness!.Value.Error($"expected probability or margin, found '{other}'"),
            },
            Budget = attackBudget,
            Seed = summary.Required("seed").ULong(),
            Pixels = summary.Required("pixels").Int(),
            Mode = parsedMode,
            Target = summary.Optional("target")?.Int(),
        };
    }

    private static ImageShard ReadShard(Field shard)
    {
        try
        {
            return new ImageShard(shard.Required("index").Int(), shard.Required("count").Int());
        }
        catch (OnePixelException e) when (!e.Message.StartsWith(shard.Source, StringComparison.Ordinal))
        {
            throw shard.Error(e.Message);
        }
    }

    private static readonly Dictionary<string, StopReason> StopReasons =
        Enum.GetValues<StopReason>().ToDictionary(JsonReport.StopReasonName);

    private static ImageAttackResult ReadResult(Field result)
    {
        result.ExpectObject();
        var stop = result.Required("stopReason");
        var stopName = stop.String();
        if (!StopReasons.TryGetValue(stopName, out var stopReason))
            throw stop.Error($"expected one of {string.Join(", ", StopReasons.Keys)}, found '{stopName}'");
        var fooled = result.Required("fooled").Bool();
        var pixels = result.Required("pixels").Array().Select(p => new PixelChange(
            p.Required("x").Int(), p.Required("y").Int(), p.Required("value").Array().Select(v => v.Byte()).ToList())).ToList();
        var adversarialLabel = result.Optional("adversarialLabel")?.Int();
        if (fooled && (adversarialLabel is null || pixels.Count == 0))
            throw result.Error("a fooled result needs adversarialLabel and at least one pixel");
        return new ImageAttackResult
        {
            Index = result.Required("index").Int(),
            Name = result.Required("name").String(),
            Label = result.Required("label").Int(),
            Predicted = result.Required("predicted").Int(),
            PredictedConfidence = result.Required("predictedConfidence").Float(),
            Attacked = result.Required("attacked").Bool(),
            Target = result.Optional("target")?.Int(),
            Fooled = fooled,
            AdversarialLabel = adversarialLabel,
            AdversarialConfidence = result.Optional("adversarialConfidence")?.Float(),
            Pixels = pixels,
            ClosestConfidence = result.Optional("closestConfidence")?.Float(),
            Queries = result.Required("queries").Int(),
            Generations = result.Optional("generations")?.Int() ?? 0,
            StopReason = stopReason,
        };
    }

    /// <summary>The counts in the summary must be those of the results: a report edited by hand, or cut short, is refused.</summary>
    private static void CheckSummaryAgrees(Field summary, AttackSummary computed, IReadOnlyList<ImageAttackResult> results)
    {
        void Check(string name, long found, long? alsoAccepted = null)
        {
            var field = summary.Required(name);
            var stated = field.Long();
            if (stated != found && stated != alsoAccepted)
                throw field.Error($"says {stated}, but the results give {found}");
        }
        Check("attacked", computed.Attacked);
        Check("fooled", computed.Fooled);
        Check("misclassified", computed.Misclassified);
        // Version 0.1 counted the unchanged image's query once per target in every-target runs: its reports stay readable.
        Check("queries", computed.Queries, results.Sum(r => (long)r.Queries));
        if (summary.Optional("accuracy") is { } accuracy && Math.Abs(accuracy.Double() - computed.Accuracy) > 1e-9)
            throw accuracy.Error($"says {accuracy.Double().ToString(System.Globalization.CultureInfo.InvariantCulture)}, but the results give {computed.Accuracy.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
    }

    /// <summary>A JSON value with its path, so every error names the file and the field.</summary>
    private readonly record struct Field(JsonElement Element, string Source, string Path)
    {
        public OnePixelException Error(string problem) =>
            new($"{Source}: {(Path.Length == 0 ? "the report" : Path)}: {problem}.");

        public void ExpectObject()
        {
            if (Element.ValueKind != JsonValueKind.Object)
                throw Error($"expected an object, found {Describe()}");
        }

        public Field Required(string name) =>
            Optional(name) ?? throw Error($"expected a field '{name}', found none");

        public Field? Optional(string name)
        {
            ExpectObject();
            return Element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
                ? new Field(value, Source, Path.Length == 0 ? name : $"{Path}.{name}")
                : null;
        }

        public IEnumerable<Field> Array()
        {
            if (Element.ValueKind != JsonValueKind.Array)
                throw Error($"expected an array, found {Describe()}");
            var (source, path) = (Source, Path);
            return Element.EnumerateArray().Select((e, i) => new Field(e, source, $"{path}[{i}]")).ToList();
        }

        public string String() => Element.ValueKind == JsonValueKind.String ? Element.GetString()! : throw Error($"expected a string, found {Describe()}");

        public bool Bool() => Element.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error($"expected true or false, found {Describe()}"),
        };

        public int Int() => Element.ValueKind == JsonValueKind.Number && Element.TryGetInt32(out var v) ? v : throw Error($"expected a whole number, found {Describe()}");
        public long Long() => Element.ValueKind == JsonValueKind.Number && Element.TryGetInt64(out var v) ? v : throw Error($"expected a whole number, found {Describe()}");
        public ulong ULong() => Element.ValueKind == JsonValueKind.Number && Element.TryGetUInt64(out var v) ? v : throw Error($"expected a whole number 0 or more, found {Describe()}");
        public byte Byte() => Element.ValueKind == JsonValueKind.Number && Element.TryGetByte(out var v) ? v : throw Error($"expected a pixel value 0..255, found {Describe()}");
        public double Double() => Element.ValueKind == JsonValueKind.Number ? Element.GetDouble() : throw Error($"expected a number, found {Describe()}");
        public float Float() => Element.ValueKind == JsonValueKind.Number ? Element.GetSingle() : throw Error($"expected a number, found {Describe()}");

        private string Describe() => Element.ValueKind switch
        {
            JsonValueKind.String => $"the string \"{Element.GetString()}\"",
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => Element.GetRawText(),
            JsonValueKind.Array => "an array",
            JsonValueKind.Object => "an object",
            _ => Element.ValueKind.ToString().ToLowerInvariant(),
        };
    }
}
