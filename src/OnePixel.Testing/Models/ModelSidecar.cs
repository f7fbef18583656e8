using System.Text.Json;
using System.Text.Json.Serialization;
using OnePixel.Testing.Imaging;

namespace OnePixel.Testing.Models;

/// <summary>
/// The JSON file next to a model (<c>model.onnx.json</c>) that describes its preprocessing, so a
/// test or the command line can name just the model file. Unknown fields are refused: a typo must
/// not silently fall back to a default.
/// </summary>
public static class ModelSidecar
{
    public const int SchemaVersion = 1;

    public static string PathFor(string modelPath) => modelPath + ".json";

    /// <summary>Reads the sidecar next to the model, or returns null when there is none.</summary>
    public static ModelOptions? TryReadFor(string modelPath)
    {
        var path = PathFor(modelPath);
        return File.Exists(path) ? Read(path) : null;
    }

    /// <summary>
    /// Why a model has no sample images, in words that fit its case: "X.onnx has no sidecar (X.onnx.json)
    /// to name sampleImages", or "X.onnx.json names no sampleImages".
    /// </summary>
    public static string NoSampleImages(string modelPath) => File.Exists(PathFor(modelPath))
        ? $"{PathFor(modelPath)} names no sampleImages"
        : $"{modelPath} has no sidecar ({Path.GetFileName(PathFor(modelPath))}) to name sampleImages";

