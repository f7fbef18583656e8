using System.Collections.Concurrent;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Onnx;
using OnePixel.Testing.Imaging;

namespace OnePixel.Testing.Models;

/// <summary>
/// Scores an .onnx model through ML.NET: <c>MLContext.Transforms.ApplyOnnxModel</c>
/// (Microsoft.ML.OnnxTransformer) in a <see cref="PredictionEngine{TSrc, TDst}"/>. The model is
/// inspected as <see cref="OnnxClassifier"/> does (names, layout, size, preprocessing, logits or
/// probabilities: the same notes and errors), then scored by ML.NET.
/// </summary>
/// <remarks>
/// OnnxTransformer runs one ONNX Runtime call per row. To score a batch in one call, a row here
/// holds a whole batch: the input column is a vector of B images and the transformer is told the
/// input's shape is [B, ...] (its shape dictionary), which a dynamic batch, or a fixed one relaxed
/// by <see cref="OnnxClassifier"/> after its parity check, allows. A transformer is made per batch
/// size met (the population, the image count), a few at most; other sizes are split into the ones
/// already made.
/// </remarks>
public sealed class MlNetOnnxClassifier : IModelClassifier
{
    /// <summary>Batch sizes given their own transformer; beyond this many, calls are split into those already made.</summary>
    private const int MaxTransformers = 8;

    private readonly OnnxClassifier _inspected;
    private readonly MLContext _ml = new(seed: 0);
    private readonly ConcurrentDictionary<int, Lazy<MlNetEnginePool>> _pools = new();
    private readonly string _modelFile;
    private readonly string? _temporaryModelFile;
    private readonly ModelOptions _options;

