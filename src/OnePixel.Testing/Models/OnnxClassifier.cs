using System.Buffers;
using System.Collections.Concurrent;
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
public sealed class OnnxClassifier : IModelClassifier
{
    /// <summary>
    /// Images per ONNX Runtime run at most, unless <see cref="ModelOptions.RunBatch"/> says otherwise:
    /// larger calls are split into equal runs. Measured by <c>onepixel bench</c> on the bundled CNN,
    /// runs of 16 to 64 images score fastest (their activations stay in cache) and 400 about a third
    /// slower; bounded runs also keep memory flat however many images are scored at once.
    /// </summary>
    public const int DefaultRunBatch = 64;

    /// <summary>Probe images for the batch-relaxation parity check.</summary>
    internal const int ParityProbes = 4;

    /// <summary>Parity tolerance between a relaxed batched run and one run per image: |a - b| &lt;= Absolute + Relative * |b| on the raw outputs.</summary>
    internal const float ParityAbsolute = 1e-4f, ParityRelative = 1e-4f;

    private InferenceSession _session;
    private readonly string _inputName;
    private readonly string _outputName;
    private readonly long[] _inputDimensions; // batch dimension first, as the model declares it (image dimensions filled in)
    private readonly long[]? _outputDimensions; // batch first; null when the output has other dynamic dimensions
    private int _fixedBatch;                   // 0 when runs may have any batch (dynamic, or relaxed)
    private readonly int _declaredFixedBatch;
    private readonly int _outputRowLength;
    private readonly TensorLayout _layout;
    private readonly float[] _lookup;          // channel * 256 + byte -> model input value
    private readonly bool _applySoftmax;
    private readonly ConcurrentBag<RunBuffers> _buffers = [];
    private readonly RunOptions _runOptions = new();
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;

