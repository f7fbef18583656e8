using OnePixel.Testing.Imaging;

namespace OnePixel.Testing.Models;

/// <summary>
/// How to feed a model and read its answer: everything an ONNX file does not say for itself.
/// Every field is optional; what is left out is inferred from the model where that is
/// unambiguous, or takes the documented default. Set in code, in a sidecar
/// (<c>model.onnx.json</c>) or on the command line; later sources override earlier ones.
/// </summary>
public sealed record ModelOptions
{
    /// <summary>Input tensor name; default: the model's only input.</summary>
    public string? InputName { get; init; }

    /// <summary>Output tensor name; default: the model's only output.</summary>
    public string? OutputName { get; init; }

    /// <summary>Order of the input's values; default: inferred from a rank-4 input's shape, else NCHW.</summary>
    public TensorLayout? Layout { get; init; }

    /// <summary>Image width, height and channels; default: inferred from the input's shape.</summary>
    public ImageShape? ImageShape { get; init; }

    /// <summary>Raw 0..255 pixel values are divided by this before mean and std. Default 255 (models that expect 0..1).</summary>
    public float? Scale { get; init; }

    /// <summary>Per-channel mean subtracted after scaling (one value, or one per channel). Default 0.</summary>
    public IReadOnlyList<float>? Mean { get; init; }

    /// <summary>Per-channel standard deviation divided by after the mean. Default 1.</summary>
    public IReadOnlyList<float>? Std { get; init; }

    /// <summary>Logits or probabilities; default: decided by probing the model.</summary>
    public ScoreKind? Scores { get; init; }

    /// <summary>Class names in index order.</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>The model's sample images (a folder), for tests that name only the model.</summary>
    public string? SampleImages { get; init; }

    /// <summary>One sentence about the model, for reports.</summary>
    public string? Description { get; init; }

    /// <summary>Threads ONNX Runtime uses inside one model run. Default 1: attacks run images in parallel instead.</summary>
    public int? IntraOpThreads { get; init; }

    /// <summary>What scores an .onnx file: ONNX Runtime (default, the fastest measured) or ML.NET's OnnxTransformer. A .zip model always goes through ML.NET.</summary>
    public ScoringBackend? Backend { get; init; }

    /// <summary>CPU (default) or CUDA; CUDA falls back to the CPU, with a note, when no GPU or GPU build of ONNX Runtime is there.</summary>
    public ExecutionDevice? Device { get; init; }

    /// <summary>
    /// For a model whose batch is fixed (most often at 1): run it with a dynamic batch, rewritten in
    /// memory, once output parity on probe images proves that the graph scores each image on its
    /// own. Default true; false keeps one run per fixed-size chunk.
    /// </summary>
    public bool? RelaxFixedBatch { get; init; }

    /// <summary>Images per model run at most (larger calls are split into equal runs). Default <see cref="OnnxClassifier.DefaultRunBatch"/>; `onepixel bench` shows which size runs fastest.</summary>
    public int? RunBatch { get; init; }

    /// <summary>
    /// Model runs under way at once over all callers (ONNX Runtime backend). Default: the processors
    /// divided by <see cref="IntraOpThreads"/>. When fewer callers than that are scoring (a lone
    /// caller, an attack's last images), a call's runs are spread up to this limit; 1 keeps each call
    /// on its caller's thread. Scores never depend on it.
    /// </summary>
    public int? ParallelRuns { get; init; }

    public const float DefaultScale = 255f;

    /// <summary>These options with every field that <paramref name="overrides"/> sets taken from it.</summary>
    public ModelOptions OverriddenBy(ModelOptions? overrides) => overrides is null ? this : new ModelOptions
    {
        InputName = overrides.InputName ?? InputName,
        OutputName = overrides.OutputName ?? OutputName,
        Layout = overrides.Layout ?? Layout,
        ImageShape = overrides.ImageShape ?? ImageShape,
        Scale = overrides.Scale ?? Scale,
        Mean = overrides.Mean ?? Mean,
        Std = overrides.Std ?? Std,
        Scores = overrides.Scores ?? Scores,
        ClassNames = overrides.ClassNames ?? ClassNames,
        SampleImages = overrides.SampleImages ?? SampleImages,
        Description = overrides.Description ?? Description,
        IntraOpThreads = overrides.IntraOpThreads ?? IntraOpThreads,
        Backend = overrides.Backend ?? Backend,
        Device = overrides.Device ?? Device,
        RelaxFixedBatch = overrides.RelaxFixedBatch ?? RelaxFixedBatch,
        RunBatch = overrides.RunBatch ?? RunBatch,
        ParallelRuns = overrides.ParallelRuns ?? ParallelRuns,
    };
}
