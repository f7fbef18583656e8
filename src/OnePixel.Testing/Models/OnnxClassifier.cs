using System.Buffers;
using Microsoft.ML.OnnxRuntime;
using OnePixel.Testing.Imaging;

namespace OnePixel.Testing.Models;

/// <summary>
/// Scores images through ONNX Runtime directly: batched runs over pinned managed buffers, with the
/// pixel preprocessing (scale, mean, std, layout) done by a lookup table. Thread-safe: ONNX
/// Runtime sessions allow concurrent runs, and every buffer here is per call.
/// </summary>
public sealed class OnnxClassifier : IImageClassifier
{
    private readonly InferenceSession _session;
    private readonly string _inputName;
    private readonly string _outputName;
    private readonly long[] _inputDimensions; // batch dimension first, as the model declares it
    private readonly int _fixedBatch;          // 0 when the batch dimension is dynamic
    private readonly int _outputRowLength;
    private readonly TensorLayout _layout;
    private readonly float[] _lookup;          // channel * 256 + byte -> model input value
    private readonly bool _applySoftmax;

    private OnnxClassifier(string path, InferenceSession session, ModelOptions options, List<string> notes)
    {
        Path = path;
        _session = session;
        _inputName = ResolveName(options.InputName, session.InputMetadata.Keys, "input", path);
        _outputName = ResolveName(options.OutputName, session.OutputMetadata.Keys, "output", path);

        var input = session.InputMetadata[_inputName];
        if (input.ElementType != typeof(float))
            throw new OnePixelException($"{path}: input '{_inputName}' holds {input.ElementType.Name}; expected float32 image values.");
        var dimensions = input.Dimensions;
        if (dimensions.Length < 2)
            throw new OnePixelException($"{path}: input '{_inputName}' has shape {FormatShape(dimensions)}; expected a batch dimension and image dimensions such as [N, 1, 28, 28].");
        _fixedBatch = dimensions[0] > 0 ? dimensions[0] : 0;

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
        _outputRowLength = outputDims.Length >= 2 && outputDims.Skip(1).All(d => d > 0)
            ? outputDims.Skip(1).Aggregate(1, (a, d) => a * d)
            : ProbeRowLength();
        ClassCount = _outputRowLength;
        if (ClassCount < 2)
            throw new OnePixelException($"{path}: output '{_outputName}' has shape {FormatShape(outputDims)}, {ClassCount} value per image; expected one score per class (at least 2).");
        if (options.ClassNames is not null && options.ClassNames.Count != ClassCount)
            throw new OnePixelException($"{path}: output '{_outputName}' gives {ClassCount} scores per image, but {options.ClassNames.Count} class names were given; expected one name per score.");
        ClassNames = options.ClassNames;

        var kind = options.Scores ?? ScoreKind.Auto;
        if (kind == ScoreKind.Auto)
        {
            kind = ProbeScoreKind();
            notes.Add($"output '{_outputName}' holds {(kind == ScoreKind.Logits ? "logits (softmax applied)" : "probabilities")}, inferred by probing");
        }
        _applySoftmax = kind == ScoreKind.Logits;
        ScoreKind = kind;
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

    /// <summary>What was inferred rather than declared, in words, so users can check it.</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>The batch size the model is fixed to, or null when its batch is dynamic.</summary>
    public int? FixedBatch => _fixedBatch == 0 ? null : _fixedBatch;

    public static OnnxClassifier Load(string path, ModelOptions? options = null)
    {
        if (!File.Exists(path))
            throw new OnePixelException($"{path}: model file not found.");
        options ??= new ModelOptions();
        var sessionOptions = new SessionOptions
        {
            IntraOpNumThreads = options.IntraOpThreads ?? 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        InferenceSession session;
        try
        {
            session = new InferenceSession(path, sessionOptions);
        }
        catch (OnnxRuntimeException e)
        {
            throw new OnePixelException($"{path}: not a loadable ONNX model ({FirstLine(e.Message)}); expected an .onnx file exported by PyTorch, tf2onnx, ML.NET or similar.", e);
        }
        finally
        {
            sessionOptions.Dispose();
        }
        try
        {
            return new OnnxClassifier(path, session, options, []);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    public void Score(ReadOnlySpan<byte> images, int count, Span<float> probabilities)
    {
        var imageLength = InputShape.Length;
        if (images.Length < count * imageLength)
            throw new ArgumentException($"{count} images need {count * imageLength} bytes, got {images.Length}.", nameof(images));
        if (probabilities.Length < count * ClassCount)
            throw new ArgumentException($"{count} images need {count * ClassCount} probabilities, got {probabilities.Length}.", nameof(probabilities));

        // A model with a fixed batch is run in chunks of that size; the last chunk is padded.
        var chunk = _fixedBatch == 0 ? count : _fixedBatch;
        for (var start = 0; start < count; start += chunk)
        {
            var n = Math.Min(chunk, count - start);
            RunChunk(images.Slice(start * imageLength, n * imageLength), n, _fixedBatch == 0 ? n : _fixedBatch,
                probabilities.Slice(start * ClassCount, n * ClassCount));
        }
    }

    private void RunChunk(ReadOnlySpan<byte> images, int count, int batch, Span<float> probabilities)
    {
        var imageLength = InputShape.Length;
        var input = ArrayPool<float>.Shared.Rent(batch * imageLength);
        try
        {
            for (var i = 0; i < count; i++)
                Preprocess(images.Slice(i * imageLength, imageLength), input.AsSpan(i * imageLength, imageLength));
            input.AsSpan(count * imageLength, (batch - count) * imageLength).Clear();

            var shape = (long[])_inputDimensions.Clone();
            shape[0] = batch;
            using var inputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, input.AsMemory(0, batch * imageLength), shape);
            using var runOptions = new RunOptions();
            using var outputs = _session.Run(runOptions, [_inputName], [inputValue], [_outputName]);
            var scores = outputs[0].GetTensorDataAsSpan<float>();
            if (scores.Length != batch * _outputRowLength)
                throw new OnePixelException($"{Path}: output '{_outputName}' gave {scores.Length} values for {batch} images; expected {_outputRowLength} per image.");
            for (var i = 0; i < count; i++)
            {
                var row = probabilities.Slice(i * ClassCount, ClassCount);
                scores.Slice(i * _outputRowLength, ClassCount).CopyTo(row);
                foreach (var value in row)
                    if (!float.IsFinite(value))
                        throw new OnePixelException($"{Path}: output '{_outputName}' holds {value}; expected finite class scores. The model is numerically broken for this input.");
                if (_applySoftmax) Probability.Softmax(row);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(input);
        }
    }

    private void Preprocess(ReadOnlySpan<byte> pixels, Span<float> target)
    {
        var channels = InputShape.Channels;
        if (channels == 1 || _layout == TensorLayout.Nhwc)
        {
            for (var i = 0; i < pixels.Length; i++)
                target[i] = _lookup[(i % channels << 8) | pixels[i]];
            return;
        }
        var plane = InputShape.PixelCount;
        for (var p = 0; p < plane; p++)
        for (var c = 0; c < channels; c++)
            target[c * plane + p] = _lookup[(c << 8) | pixels[p * channels + c]];
    }

    private int ProbeRowLength()
    {
        var shape = (long[])_inputDimensions.Clone();
        var batch = _fixedBatch == 0 ? 1 : _fixedBatch;
        shape[0] = batch;
        var input = new float[batch * InputShape.Length];
        using var value = OrtValue.CreateTensorValueFromMemory(input, shape);
        using var outputs = _session.Run(new RunOptions(), [_inputName], [value], [_outputName]);
        return (int)(outputs[0].GetTensorTypeAndShape().ElementCount / batch);
    }

    /// <summary>Scores a black and a mid-gray image; if every row is a distribution, the model gives probabilities.</summary>
    private ScoreKind ProbeScoreKind()
    {
        var images = new byte[2 * InputShape.Length];
        images.AsSpan(InputShape.Length).Fill(128);
        var scores = new float[2 * ClassCount];
        Score(images, 2, scores);
        return Probability.IsDistribution(scores.AsSpan(0, ClassCount)) && Probability.IsDistribution(scores.AsSpan(ClassCount))
            ? ScoreKind.Probabilities
            : ScoreKind.Logits;
    }

    private static (ImageShape Shape, TensorLayout Layout) ResolveImage(string path, int[] dims, ModelOptions options, List<string> notes)
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

    private static float[] BuildLookup(string path, ModelOptions options, int channels)
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

    private static string ResolveName(string? wanted, IEnumerable<string> available, string kind, string path)
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

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();

    public void Dispose() => _session.Dispose();
}