    private OnnxClassifier(string path, InferenceSession session, ModelOptions options, List<string> notes, Func<SessionOptions> sessionOptions, ExecutionDevice device)
    {
        Path = path;
        _session = session;
        Device = device;
        _inputName = ResolveName(options.InputName, session.InputMetadata.Keys, "input", path);
        _outputName = ResolveName(options.OutputName, session.OutputMetadata.Keys, "output", path);
        _inputNames = [_inputName];
        RunBatch = options.RunBatch ?? DefaultRunBatch;
        // Each run may itself use several ONNX Runtime threads: spread runs only over what is left.
        ParallelRunsLimit = options.ParallelRuns ?? Math.Max(1, Environment.ProcessorCount / Math.Max(1, options.IntraOpThreads ?? 1));
        if (ParallelRunsLimit < 1)
            throw new OnePixelException($"{path}: parallel runs is {ParallelRunsLimit}; expected 1 or more model runs at once.");
        if (RunBatch < 1)
            throw new OnePixelException($"{path}: run batch is {RunBatch}; expected 1 or more images per run.");
        _outputNames = [_outputName];

        var input = session.InputMetadata[_inputName];
        if (input.ElementType != typeof(float))
            throw new OnePixelException($"{path}: input '{_inputName}' holds {input.ElementType.Name}; expected float32 image values.");
        var dimensions = input.Dimensions;
        if (dimensions.Length < 2)
            throw new OnePixelException($"{path}: input '{_inputName}' has shape {FormatShape(dimensions)}; expected a batch dimension and image dimensions such as [N, 1, 28, 28].");
        _fixedBatch = dimensions[0] > 0 ? dimensions[0] : 0;
        _declaredFixedBatch = _fixedBatch;

        (InputShape, _layout) = ResolveImage(path, dimensions, options, notes);
        var elements = dimensions.Skip(1).Aggregate(1L, (a, d) => a * (d > 0 ? d : 1));
        if (dimensions.Skip(1).Any(d => d <= 0))
        {
            // Dynamic image dimensions: fill them from the image shape in the model's layout.
            dimensions = FillDynamicDimensions(dimensions, InputShape, _layout);
            elements = dimensions.Skip(1).Aggregate(1L, (a, d) => a * d);
        }
        if (elements != InputShape.Length)
            throw new OnePixelException($"{path}: input '{_inputName}' has shape {FormatShape(input.Dimensions)} ({elements} values per image), which does not fit {InputShape} images ({InputShape.Length} values).");
        _inputDimensions = dimensions.Select(d => (long)d).ToArray();

        var output = session.OutputMetadata[_outputName];
        if (output.ElementType != typeof(float))
            throw new OnePixelException($"{path}: output '{_outputName}' holds {output.ElementType.Name}; expected float32 class scores.");
        _lookup = BuildLookup(path, options, InputShape.Channels);

        // The class count comes from the output shape, or from one probe run when it is dynamic.
        var outputDims = output.Dimensions;
        var staticRow = outputDims.Length >= 2 && outputDims.Skip(1).All(d => d > 0);
        _outputRowLength = staticRow ? outputDims.Skip(1).Aggregate(1, (a, d) => a * d) : ProbeRowLength();
        _outputDimensions = staticRow ? outputDims.Select(d => (long)d).ToArray() : null;
        if (outputDims.Length > 2 && outputDims.Skip(1).Count(d => d != 1) > 1)
            throw new OnePixelException($"{path}: output '{_outputName}' has shape {FormatShape(outputDims)}; expected one score per class, such as [N, 10]. This does not look like an image classifier's output{(session.OutputMetadata.Count > 1 ? $"; the model's outputs are: {string.Join(", ", session.OutputMetadata.Keys.Select(n => $"'{n}'"))} (pick one with sidecar 'outputName' or --output-name)" : "")}.");
        ClassCount = _outputRowLength;
        if (ClassCount < 2)
            throw new OnePixelException($"{path}: output '{_outputName}' has shape {FormatShape(outputDims)}, {ClassCount} value per image; expected one score per class (at least 2).");
        if (options.ClassNames is not null && options.ClassNames.Count != ClassCount)
            throw new OnePixelException($"{path}: output '{_outputName}' gives {ClassCount} scores per image, but {options.ClassNames.Count} class names were given; expected one name per score.");
        ClassNames = options.ClassNames;

        if (_fixedBatch > 0)
            RelaxBatch(options, sessionOptions, notes);

        var probe = ProbeScores(); // also fails early, naming the file and output, on NaN or infinity
        var kind = ScoreKindProbe.Resolve(options.Scores, probe, ClassCount, $"output '{_outputName}'", notes);
        _applySoftmax = kind == ScoreKind.Logits;
        ScoreKind = kind;
        Preprocessing = ModelPreprocessing.Of(_inputName, _outputName, _layout, InputShape, options, kind, ScoringBackend.OnnxRuntime);
        Notes = notes;
    }

    public string Path { get; }
    public ImageShape InputShape { get; }
    public int ClassCount { get; }
    public IReadOnlyList<string>? ClassNames { get; }
    public ScoreKind ScoreKind { get; }
    public TensorLayout Layout => _layout;
    public string InputName => _inputName;
    public string OutputName => _outputName;
    public ScoringBackend Backend => ScoringBackend.OnnxRuntime;
    public ModelPreprocessing Preprocessing { get; }

    /// <summary>Where the model runs: <see cref="ExecutionDevice.Cpu"/> when CUDA was asked for but is not usable.</summary>
    public ExecutionDevice Device { get; }

    /// <summary>What was inferred rather than declared, in words, so users can check it.</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>The batch size the model file is fixed to, or null when its batch is dynamic.</summary>
    public int? FixedBatch => _declaredFixedBatch == 0 ? null : _declaredFixedBatch;

    /// <summary>True when a fixed batch was relaxed to a dynamic one (after the parity check).</summary>
    public bool BatchRelaxed => _declaredFixedBatch != 0 && _fixedBatch == 0;

    /// <summary>The model bytes with a dynamic batch, when <see cref="BatchRelaxed"/>: what the ML.NET path runs too.</summary>
    internal byte[]? RelaxedModel { get; private set; }

    internal long[] InputDimensions => _inputDimensions;
    internal int OutputRowLength => _outputRowLength;

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
            if (device == ExecutionDevice.Cuda && !TryAppendCuda(sessionOptions, notes))
                device = ExecutionDevice.Cpu;
            return sessionOptions;
        }
        InferenceSession session;
        using (var sessionOptions = CreateSessionOptions())
        {
            try
            {
                session = new InferenceSession(path, sessionOptions);
            }
            catch (OnnxRuntimeException e)
            {
                throw new OnePixelException($"{path}: not a loadable ONNX model ({FirstLine(e.Message)}); expected an .onnx file exported by PyTorch, tf2onnx, ML.NET or similar.", e);
            }
        }
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

