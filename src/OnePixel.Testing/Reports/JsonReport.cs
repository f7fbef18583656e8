using System.Text;
using System.Text.Json;
using OnePixel.Testing.Attacks;

namespace OnePixel.Testing.Reports;

/// <summary>
/// The JSON report: a public contract that scripts and CI systems read (documented in README.md).
/// Fields are only ever added; <see cref="SchemaVersion"/> changes if one ever has to change meaning.
/// Written by hand with Utf8JsonWriter so the field order, and so the bytes, are stable.
/// </summary>
public static class JsonReport
{
    public const int SchemaVersion = 1;

    public static string ToJson(AttackReport report, bool includeTimings = true)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            Write(json, report, includeTimings);
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    public static void Save(AttackReport report, string path) => AtomicFile.WriteAllText(path, ToJson(report));

    private static void Write(Utf8JsonWriter json, AttackReport report, bool includeTimings)
    {
        var summary = report.Summary;
        var options = report.Options;
        json.WriteStartObject();
        json.WriteNumber("schemaVersion", SchemaVersion);
        WriteTool(json);

        json.WriteStartObject("summary");
        json.WriteNumber("images", summary.Images);
        json.WriteNumber("attacked", summary.Attacked);
        json.WriteNumber("fooled", summary.Fooled);
        json.WriteNumber("misclassified", summary.Misclassified);
        json.WriteNumber("accuracy", summary.Accuracy);
        json.WriteNumber("successRate", summary.SuccessRate);
        json.WriteStartObject("successRateInterval");
        json.WriteNumber("low", summary.SuccessRateInterval.Low);
        json.WriteNumber("high", summary.SuccessRateInterval.High);
        json.WriteString("method", "wilson-95");
        json.WriteEndObject();
        json.WriteNumber("queries", summary.Queries);
        if (includeTimings) json.WriteNumber("seconds", Math.Round(summary.Seconds, 3));
        json.WriteNumber("budget", options.Budget.MaxQueries);
        json.WriteNumber("population", options.Budget.Population);
        json.WriteNumber("generations", options.Budget.Generations);
        json.WriteNumber("seed", options.Seed);
        json.WriteNumber("pixels", options.Pixels);
        json.WriteString("mode", ModeName(options.Mode));
        if (options.Target is { } target) json.WriteNumber("target", target);
        json.WriteString("earlyStop", options.Mode == AttackMode.Untargeted ? "top-1 class changed" : "target became top-1");
        json.WriteString("search", SearchName(options.Search));
        json.WriteString("fitness", options.Fitness == FitnessKind.Margin ? "margin" : "probability");
        if (report.Model is { } model) WriteModel(json, model);
        if (report.ImageSource is { } source) json.WriteString("imageSource", source);
        if (report.ImageLabels is { } labels) json.WriteString("imageLabels", labels);
        if (report.ClassNames is { } names)
        {
            json.WriteStartArray("classes");
            foreach (var name in names) json.WriteStringValue(name);
            json.WriteEndArray();
        }
        if (report.Shard is { } shard)
        {
            json.WriteStartObject("shard");
            json.WriteNumber("index", shard.Index);
            json.WriteNumber("count", shard.Count);
            json.WriteEndObject();
        }
        json.WriteEndObject();

        json.WriteStartArray("results");
        foreach (var result in report.Results)
            WriteResult(json, result);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteResult(Utf8JsonWriter json, ImageAttackResult result)
    {
        json.WriteStartObject();
        json.WriteNumber("index", result.Index);
        json.WriteString("name", result.Name);
        json.WriteNumber("label", result.Label);
        json.WriteNumber("predicted", result.Predicted);
        json.WriteNumber("predictedConfidence", result.PredictedConfidence);
        json.WriteBoolean("attacked", result.Attacked);
        if (result.Target is { } target) json.WriteNumber("target", target);
        json.WriteBoolean("fooled", result.Fooled);
        if (result.AdversarialLabel is { } adversarial) json.WriteNumber("adversarialLabel", adversarial);
        else json.WriteNull("adversarialLabel");
        if (result.AdversarialConfidence is { } confidence) json.WriteNumber("adversarialConfidence", confidence);
        else json.WriteNull("adversarialConfidence");
        json.WriteStartArray("pixels");
        foreach (var pixel in result.Pixels)
        {
            json.WriteStartObject();
            WritePixelFields(json, pixel);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        if (result.ClosestConfidence is { } closest) json.WriteNumber("closestConfidence", closest);
        json.WriteNumber("queries", result.Queries);
        json.WriteNumber("generations", result.Generations);
        json.WriteString("stopReason", StopReasonName(result.StopReason));
        json.WriteEndObject();
    }

    /// <summary>The "tool" object every report of this tool starts with.</summary>
    internal static void WriteTool(Utf8JsonWriter json)
    {
        json.WriteStartObject("tool");
        json.WriteString("name", "onepixel");
        json.WriteString("version", EngineVersion.Current);
        json.WriteEndObject();
    }

    /// <summary>The "model" object: the file, its sha256 and, when known, the preprocessing in force.</summary>
    internal static void WriteModel(Utf8JsonWriter json, ModelIdentity model)
    {
        json.WriteStartObject("model");
        json.WriteString("path", model.Path);
        json.WriteString("sha256", model.Sha256);
        if (model.Preprocessing is { } p)
        {
            json.WriteStartObject("preprocessing");
            json.WriteString("inputName", p.InputName);
            json.WriteString("outputName", p.OutputName);
            json.WriteString("layout", p.Layout);
            json.WriteNumber("width", p.Width);
            json.WriteNumber("height", p.Height);
            json.WriteNumber("channels", p.Channels);
            json.WriteNumber("scale", p.Scale);
            WriteNumbers(json, "mean", p.Mean);
            WriteNumbers(json, "std", p.Std);
            json.WriteString("outputKind", p.OutputKind);
            json.WriteString("backend", p.Backend);
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }

    private static void WriteNumbers(Utf8JsonWriter json, string name, IReadOnlyList<float> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values) json.WriteNumberValue(value);
        json.WriteEndArray();
    }

    /// <summary>A changed pixel's fields: "x", "y" and "value" (one number per channel).</summary>
    internal static void WritePixelFields(Utf8JsonWriter json, PixelChange pixel)
    {
        json.WriteNumber("x", pixel.X);
        json.WriteNumber("y", pixel.Y);
        json.WriteStartArray("value");
        foreach (var v in pixel.Value) json.WriteNumberValue(v);
        json.WriteEndArray();
    }

    public static string ModeName(AttackMode mode) => mode switch
    {
        AttackMode.Untargeted => "untargeted",
        AttackMode.Targeted => "targeted",
        _ => "every-target",
    };

    public static string SearchName(SearchKind search) => search == SearchKind.ExtremesThenEvolution ? "extremes-then-de" : "de/rand/1";

    public static string StopReasonName(StopReason reason) => reason switch
    {
        StopReason.AlreadyMisclassified => "already-misclassified",
        StopReason.TopOneChanged => "top-1-changed",
        StopReason.TargetReached => "target-reached",
        StopReason.BudgetExhausted => "budget-exhausted",
        StopReason.GenerationsExhausted => "generations-exhausted",
        _ => "target-is-true-class",
    };
}
