using System.Globalization;
using OnePixel.Testing.Imaging;

namespace OnePixel.Testing.Models;

/// <summary>
/// How a model was fed and read in a run: the values in force, whether inferred, read from the sidecar
/// or given in code or on the command line. Reports and baselines record it, reproduce commands repeat
/// it, and a baseline or report made with other values is refused rather than compared: the same model
/// fed at scale 1 instead of 255 is another experiment. Names are the command line's option values
/// (layout "nchw"/"nhwc", outputKind "logits"/"probabilities", backend "onnxruntime"/"mlnet").
/// </summary>
public sealed record ModelPreprocessing
{
    public required string InputName { get; init; }
    public required string OutputName { get; init; }

    /// <summary>"nchw" or "nhwc" (a flat input is read in NCHW order).</summary>
    public required string Layout { get; init; }

    public required int Width { get; init; }
    public required int Height { get; init; }
    public required int Channels { get; init; }

    /// <summary>Raw 0..255 values are divided by this before the mean and std.</summary>
    public required float Scale { get; init; }

    /// <summary>One value per channel.</summary>
    public required IReadOnlyList<float> Mean { get; init; }

    /// <summary>One value per channel.</summary>
    public required IReadOnlyList<float> Std { get; init; }

    /// <summary>"logits" or "probabilities".</summary>
    public required string OutputKind { get; init; }

    /// <summary>"onnxruntime" or "mlnet".</summary>
    public required string Backend { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public ImageShape Shape => new(Width, Height, Channels);

    /// <summary>The record for a classifier: its resolved names, layout, size, score kind and backend, and the options' scale, mean and std with their defaults applied per channel.</summary>
    public static ModelPreprocessing Of(string inputName, string outputName, TensorLayout layout, ImageShape shape, ModelOptions options, ScoreKind scores, ScoringBackend backend) => new()
    {
        InputName = inputName,
        OutputName = outputName,
        Layout = LayoutName(layout),
        Width = shape.Width,
        Height = shape.Height,
        Channels = shape.Channels,
        Scale = options.Scale ?? ModelOptions.DefaultScale,
        Mean = PerChannel(options.Mean, 0f, shape.Channels),
        Std = PerChannel(options.Std, 1f, shape.Channels),
        OutputKind = scores == ScoreKind.Probabilities ? "probabilities" : "logits",
        Backend = BackendName(backend),
    };

    public static string LayoutName(TensorLayout layout) => layout == TensorLayout.Nhwc ? "nhwc" : "nchw";

    public static string BackendName(ScoringBackend backend) => backend == ScoringBackend.MlNet ? "mlnet" : "onnxruntime";

    /// <summary>
    /// Each field whose value differs, as "scale: 1 in the baseline, 255 now" (with the two sides named
    /// by <paramref name="thisName"/> and <paramref name="otherName"/>); empty when they are the same.
    /// </summary>
    public IReadOnlyList<string> Differences(ModelPreprocessing other, string thisName, string otherName)
    {
        var differences = new List<string>();
        void Compare(string field, string mine, string theirs)
        {
            if (mine != theirs) differences.Add($"{field}: {mine} {thisName}, {theirs} {otherName}");
        }
        Compare("inputName", Quote(InputName), Quote(other.InputName));
        Compare("outputName", Quote(OutputName), Quote(other.OutputName));
        Compare("layout", Layout, other.Layout);
        Compare("size", Shape.ToString(), other.Shape.ToString());
        Compare("scale", Number(Scale), Number(other.Scale));
        Compare("mean", Numbers(Mean), Numbers(other.Mean));
        Compare("std", Numbers(Std), Numbers(other.Std));
        Compare("outputKind", OutputKind, other.OutputKind);
        Compare("backend", Backend, other.Backend);
        return differences;
    }

    /// <summary>
    /// What differs between two runs' records, each entry naming the field and both values; a record
    /// missing on one side only (a report or baseline made before version 0.2 recorded none) is itself a difference.
    /// </summary>
    public static IReadOnlyList<string> Mismatches(ModelPreprocessing? first, ModelPreprocessing? second, string firstName, string secondName) =>
        (first, second) switch
        {
            (null, null) => [],
            (null, _) => [$"preprocessing: not recorded {firstName} (made before runs recorded it, or by a classifier made in code), {second} {secondName}"],
            (_, null) => [$"preprocessing: {first} {firstName}, not recorded {secondName} (made before runs recorded it, or by a classifier made in code)"],
            _ => first.Differences(second, firstName, secondName),
        };

    /// <summary>"input 'image' NCHW 28x28x1, scale 255, mean [0], std [1], output 'logits' (logits), backend onnxruntime".</summary>
    public override string ToString() =>
        $"input {Quote(InputName)} {Layout.ToUpperInvariant()} {Shape}, scale {Number(Scale)}, mean {Numbers(Mean)}, std {Numbers(Std)}, output {Quote(OutputName)} ({OutputKind}), backend {Backend}";

    /// <summary>A float as the command line reads it back: the shortest text that round-trips.</summary>
    public static string Number(float value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>"0.485,0.456,0.406": the command line's --mean/--std form.</summary>
    public static string CommaList(IReadOnlyList<float> values) => string.Join(",", values.Select(Number));

    private static string Numbers(IReadOnlyList<float> values) => $"[{string.Join(", ", values.Select(Number))}]";

    private static string Quote(string name) => $"'{name}'";

    /// <summary>One value per channel: the fallback on every channel when none is given, one value repeated, or the values as given.</summary>
    internal static float[] PerChannel(IReadOnlyList<float>? values, float fallback, int channels) =>
        values is null || values.Count == 0 ? Enumerable.Repeat(fallback, channels).ToArray()
        : values.Count == 1 ? Enumerable.Repeat(values[0], channels).ToArray()
        : values.ToArray();
}