    private MlNetOnnxClassifier(OnnxClassifier inspected, ModelOptions options)
    {
        _inspected = inspected;
        _options = options;
        if (inspected.RelaxedModel is { } relaxed)
        {
            // OnnxOptions takes a file: the relaxed bytes go to a temporary one, deleted on Dispose.
            _temporaryModelFile = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"onepixel-{Guid.NewGuid():N}.onnx");
            File.WriteAllBytes(_temporaryModelFile, relaxed);
        }
        _modelFile = _temporaryModelFile ?? inspected.Path;
        Notes = [.. inspected.Notes, $"scored by ML.NET (ApplyOnnxModel, {(BatchPacking ? "a batch per row" : $"{inspected.FixedBatch} image(s) per row")})"];
    }

    public string Path => _inspected.Path;
    public ImageShape InputShape => _inspected.InputShape;
    public int ClassCount => _inspected.ClassCount;
    public IReadOnlyList<string>? ClassNames => _inspected.ClassNames;
    public ScoreKind ScoreKind => _inspected.ScoreKind;
    public ScoringBackend Backend => ScoringBackend.MlNet;
    public ModelPreprocessing Preprocessing => _inspected.Preprocessing with { Backend = ModelPreprocessing.BackendName(ScoringBackend.MlNet) };
    public IReadOnlyList<string> Notes { get; }
    public string InputName => _inspected.InputName;
    public string OutputName => _inspected.OutputName;

    /// <summary>True when a row may hold any number of images (dynamic or relaxed batch).</summary>
    private bool BatchPacking => _inspected.FixedBatch is null || _inspected.BatchRelaxed;

    public static MlNetOnnxClassifier Load(string path, ModelOptions? options = null)
    {
        options ??= new ModelOptions();
        var inspected = OnnxClassifier.Load(path, options);
        try
        {
            return new MlNetOnnxClassifier(inspected, options);
        }
        catch
        {
            inspected.Dispose();
            throw;
        }
    }

    public void Score(ReadOnlySpan<byte> images, int count, Span<float> probabilities)
    {
        var imageLength = InputShape.Length;
        this.CheckScoreArguments(images, count, probabilities);
        var start = 0;
        while (start < count)
        {
            var (size, used) = NextChunk(count - start);
            var pool = Pool(size);
            var engine = pool.Rent();
            try
            {
                var input = engine.Input.Values;
                for (var i = 0; i < used; i++)
                    _inspected.Preprocess(images.Slice((start + i) * imageLength, imageLength), input.AsSpan(i * imageLength, imageLength));
                input.AsSpan(used * imageLength).Clear(); // padding of a fixed batch
                var raw = engine.Predict();
                if (raw.Length < used * _inspected.OutputRowLength)
                    throw new OnePixelException($"{Path}: output '{OutputName}' gave {raw.Length} values for {size} images through ML.NET; expected {_inspected.OutputRowLength} per image.");
                _inspected.ToProbabilities(raw, used, probabilities.Slice(start * ClassCount, used * ClassCount));
            }
            finally
            {
                pool.Return(engine);
            }
            start += used;
        }
    }

    /// <summary>The transformer batch size for the next chunk of <paramref name="remaining"/> images, and how many of them it takes.</summary>
    private (int Size, int Used) NextChunk(int remaining)
    {
        if (!BatchPacking)
        {
            var fixedBatch = _inspected.FixedBatch!.Value;
            return (fixedBatch, Math.Min(fixedBatch, remaining));
        }
        var wanted = OnnxClassifier.EqualChunk(remaining, _inspected.RunBatch);
        if (_pools.ContainsKey(wanted) || _pools.Count < MaxTransformers) return (wanted, wanted);
        // Enough transformers made: take the largest one that fits, else the smallest, padded.
        var sizes = _pools.Keys.Order().ToList();
        var fit = sizes.LastOrDefault(s => s <= wanted);
        return fit > 0 ? (fit, fit) : (sizes[0], wanted);
    }

    private MlNetEnginePool Pool(int size) => _pools.GetOrAdd(size, s => new Lazy<MlNetEnginePool>(() => CreatePool(s))).Value;

    private MlNetEnginePool CreatePool(int batch)
    {
        var dimensions = _inspected.InputDimensions.Select(d => (int)d).ToArray();
        dimensions[0] = batch;
        var onnxOptions = new OnnxOptions
        {
            ModelFile = _modelFile,
            InputColumns = [InputName],
            OutputColumns = [OutputName],
            ShapeDictionary = new Dictionary<string, int[]> { [InputName] = dimensions },
            IntraOpNumThreads = _options.IntraOpThreads ?? 1,
            InterOpNumThreads = 1,
            GpuDeviceId = _options.Device == ExecutionDevice.Cuda ? 0 : null,
            FallbackToCpu = true,
        };
        var inputLength = batch * InputShape.Length;
        var empty = _ml.Data.LoadFromEnumerable(Array.Empty<MlNetEnginePool.InputVector>(), InputDefinition(inputLength));
        ITransformer transformer;
        try
        {
            transformer = _ml.Transforms.ApplyOnnxModel(onnxOptions).Fit(empty);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
        {
            throw new OnePixelException($"{Path}: ML.NET's ApplyOnnxModel cannot score the model with input '{InputName}' shaped [{string.Join(", ", dimensions)}] ({OnnxModelFile.FirstLine(e.Message)}); use the ONNX Runtime backend (sidecar 'backend': 'onnxruntime' or --backend onnxruntime).", e);
        }
        var outputType = transformer.GetOutputSchema(empty.Schema)[OutputName].Type;
        return new MlNetEnginePool(_ml, transformer, InputName, inputLength, OutputName, outputType);
    }

    private SchemaDefinition InputDefinition(int length)
    {
        var definition = SchemaDefinition.Create(typeof(MlNetEnginePool.InputVector));
        definition[0].ColumnName = InputName;
        definition[0].ColumnType = new VectorDataViewType(NumberDataViewType.Single, length);
        return definition;
    }

    public void Dispose()
    {
        foreach (var pool in _pools.Values)
            if (pool.IsValueCreated) pool.Value.Dispose();
        _inspected.Dispose();
        if (_temporaryModelFile is not null)
            try { File.Delete(_temporaryModelFile); } catch (IOException) { }
    }
}
