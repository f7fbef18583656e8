using Microsoft.ML.OnnxRuntime;
using OnePixel.Testing.Imaging;

namespace OnePixel.Testing.Models;

/// <summary>
/// Scores images through ONNX Runtime directly: batched runs over pinned managed buffers that are
/// reused from call to call (input and output both, so nothing is allocated per query), with the
/// pixel preprocessing (scale, mean, std, layout) done by a lookup table. A model whose batch is
/// fixed is rewritten in memory to a dynamic batch once output parity proves that safe
/// (<see cref="ModelOptions.RelaxFixedBatch"/>). Thread-safe: ONNX Runtime sessions allow
/// concurrent runs, and each concurrent call takes its own buffers from a pool.
/// </summary>
/// <remarks>
/// The pieces, each in its own file: <see cref="OnnxModelFile"/> (opening, CUDA, names),
/// <see cref="OnnxInput"/> and <see cref="OnnxOutput"/> (shapes, layout, class count),
/// <see cref="PixelPreprocessor"/>, <see cref="FixedBatchRelaxation"/>, <see cref="OnnxRuns"/> and
/// <see cref="OnnxRunBuffers"/> (one run, its buffers and bindings), <see cref="RunSpreader"/> (a
/// call's runs over idle processors) and <see cref="Probability.FromScores"/>.
/// </remarks>
public sealed class OnnxClassifier : IModelClassifier
{
    /// <summary>
    /// Images per ONNX Runtime run at most, unless <see cref="ModelOptions.RunBatch"/> says otherwise:
    /// larger calls are split into equal runs. Measured by <c>onepixel bench</c> on the bundled CNN,
    /// runs of 16 to 64 images score fastest (their activations stay in cache) and 400 about a third
    /// slower; bounded runs also keep memory flat however many images are scored at once.
    /// </summary>
    public const int DefaultRunBatch = 64;

    private InferenceSession _session;
    private readonly OnnxInput _input;
    private readonly OnnxOutput _output;
    private int _fixedBatch; // 0 when runs may have any batch (dynamic, or relaxed)
    private readonly PixelPreprocessor _preprocessor;
    private readonly bool _applySoftmax;
    private readonly OnnxRuns _runs;
    private readonly RunSpreader _spreader;
    private readonly RunScorer _scoreRunPooled;

    private OnnxClassifier(string path, InferenceSession session, ModelOptions options, List<string> notes, Func<SessionOptions> sessionOptions, ExecutionDevice device)
    {
        Path = path;
        _session = session;
        Device = device;
        var inputName = OnnxModelFile.ResolveName(options.InputName, session.InputMetadata.Keys, "input", path);
        var outputName = OnnxModelFile.ResolveName(options.OutputName, session.OutputMetadata.Keys, "output", path);
        RunBatch = options.RunBatch ?? DefaultRunBatch;
        // Each run may itself use several ONNX Runtime threads: spread runs only over what is left.
        var parallelRuns = options.ParallelRuns ?? Math.Max(1, Environment.ProcessorCount / Math.Max(1, options.IntraOpThreads ?? 1));
        if (parallelRuns < 1)
            throw new OnePixelException($"{path}: parallel runs is {parallelRuns}; expected 1 or more model runs at once.");
        if (RunBatch < 1)
            throw new OnePixelException($"{path}: run batch is {RunBatch}; expected 1 or more images per run.");
        _spreader = new RunSpreader(parallelRuns);

        _input = OnnxInput.Read(path, session, inputName, options, notes);
        _fixedBatch = _input.FixedBatch;
        OnnxOutput.CheckElementType(path, session, outputName);
        _preprocessor = PixelPreprocessor.For(path, options, _input.Shape, _input.Layout);
        _output = OnnxOutput.Read(path, session, outputName, _input, options.ClassNames);
        ClassNames = options.ClassNames;
        _runs = new OnnxRuns(path, _input, _output, _preprocessor);
        _scoreRunPooled = ScoreRunPooled;

        if (_fixedBatch > 0 && FixedBatchRelaxation.TryRelax(path, _input, _output, options, sessionOptions, _session, _runs, notes) is var (relaxedSession, relaxedModel))
        {
            _session.Dispose();
            _session = relaxedSession;
            _fixedBatch = 0;
            RelaxedModel = relaxedModel;
        }

        var probe = ProbeScores(); // also fails early, naming the file and output, on NaN or infinity
        var kind = ScoreKindProbe.Resolve(options.Scores, probe, ClassCount, $"output '{OutputName}'", notes);
        _applySoftmax = kind == ScoreKind.Logits;
        ScoreKind = kind;
        Preprocessing = ModelPreprocessing.Of(InputName, OutputName, Layout, InputShape, options, kind, ScoringBackend.OnnxRuntime);
        Notes = notes;
    }