    /// <summary>
    /// Asks for CUDA; with the CPU build of ONNX Runtime (the package this library references) or no
    /// GPU, ONNX Runtime refuses, and the model runs on the CPU with a note saying why.
    /// </summary>
    internal static bool TryAppendCuda(SessionOptions options, List<string> notes)
    {
        try
        {
            options.AppendExecutionProvider_CUDA(0);
            if (!notes.Any(n => n.StartsWith("device CUDA", StringComparison.Ordinal)))
                notes.Add("device CUDA (GPU 0)");
            return true;
        }
        catch (Exception e) when (e is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
        {
            if (!notes.Any(n => n.StartsWith(CudaFallbackNote, StringComparison.Ordinal)))
                notes.Add($"{CudaFallbackNote} ({FirstLine(e.Message).TrimEnd('.')}); scoring on the CPU. To use a GPU, reference Microsoft.ML.OnnxRuntime.Gpu in place of Microsoft.ML.OnnxRuntime and install CUDA 12 and cuDNN 9.");
            return false;
        }
    }

    internal const string CudaFallbackNote = "device CUDA requested but not available";

    public void Score(ReadOnlySpan<byte> images, int count, Span<float> probabilities)
    {
        var imageLength = InputShape.Length;
        this.CheckScoreArguments(images, count, probabilities);

        // A model with a fixed batch is run in chunks of that size (the last one padded); others in equal runs of at most RunBatch.
        var chunk = _fixedBatch == 0 ? EqualChunk(count, RunBatch) : _fixedBatch;
        var runs = (count + chunk - 1) / chunk;
        var callers = Interlocked.Increment(ref _callers);
        try
        {
            // Processors no other caller is using (the last images of an attack, a lone caller) take
            // runs of this call: the same runs either way, so the same results, only sooner. Others are
            // the calls under way (one may have begun longer ago than the window) or recent callers.
            var threads = Math.Min(runs, ParallelRunsLimit - Math.Max(callers - 1, OtherRecentCallers()));
            if (threads >= 2)
            {
                ScoreInParallel(images[..(count * imageLength)], count, chunk, runs, threads, probabilities);
                return;
            }
            var buffers = _buffers.TryTake(out var pooled) ? pooled : new RunBuffers();
            try
            {
                for (var start = 0; start < count; start += chunk)
                    ScoreRun(images, start, Math.Min(chunk, count - start), buffers, probabilities);
            }
            finally
            {
                _buffers.Add(buffers);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _callers);
        }
    }

    private int _callers; // calls of Score under way now

    // When each thread last called Score (a slot per thread id, modulo the array). A caller between
    // two calls (its search choosing the next generation, its next image being read: well under
    // RecentCallWindow) still owns its processor: spreading runs onto it then would oversubscribe
    // the cores (measured: an attack of 100 images on 2 workers 10-15% slower, and a Parallel.For
    // allocated per call). Two threads sharing a slot only make spreading likelier; results never
    // depend on it.
    private readonly long[] _lastCall = new long[64];
    private long _recentCallTicks = System.Diagnostics.Stopwatch.Frequency / 50; // 20 ms

    /// <summary>How long a caller keeps its processor after a call; tests lengthen or shorten it.</summary>
    internal TimeSpan RecentCallWindow
    {
        get => TimeSpan.FromSeconds(_recentCallTicks / (double)System.Diagnostics.Stopwatch.Frequency);
        set => _recentCallTicks = (long)(value.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
    }

    /// <summary>Calls whose runs were spread over other processors (for tests).</summary>
    internal long SpreadCalls => Interlocked.Read(ref _spreadCalls);
    private long _spreadCalls;

    /// <summary>Records this thread's call and counts the other threads that called within <see cref="RecentCallWindow"/>.</summary>
    private int OtherRecentCallers() => OtherRecentCallers(Environment.CurrentManagedThreadId, System.Diagnostics.Stopwatch.GetTimestamp());

    /// <summary>Records <paramref name="caller"/>'s call at <paramref name="now"/> (Stopwatch ticks) and counts the other callers within the window (tests name the callers and the times).</summary>
    internal int OtherRecentCallers(int caller, long now)
    {
        var own = caller & (_lastCall.Length - 1);
        Volatile.Write(ref _lastCall[own], now);
        var others = 0;
        for (var slot = 0; slot < _lastCall.Length; slot++)
        {
            var last = Volatile.Read(ref _lastCall[slot]);
            if (slot != own && last != 0 && now - last < _recentCallTicks) others++;
        }
        return others;
    }

    /// <summary>Runs all calls together may have under way: the processors, over the intra-op threads of each run; tests lower it to compare with runs one after another.</summary>
    internal int ParallelRunsLimit { get; set; }

    /// <summary>Run <paramref name="start"/>..start+n of a call: preprocessed, run, and turned into probabilities.</summary>
    private void ScoreRun(ReadOnlySpan<byte> images, int start, int n, RunBuffers buffers, Span<float> probabilities)
    {
        var imageLength = InputShape.Length;
        var batch = _fixedBatch == 0 ? n : _fixedBatch;
        var raw = RunRaw(_session, images.Slice(start * imageLength, n * imageLength), n, batch, buffers);
        ToProbabilities(raw, n, probabilities.Slice(start * ClassCount, n * ClassCount));
    }

    /// <summary>The call's runs spread over <paramref name="threads"/> threads (this one included), through pooled copies of its images and scores.</summary>
    private void ScoreInParallel(ReadOnlySpan<byte> images, int count, int chunk, int runs, int threads, Span<float> probabilities)
    {
        Interlocked.Increment(ref _spreadCalls);
        var imageCopy = ArrayPool<byte>.Shared.Rent(images.Length);
        var scores = ArrayPool<float>.Shared.Rent(count * ClassCount);
        try
        {
            images.CopyTo(imageCopy);
            Parallel.For(0, runs, new ParallelOptions { MaxDegreeOfParallelism = threads }, run =>
            {
                var buffers = _buffers.TryTake(out var pooled) ? pooled : new RunBuffers();
                try
                {
                    var start = run * chunk;
                    ScoreRun(imageCopy.AsSpan(0, count * InputShape.Length), start, Math.Min(chunk, count - start), buffers, scores);
                }
                finally
                {
                    _buffers.Add(buffers);
                }
            });
            scores.AsSpan(0, count * ClassCount).CopyTo(probabilities);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(imageCopy);
            ArrayPool<float>.Shared.Return(scores);
        }
    }

    /// <summary>Images per run, at most; see <see cref="DefaultRunBatch"/>.</summary>
    public int RunBatch { get; }

    /// <summary>The run size that splits <paramref name="count"/> images into the fewest equal runs of at most <paramref name="max"/>: 100 at 64 is 50 + 50, not 64 + 36.</summary>
    internal static int EqualChunk(int count, int max)
    {
        if (count <= max) return Math.Max(count, 1);
        var runs = (count + max - 1) / max;
        return (count + runs - 1) / runs;
    }

    /// <summary>One run of <paramref name="batch"/> images (the first <paramref name="count"/> given, the rest zero): the raw output rows.</summary>
    private ReadOnlySpan<float> RunRaw(InferenceSession session, ReadOnlySpan<byte> images, int count, int batch, RunBuffers buffers)
    {
        var imageLength = InputShape.Length;
        var input = buffers.Input(batch * imageLength);
        for (var i = 0; i < count; i++)
            Preprocess(images.Slice(i * imageLength, imageLength), input.AsSpan(i * imageLength, imageLength));
        input.AsSpan(count * imageLength, (batch - count) * imageLength).Clear();

        if (_outputDimensions is not null)
        {
            // Input and output live in the reused, pinned buffers, bound to the session once per
            // batch size: a run allocates nothing, managed or native.
            var output = buffers.Output(batch * _outputRowLength);
            session.RunWithBinding(_runOptions, buffers.Binding(session, batch, _inputName, _inputDimensions, _outputName, _outputDimensions));
            return output.AsSpan(0, count * _outputRowLength);
        }
        var inputShape = buffers.Shape(_inputDimensions, batch);
        using var inputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, input.AsMemory(0, batch * imageLength), inputShape);
        using var outputs = session.Run(_runOptions, _inputNames, [inputValue], _outputNames);
        var scores = outputs[0].GetTensorDataAsSpan<float>();
        if (scores.Length != batch * _outputRowLength)
            throw new OnePixelException($"{Path}: output '{_outputName}' gave {scores.Length} values for {batch} images; expected {_outputRowLength} per image.");
        var copy = buffers.Output(count * _outputRowLength);
        scores[..(count * _outputRowLength)].CopyTo(copy);
        return copy.AsSpan(0, count * _outputRowLength);
    }

    /// <summary>Raw output rows to probabilities: the class scores of each row, checked finite, softmax applied to logits.</summary>
    internal void ToProbabilities(ReadOnlySpan<float> scores, int count, Span<float> probabilities) =>
        ToProbabilities(scores, count, _outputRowLength, ClassCount, _applySoftmax, Path, _outputName, probabilities);

    internal static void ToProbabilities(ReadOnlySpan<float> scores, int count, int rowLength, int classCount, bool softmax, string path, string output, Span<float> probabilities)
    {
        for (var i = 0; i < count; i++)
        {
            var row = probabilities.Slice(i * classCount, classCount);
            scores.Slice(i * rowLength, classCount).CopyTo(row);
            foreach (var value in row)
                if (!float.IsFinite(value))
                    throw new OnePixelException($"{path}: output '{output}' holds {value}; expected finite class scores. The model is numerically broken for this input.");
            if (softmax) Probability.Softmax(row);
        }
    }

    /// <summary>
    /// Runs a fixed-batch model with a dynamic batch when that is provably the same: the model is
    /// rewritten in memory (<see cref="OnnxBatchRelaxer"/>), and probe images scored in one relaxed
    /// run must give the raw outputs of one run per image within the parity tolerance. Otherwise the
    /// model keeps its fixed batch and a note says why.
    /// </summary>
    private void RelaxBatch(ModelOptions options, Func<SessionOptions> sessionOptions, List<string> notes)
    {
        var declared = $"batch fixed at {_fixedBatch} in the model";
        if (options.RelaxFixedBatch == false)
        {
            notes.Add($"{declared}; kept (relaxing it is turned off): one run per {_fixedBatch} image{(_fixedBatch == 1 ? "" : "s")}");
            return;
        }
        var relaxed = OnnxBatchRelaxer.Relax(File.ReadAllBytes(Path), _inputName);
        if (relaxed is null)
        {
            notes.Add($"{declared}; kept: the file could not be rewritten with a dynamic batch");
            return;
        }
        InferenceSession? candidate = null;
        try
        {
            using (var so = sessionOptions()) candidate = new InferenceSession(relaxed, so);
            var probes = ParityProbeImages(InputShape, _fixedBatch + ParityProbes);
            var count = _fixedBatch + ParityProbes;
            using var buffers = new RunBuffers();
            var reference = new float[count * _outputRowLength];
            for (var start = 0; start < count; start += _fixedBatch)
            {
                var n = Math.Min(_fixedBatch, count - start);
                RunRaw(_session, probes.AsSpan(start * InputShape.Length, n * InputShape.Length), n, _fixedBatch, buffers)
                    .CopyTo(reference.AsSpan(start * _outputRowLength));
            }
            var batched = RunRaw(candidate, probes, count, count, buffers);
            var worst = 0f;
            for (var i = 0; i < reference.Length; i++)
            {
                var difference = Math.Abs(batched[i] - reference[i]);
                if (!(difference <= ParityAbsolute + ParityRelative * Math.Abs(reference[i])))
                {
                    notes.Add($"{declared}; kept: with a dynamic batch the graph gives different outputs (value {i % _outputRowLength} of probe {i / _outputRowLength}: {batched[i]} batched, {reference[i]} alone), so images are scored one run per {_fixedBatch}");
                    candidate.Dispose();
                    return;
                }
                worst = Math.Max(worst, difference);
            }
            _session.Dispose();
            _session = candidate;
            _fixedBatch = 0;
            RelaxedModel = relaxed;
            notes.Add($"{declared}; relaxed to a dynamic batch in memory after a parity check ({count} probe images in one run vs one run each, largest difference {worst:G3})");
        }
        catch (Exception e) when (e is OnnxRuntimeException or OnePixelException)
        {
            candidate?.Dispose();
            notes.Add($"{declared}; kept: with a dynamic batch the graph fails ({FirstLine(e.Message)}), so images are scored one run per {_fixedBatch}");
        }
    }

    /// <summary>Distinct, deterministic probe images: black, white, mid-gray, then seeded noise.</summary>
    internal static byte[] ParityProbeImages(ImageShape shape, int count)
    {
        var images = new byte[count * shape.Length];
        var random = new Randomness.DeterministicRandom(20190101);
        for (var i = 0; i < count; i++)
        {
            var image = images.AsSpan(i * shape.Length, shape.Length);
            switch (i)
            {
                case 0: break;
                case 1: image.Fill(255); break;
                case 2: image.Fill(128); break;
                default:
                    for (var p = 0; p < image.Length; p++) image[p] = (byte)random.NextInt(256);
                    break;
            }
        }
        return images;
    }

    /// <summary>Buffers for one concurrent caller, grown as needed and reused: no per-query allocation.</summary>
    private sealed class RunBuffers : IDisposable
    {
        private float[] _input = [];
        private float[] _output = [];
        private readonly Dictionary<int, long[]> _shapes = [];
        private readonly Dictionary<int, BoundRun> _bound = [];
        private InferenceSession? _boundSession;

        /// <summary>Batch sizes bound at most; past that the bindings start again (many sizes are rare: runs are at most RunBatch).</summary>
        private const int MaxBound = 256;

        public float[] Input(int length) => _input.Length >= length ? _input : _input = Grow(_input, length);
        public float[] Output(int length) => _output.Length >= length ? _output : _output = Grow(_output, length);

        /// <summary>A larger array, on the pinned heap (ONNX Runtime reads and writes it in place); bindings to the old one are dropped.</summary>
        private float[] Grow(float[] old, int length)
        {
            Unbind();
            return GC.AllocateUninitializedArray<float>(Math.Max(length, old.Length * 2), pinned: true);
        }

        public long[] Shape(long[] template, int batch)
        {
            if (_shapes.TryGetValue(batch, out var shape)) return shape;
            shape = (long[])template.Clone();
            shape[0] = batch;
            if (_shapes.Count > MaxBound) _shapes.Clear();
            return _shapes[batch] = shape;
        }

        /// <summary>The session's input and output bound to the first <paramref name="batch"/> images of the buffers (made once per batch size).</summary>
        public OrtIoBinding Binding(InferenceSession session, int batch, string inputName, long[] inputDimensions, string outputName, long[] outputDimensions)
        {
            if (!ReferenceEquals(session, _boundSession) || _bound.Count >= MaxBound) Unbind();
            _boundSession = session;
            if (_bound.TryGetValue(batch, out var bound)) return bound.Binding;
            var inputShape = (long[])inputDimensions.Clone();
            var outputShape = (long[])outputDimensions.Clone();
            inputShape[0] = outputShape[0] = batch;
            var inputLength = (int)inputShape.Aggregate(1L, (a, d) => a * d);
            var outputLength = (int)outputShape.Aggregate(1L, (a, d) => a * d);
            var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _input.AsMemory(0, inputLength), inputShape);
            var output = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _output.AsMemory(0, outputLength), outputShape);
            var binding = session.CreateIoBinding();
            binding.BindInput(inputName, input);
            binding.BindOutput(outputName, output);
            _bound[batch] = new BoundRun(input, output, binding);
            return binding;
        }