    /// <summary>The fields a sidecar may hold, as written in it.</summary>
    public static IReadOnlyList<string> FieldNames { get; } = typeof(SidecarFile).GetProperties()
        .Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)).ToList();

    public static ModelOptions Read(string path)
    {
        SidecarFile file;
        var text = File.ReadAllText(path);
        CheckFieldNames(path, text);
        try
        {
            file = JsonSerializer.Deserialize(text, SidecarJsonContext.Default.SidecarFile)
                ?? throw new OnePixelException($"{path}: the sidecar is empty; expected a JSON object.");
        }
        catch (JsonException e)
        {
            throw new OnePixelException($"{path}: not a valid model sidecar{(e.Path is null ? "" : $" at '{e.Path.TrimStart('$', '.')}'")}: {e.Message.Split(" Path:")[0]}", e);
        }
        if (file.Schema is not null && file.Schema != SchemaVersion)
            throw new OnePixelException($"{path}: field 'schema' is {file.Schema}; this version reads schema {SchemaVersion}.");

        ImageShape? shape = null;
        if (file.Width is not null || file.Height is not null || file.Channels is not null)
        {
            if (file.Width is null || file.Height is null)
                throw new OnePixelException($"{path}: fields 'width' and 'height' go together; found only '{(file.Width is null ? "height" : "width")}'.");
            shape = new ImageShape(file.Width.Value, file.Height.Value, file.Channels ?? 1);
            shape.Value.Validate($"{path}: fields 'width', 'height', 'channels'");
        }
        if (file.Scale is <= 0)
            throw new OnePixelException($"{path}: field 'scale' is {file.Scale}; expected a positive number (255 for models that expect 0..1, 1 for 0..255).");
        if (file.Std?.Any(s => s <= 0) == true)
            throw new OnePixelException($"{path}: field 'std' holds [{string.Join(", ", file.Std)}]; expected positive numbers.");
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        return new ModelOptions
        {
            InputName = file.InputName,
            OutputName = file.OutputName,
            Layout = file.Layout is null ? null : ParseLayout(file.Layout, $"{path}: field 'layout'"),
            ImageShape = shape,
            Scale = file.Scale,
            Mean = file.Mean,
            Std = file.Std,
            Scores = file.OutputKind is null ? null : ParseScoreKind(file.OutputKind, $"{path}: field 'outputKind'"),
            ClassNames = file.Classes,
            SampleImages = file.SampleImages is null ? null : Path.GetFullPath(Path.Combine(directory, file.SampleImages)),
            Description = file.Description,
            Backend = file.Backend is null ? null : ParseBackend(file.Backend, $"{path}: field 'backend'"),
            Device = file.Device is null ? null : ParseDevice(file.Device, $"{path}: field 'device'"),
            RunBatch = file.RunBatch is null or > 0 ? file.RunBatch : throw new OnePixelException($"{path}: field 'runBatch' is {file.RunBatch}; expected 1 or more images per run."),
        };
    }

    /// <summary>An unknown field is named, with the nearest known one and the list of those there are (a typo must never fall back to a default).</summary>
    private static void CheckFieldNames(string path, string text)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException)
        {
            return; // the deserializer below names the syntax error and where it is
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object) return;
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (FieldNames.Contains(property.Name, StringComparer.Ordinal)) continue;
                var nearest = FieldNames.MinBy(f => EditDistance(f.ToLowerInvariant(), property.Name.ToLowerInvariant()))!;
                var hint = EditDistance(nearest.ToLowerInvariant(), property.Name.ToLowerInvariant()) <= Math.Max(2, nearest.Length / 3) ? $"; did you mean '{nearest}'?" : ".";
                throw new OnePixelException($"{path}: unknown field '{property.Name}'{hint} A sidecar may hold: {string.Join(", ", FieldNames)}.");
            }
        }
    }

    /// <summary>Levenshtein distance, for naming the field a typo meant.</summary>
    private static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            previous = current;
        }
        return previous[b.Length];
    }

    /// <summary>"nchw", "nhwc", or "flat" (a flat input in NCHW order, as PyTorch's flatten gives).</summary>
    public static TensorLayout ParseLayout(string text, string what) => text.ToLowerInvariant() switch
    {
        "nchw" or "flat" => TensorLayout.Nchw,
        "nhwc" => TensorLayout.Nhwc,
        _ => throw new OnePixelException($"{what}: expected 'nchw', 'nhwc' or 'flat', found '{text}'."),
    };

    public static ScoreKind ParseScoreKind(string text, string what) => text.ToLowerInvariant() switch
    {
        "logits" => ScoreKind.Logits,
        "probabilities" => ScoreKind.Probabilities,
        "auto" => ScoreKind.Auto,
        _ => throw new OnePixelException($"{what}: expected 'logits' or 'probabilities', found '{text}'."),
    };

    /// <summary>"onnxruntime" or "mlnet".</summary>
    public static ScoringBackend ParseBackend(string text, string what) => text.ToLowerInvariant() switch
    {
        "onnxruntime" or "ort" => ScoringBackend.OnnxRuntime,
        "mlnet" or "ml.net" => ScoringBackend.MlNet,
        _ => throw new OnePixelException($"{what}: expected 'onnxruntime' or 'mlnet', found '{text}'."),
    };

    /// <summary>"cpu" or "cuda".</summary>
    public static ExecutionDevice ParseDevice(string text, string what) => text.ToLowerInvariant() switch
    {
        "cpu" => ExecutionDevice.Cpu,
        "cuda" or "gpu" => ExecutionDevice.Cuda,
        _ => throw new OnePixelException($"{what}: expected 'cpu' or 'cuda', found '{text}'."),
    };

    internal sealed record SidecarFile
    {
        public int? Schema { get; init; }
        public string? Description { get; init; }
        public string? InputName { get; init; }
        public string? OutputName { get; init; }
        public string? Layout { get; init; }
        public int? Width { get; init; }
        public int? Height { get; init; }
        public int? Channels { get; init; }
        public float? Scale { get; init; }
        public float[]? Mean { get; init; }
        public float[]? Std { get; init; }
        public string? OutputKind { get; init; }
        public string[]? Classes { get; init; }
        public string? SampleImages { get; init; }
        public string? Backend { get; init; }
        public string? Device { get; init; }
        public int? RunBatch { get; init; }
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow, ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true)]
[JsonSerializable(typeof(ModelSidecar.SidecarFile))]
internal sealed partial class SidecarJsonContext : JsonSerializerContext;