    public string Path { get; }
    public ImageShape InputShape => _input.Shape;
    public int ClassCount => _output.RowLength;
    public IReadOnlyList<string>? ClassNames { get; }
    public ScoreKind ScoreKind { get; }
    public TensorLayout Layout => _input.Layout;
    public string InputName => _input.Name;
    public string OutputName => _output.Name;
    public ScoringBackend Backend => ScoringBackend.OnnxRuntime;
    public ModelPreprocessing Preprocessing { get; }

    /// <summary>Where the model runs: <see cref="ExecutionDevice.Cpu"/> when CUDA was asked for but is not usable.</summary>
    public ExecutionDevice Device { get; }

    /// <summary>What was inferred rather than declared, in words, so users can check it.</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>The batch size the model file is fixed to, or null when its batch is dynamic.</summary>
    public int? FixedBatch => _input.FixedBatch == 0 ? null : _input.FixedBatch;

    /// <summary>True when a fixed batch was relaxed to a dynamic one (after the parity check).</summary>
    public bool BatchRelaxed => _input.FixedBatch != 0 && _fixedBatch == 0;

    /// <summary>The model bytes with a dynamic batch, when <see cref="BatchRelaxed"/>: what the ML.NET path runs too.</summary>
    internal byte[]? RelaxedModel { get; private set; }

    internal long[] InputDimensions => _input.Dimensions;
    internal int OutputRowLength => _output.RowLength;

    /// <summary>Images per run, at most; see <see cref="DefaultRunBatch"/>.</summary>
    public int RunBatch { get; }

    /// <summary>Runs all calls together may have under way; tests lower it to compare with runs one after another.</summary>
    internal int ParallelRunsLimit
    {
        get => _spreader.Limit;
        set => _spreader.Limit = value;
    }

    /// <summary>How long a caller keeps its processor after a call (see <see cref="RunSpreader"/>); tests lengthen or shorten it.</summary>
    internal TimeSpan RecentCallWindow
    {
        get => _spreader.RecentCallWindow;
        set => _spreader.RecentCallWindow = value;
    }

    /// <summary>Calls whose runs were spread over other processors (for tests).</summary>
    internal long SpreadCalls => _spreader.SpreadCalls;

    /// <summary>Records <paramref name="caller"/>'s call at <paramref name="now"/> (Stopwatch ticks) and counts the other callers within the window (tests name the callers and the times; see <see cref="RunSpreader"/>).</summary>
    internal int OtherRecentCallers(int caller, long now) => _spreader.OtherRecentCallers(caller, now);

    /// <summary>Forgets the callers of every model in the process (see <see cref="RunSpreader"/>; for tests that lengthen <see cref="RecentCallWindow"/>).</summary>
    internal static void ForgetRecentCallers() => RunSpreader.ForgetRecentCallers();