        private void Unbind()
        {
            foreach (var bound in _bound.Values) bound.Dispose();
            _bound.Clear();
            _boundSession = null;
        }

        public void Dispose() => Unbind();

        private sealed record BoundRun(OrtValue Input, OrtValue Output, OrtIoBinding Binding) : IDisposable
        {
            public void Dispose()
            {
                Binding.Dispose();
                Input.Dispose();
                Output.Dispose();
            }
        }
    }

    /// <summary>The model's input values for one image (HWC bytes): scale, mean, std and layout applied, as every run does.</summary>
    public void Preprocess(ReadOnlySpan<byte> pixels, Span<float> target) => Preprocess(_lookup, InputShape, _layout, pixels, target);

    /// <summary>HWC bytes to model values in the model's layout, through the per-channel lookup table.</summary>
    internal static void Preprocess(float[] lookup, ImageShape shape, TensorLayout layout, ReadOnlySpan<byte> pixels, Span<float> target)
    {
        var channels = shape.Channels;
        if (channels == 1)
        {
            for (var i = 0; i < pixels.Length; i++)
                target[i] = lookup[pixels[i]];
            return;
        }
        if (layout == TensorLayout.Nhwc)
        {
            for (var i = 0; i < pixels.Length; i++)
                target[i] = lookup[(i % channels << 8) | pixels[i]];
            return;
        }
        var plane = shape.PixelCount;
        for (var p = 0; p < plane; p++)
        for (var c = 0; c < channels; c++)
            target[c * plane + p] = lookup[(c << 8) | pixels[p * channels + c]];
    }

    private int ProbeRowLength()
    {
        var shape = (long[])_inputDimensions.Clone();
        var batch = _fixedBatch == 0 ? 1 : _fixedBatch;
        shape[0] = batch;
        var input = new float[batch * InputShape.Length];
        using var value = OrtValue.CreateTensorValueFromMemory(input, shape);
        using var outputs = _session.Run(_runOptions, [_inputName], [value], [_outputName]);
        return (int)(outputs[0].GetTensorTypeAndShape().ElementCount / batch);
    }

    /// <summary>The raw scores of a black and a mid-gray image (softmax not applied yet).</summary>
    private float[] ProbeScores()
    {
        var images = new byte[2 * InputShape.Length];
        images.AsSpan(InputShape.Length).Fill(128);
        var scores = new float[2 * ClassCount];
        Score(images, 2, scores); // _applySoftmax is still false here
        return scores;
    }

    internal static (ImageShape Shape, TensorLayout Layout) ResolveImage(string path, int[] dims, ModelOptions options, List<string> notes)
    {
        var layout = options.Layout;
        var shape = options.ImageShape;
        if (dims.Length == 4)
        {
            bool IsChannels(int d) => d is 1 or 3;
            if (layout is null)
            {
                if (IsChannels(dims[1]) && !IsChannels(dims[3])) layout = TensorLayout.Nchw;
                else if (IsChannels(dims[3]) && !IsChannels(dims[1])) layout = TensorLayout.Nhwc;
                else throw new OnePixelException($"{path}: cannot tell from the input shape {FormatShape(dims)} whether channels come first or last; set the layout (sidecar 'layout' or --layout nchw|nhwc).");
                notes.Add($"layout {layout.ToString()!.ToUpperInvariant()} inferred from input shape {FormatShape(dims)}");
            }
            else
            {
                // A layout given that puts the channels where the shape has an image side: say so, and which layout fits.
                var (channelsAt, otherAt) = layout == TensorLayout.Nchw ? (1, 3) : (3, 1);
                if (dims[channelsAt] > 0 && !IsChannels(dims[channelsAt]) && (shape is null || dims[channelsAt] != shape.Value.Channels))
                {
                    var fits = IsChannels(dims[otherAt]) ? $"; the shape fits {(layout == TensorLayout.Nchw ? "NHWC" : "NCHW")} (set layout '{(layout == TensorLayout.Nchw ? "nhwc" : "nchw")}', or leave it out to infer it)" : "";
                    throw new OnePixelException($"{path}: layout {layout.ToString()!.ToUpperInvariant()} (given in the sidecar 'layout', --layout or [RobustnessModel] Layout) does not fit the input shape {FormatShape(dims)}: its {(channelsAt == 1 ? "second" : "last")} dimension, {dims[channelsAt]}, would be the channels, which must be 1 (grayscale) or 3 (RGB){fits}.");
                }
            }
            if (shape is null)
            {
                var (c, h, w) = layout == TensorLayout.Nchw ? (dims[1], dims[2], dims[3]) : (dims[3], dims[1], dims[2]);
                if (c <= 0 || h <= 0 || w <= 0)
                    throw new OnePixelException($"{path}: the input shape {FormatShape(dims)} has dynamic image dimensions; give the image size (sidecar 'width', 'height', 'channels' or --size).");
                shape = new ImageShape(w, h, c);
                notes.Add($"image size {shape} inferred from input shape {FormatShape(dims)}");
            }
        }
        else if (shape is null)
        {
            // A flat input: infer a square image from the element count (784 = 28x28x1, 3072 = 32x32x3).
            var elements = dims.Skip(1).Aggregate(1L, (a, d) => a * d);
            if (dims.Skip(1).Any(d => d <= 0))
                throw new OnePixelException($"{path}: the flat input shape {FormatShape(dims)} has dynamic dimensions; give the image size (sidecar 'width', 'height', 'channels' or --size).");
            var side = (int)Math.Round(Math.Sqrt(elements));
            var sideRgb = (int)Math.Round(Math.Sqrt(elements / 3.0));
            if (side * side == elements) shape = new ImageShape(side, side, 1);
            else if (sideRgb * sideRgb * 3 == elements) shape = new ImageShape(sideRgb, sideRgb, 3);
            else throw new OnePixelException($"{path}: the flat input shape {FormatShape(dims)} is not a square grayscale or RGB image; give the image size (sidecar 'width', 'height', 'channels' or --size).");
            notes.Add($"image size {shape} inferred from flat input shape {FormatShape(dims)}");
        }
        shape.Value.Validate($"{path}: image size");
        return (shape.Value, layout ?? TensorLayout.Nchw);
    }

    private static int[] FillDynamicDimensions(int[] dims, ImageShape shape, TensorLayout layout)
    {
        var filled = (int[])dims.Clone();
        if (dims.Length == 4)
        {
            int[] wanted = layout == TensorLayout.Nchw ? [shape.Channels, shape.Height, shape.Width] : [shape.Height, shape.Width, shape.Channels];
            for (var i = 1; i < 4; i++) if (filled[i] <= 0) filled[i] = wanted[i - 1];
        }
        else
        {
            var known = dims.Skip(1).Where(d => d > 0).Aggregate(1, (a, d) => a * d);
            var dynamicIndex = Array.FindIndex(dims, 1, d => d <= 0);
            filled[dynamicIndex] = shape.Length / Math.Max(known, 1);
            for (var i = dynamicIndex + 1; i < filled.Length; i++) if (filled[i] <= 0) filled[i] = 1;
        }
        return filled;
    }

    internal static float[] BuildLookup(string path, ModelOptions options, int channels)
    {
        var scale = options.Scale ?? ModelOptions.DefaultScale;
        if (scale <= 0 || !float.IsFinite(scale))
            throw new OnePixelException($"{path}: scale is {scale}; expected a positive number (255 for models that expect 0..1, 1 for 0..255).");
        var mean = PerChannel(options.Mean, 0f, channels, "mean", path);
        var std = PerChannel(options.Std, 1f, channels, "std", path);
        if (std.Any(s => s <= 0 || !float.IsFinite(s)))
            throw new OnePixelException($"{path}: std is [{string.Join(", ", std)}]; expected positive numbers.");
        var lookup = new float[channels * 256];
        for (var c = 0; c < channels; c++)
        for (var v = 0; v < 256; v++)
            lookup[c * 256 + v] = (v / scale - mean[c]) / std[c];
        return lookup;
    }

    private static float[] PerChannel(IReadOnlyList<float>? values, float fallback, int channels, string field, string path)
    {
        if (values is null || values.Count == 0) return Enumerable.Repeat(fallback, channels).ToArray();
        if (values.Count == 1) return Enumerable.Repeat(values[0], channels).ToArray();
        if (values.Count != channels)
            throw new OnePixelException($"{path}: {field} has {values.Count} values; expected 1 or {channels} (one per channel).");
        return values.ToArray();
    }

    internal static string ResolveName(string? wanted, IEnumerable<string> available, string kind, string path)
    {
        var names = available.ToList();
        if (wanted is not null)
            return names.Contains(wanted)
                ? wanted
                : throw new OnePixelException($"{path}: no {kind} named '{wanted}'; the model's {kind}s are: {string.Join(", ", names.Select(n => $"'{n}'"))}.");
        return names.Count == 1
            ? names[0]
            : throw new OnePixelException($"{path}: the model has {names.Count} {kind}s ({string.Join(", ", names.Select(n => $"'{n}'"))}); name the one to use (sidecar '{kind}Name' or --{kind}).");
    }

    internal static string FormatShape(IEnumerable<int> dims) => $"[{string.Join(", ", dims.Select(d => d > 0 ? d.ToString() : "N"))}]";

    internal static string FirstLine(string message) => message.Split('\n')[0].Trim();

    public void Dispose()
    {
        while (_buffers.TryTake(out var buffers)) buffers.Dispose();
        _session.Dispose();
        _runOptions.Dispose();
    }
}