    public static OnnxClassifier Load(string path, ModelOptions? options = null)
    {
        if (!File.Exists(path))
            throw new OnePixelException($"{path}: model file not found.");
        options ??= new ModelOptions();
        var notes = new List<string>();
        var device = options.Device ?? ExecutionDevice.Cpu;
        SessionOptions CreateSessionOptions()
        {
            var sessionOptions = new SessionOptions
            {
                IntraOpNumThreads = options.IntraOpThreads ?? 1,
                InterOpNumThreads = 1,
                ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
                GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            };
            if (device == ExecutionDevice.Cuda && !OnnxModelFile.TryAppendCuda(sessionOptions, notes))
                device = ExecutionDevice.Cpu;
            return sessionOptions;
        }
        InferenceSession session;
        using (var sessionOptions = CreateSessionOptions())
            session = OnnxModelFile.Open(path, sessionOptions);
        try
        {
            return new OnnxClassifier(path, session, options, notes, CreateSessionOptions, device);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    public void Score(ReadOnlySpan<byte> images, int count, Span<float> probabilities)
    {
        // ONNX Runtime crashes the process (natively) when a disposed session runs: say so in managed code instead.
        if (_disposed)
            throw new ObjectDisposedException(nameof(OnnxClassifier), $"{Path}: the model was disposed (its using block or its tests' suite ended); load it again to score images.");
        var imageLength = InputShape.Length;
        this.CheckScoreArguments(images, count, probabilities);

        // A model with a fixed batch is run in chunks of that size (the last one padded); others in equal runs of at most RunBatch.
        var chunk = _fixedBatch == 0 ? EqualChunk(count, RunBatch) : _fixedBatch;
        var runs = (count + chunk - 1) / chunk;
        var threads = _spreader.Begin(runs);
        try
        {
            if (threads >= 2)
            {
                _spreader.Spread(images[..(count * imageLength)], count, imageLength, ClassCount, chunk, runs, threads, probabilities, _scoreRunPooled);
                return;
            }
            var buffers = _runs.Rent();
            try
            {
                for (var start = 0; start < count; start += chunk)
                    ScoreRun(images, start, Math.Min(chunk, count - start), buffers, probabilities);
            }
            finally
            {
                _runs.Return(buffers);
            }
        }
        finally
        {
            _spreader.End();
        }
    }

    /// <summary>The run size that splits <paramref name="count"/> images into the fewest equal runs of at most <paramref name="max"/>: 100 at 64 is 50 + 50, not 64 + 36.</summary>
    internal static int EqualChunk(int count, int max)
    {
        if (count <= max) return Math.Max(count, 1);
        var runs = (count + max - 1) / max;
        return (count + runs - 1) / runs;
    }

    /// <summary>Run <paramref name="start"/>..start+n of a call: preprocessed, run, and turned into probabilities.</summary>
    private void ScoreRun(ReadOnlySpan<byte> images, int start, int n, OnnxRunBuffers buffers, Span<float> probabilities)
    {
        var imageLength = InputShape.Length;
        var batch = _fixedBatch == 0 ? n : _fixedBatch;
        var raw = _runs.RunRaw(_session, images.Slice(start * imageLength, n * imageLength), n, batch, buffers);
        ToProbabilities(raw, n, probabilities.Slice(start * ClassCount, n * ClassCount));
    }

    /// <summary>Raw output rows of this model to probabilities (see <see cref="Probability.FromScores"/>); the ML.NET path uses it too.</summary>
    internal void ToProbabilities(ReadOnlySpan<float> scores, int count, Span<float> probabilities) =>
        Probability.FromScores(scores, count, _output.RowLength, ClassCount, _applySoftmax, Path, OutputName, probabilities);

    /// <summary>A run on a spread call's thread, with buffers from the pool.</summary>
    private void ScoreRunPooled(ReadOnlySpan<byte> images, int start, int n, Span<float> probabilities)
    {
        var buffers = _runs.Rent();
        try
        {
            ScoreRun(images, start, n, buffers, probabilities);
        }
        finally
        {
            _runs.Return(buffers);
        }
    }

    /// <summary>The model's input values for one image (HWC bytes): scale, mean, std and layout applied, as every run does.</summary>
    public void Preprocess(ReadOnlySpan<byte> pixels, Span<float> target) => _preprocessor.Preprocess(pixels, target);

    /// <summary>The raw scores of a black and a mid-gray image (softmax not applied yet).</summary>
    private float[] ProbeScores()
    {
        var images = new byte[2 * InputShape.Length];
        images.AsSpan(InputShape.Length).Fill(128);
        var scores = new float[2 * ClassCount];
        Score(images, 2, scores); // _applySoftmax is still false here
        return scores;
    }

    private volatile bool _disposed;

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _runs.Dispose();
        _session.Dispose();
    }
}
