using Microsoft.ML.OnnxRuntime;
using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;

namespace OnePixel.Testing.Verification.Networks;

/// <summary>
/// A model file read into the verifier's <see cref="Network"/>, with the classifier's own
/// preprocessing (the same <see cref="ModelOptions"/>: scale, mean, std, layout, through the same
/// lookup table), and proof that the two agree: before it is used, its forward pass must give ONNX
/// Runtime's outputs on probe images, and on each verified image, within the parity tolerance.
/// </summary>
internal sealed class NetworkModel : IDisposable
{
    private readonly InferenceSession _session;
    private readonly string _inputName, _outputName;
    private readonly long[] _runDims;
    private readonly float[] _lookup;
    private readonly object _sessionLock = new();

    private NetworkModel(string path, Network network, ImageShape shape, TensorLayout layout, float[] lookup, double[] slope, double[] inputError, InferenceSession session, string inputName, string outputName, long[] runDims)
    {
        Path = path;
        Network = network;
        Shape = shape;
        Layout = layout;
        _lookup = lookup;
        Slope = slope;
        InputError = inputError;
        _session = session;
        _inputName = inputName;
        _outputName = outputName;
        _runDims = runDims;
    }

    public string Path { get; }
    public Network Network { get; }
    public ImageShape Shape { get; }
    public TensorLayout Layout { get; }

    /// <summary>Per channel: how much a model input value moves per step of the raw pixel value (1 / (scale * std)).</summary>
    public double[] Slope { get; }

    /// <summary>Per channel: the most the float32 lookup table's value differs from the exact affine preprocessing (twice: the new and the clean value).</summary>
    public double[] InputError { get; }

    /// <summary>The largest difference from ONNX Runtime seen on the probe images.</summary>
    public double ParityDifference { get; private set; }

    /// <summary>
    /// Reads <paramref name="path"/> for verification, or raises <see cref="UnsupportedGraphException"/>
    /// (an operator the bounds cannot cross, or a forward pass that does not match ONNX Runtime's).
    /// </summary>
    /// <param name="path">The .onnx file.</param>
    /// <param name="options">The options the classifier scores it with.</param>
    /// <param name="alter">For tests: changes the network before the parity check (which must then refuse it).</param>
    public static NetworkModel Open(string path, ModelOptions options, Action<Network>? alter = null)
    {
        var graph = OnnxGraph.Read(path);
        var inputName = OnnxModelFile.ResolveName(options.InputName, graph.Inputs.Select(i => i.Name), "input", path);
        var outputName = OnnxModelFile.ResolveName(options.OutputName, graph.Outputs.Select(o => o.Name), "output", path);
        var declared = graph.Inputs.Single(i => i.Name == inputName).Dims.Select(d => (int)d).ToArray();
        var (shape, layout) = OnnxInput.ResolveImage(path, declared, options, []);
        var filled = declared.Skip(1).Any(d => d <= 0) ? OnnxInput.FillDynamicDimensions(declared, shape, layout) : declared;
        var dims = filled.Select(d => (long)d).ToArray();
        var network = OnnxNetworkBuilder.Build(graph, inputName, dims, outputName);
        alter?.Invoke(network);
        if (network.InputSize != shape.Length)
            throw new UnsupportedGraphException($"input '{inputName}'", $"holds {network.InputSize} values; the images have {shape.Length}");

        var lookup = PixelPreprocessor.BuildLookup(path, options, shape.Channels);
        var scale = (double)(options.Scale ?? ModelOptions.DefaultScale);
        var slope = new double[shape.Channels];
        var error = new double[shape.Channels];
        for (var c = 0; c < shape.Channels; c++)
        {
            double mean = PerChannel(options.Mean, c, 0), std = PerChannel(options.Std, c, 1);
            slope[c] = 1 / (scale * std);
            for (var v = 0; v < 256; v++)
                error[c] = Math.Max(error[c], Math.Abs(lookup[c * 256 + v] - (v / scale - mean) / std));
            error[c] = 2 * error[c] + 1e-12;
        }

        using var sessionOptions = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        var session = new InferenceSession(path, sessionOptions);
        var runDims = dims.ToArray();
        runDims[0] = Math.Max(1, declared[0]);
        var model = new NetworkModel(path, network, shape, layout, lookup, slope, error, session, inputName, outputName, runDims);
        try
        {
            model.CheckProbes();
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private static double PerChannel(IReadOnlyList<float>? values, int channel, double fallback) =>
        values is null || values.Count == 0 ? fallback : values.Count == 1 ? values[0] : values[channel];

    /// <summary>The model input for an image (HWC bytes), exactly as the classifier feeds it.</summary>
    public float[] Preprocess(ReadOnlySpan<byte> pixels)
    {
        var input = new float[Shape.Length];
        PixelPreprocessor.Preprocess(_lookup, Shape, Layout, pixels, input);
        return input;
    }

    /// <summary>Where channel <paramref name="channel"/> of pixel <paramref name="pixel"/> (y * width + x) sits in the model input.</summary>
    public int InputIndex(int pixel, int channel) =>
        Shape.Channels == 1 ? pixel : Layout == TensorLayout.Nhwc ? pixel * Shape.Channels + channel : channel * Shape.PixelCount + pixel;

    /// <summary>The network's values for an image, checked against ONNX Runtime's output for it; null when they differ (the reason in <paramref name="mismatch"/>).</summary>
    public double[][]? CleanValues(ReadOnlySpan<byte> pixels, out string? mismatch)
    {
        var input = Preprocess(pixels);
        var values = Network.Forward(input);
        var difference = Compare(Network.GraphOutput(values), RunReference(input), out mismatch);
        return mismatch is null && difference >= 0 ? values : null;
    }

    private void CheckProbes()
    {
        const int probes = 6;
        var images = FixedBatchRelaxation.ParityProbeImages(Shape, probes);
        for (var i = 0; i < probes; i++)
        {
            var input = Preprocess(images.AsSpan(i * Shape.Length, Shape.Length));
            var difference = Compare(Network.GraphOutput(Network.Forward(input)), RunReference(input), out var mismatch);
            if (mismatch is not null)
                throw new UnsupportedGraphException("the forward pass", $"the verifier's own forward pass does not give ONNX Runtime's outputs on probe image {i + 1} ({mismatch}), so no certificate would be trustworthy");
            ParityDifference = Math.Max(ParityDifference, difference);
        }
    }

    /// <summary>Largest |a - b|, with a mismatch message when some value is outside the parity tolerance (that of the batch relaxation).</summary>
    private double Compare(double[] ours, float[] reference, out string? mismatch)
    {
        mismatch = null;
        if (ours.Length != reference.Length)
        {
            mismatch = $"{ours.Length} outputs against ONNX Runtime's {reference.Length}";
            return -1;
        }
        var worst = 0.0;
        for (var j = 0; j < ours.Length; j++)
        {
            var difference = Math.Abs(ours[j] - reference[j]);
            if (!(difference <= FixedBatchRelaxation.ParityAbsolute + FixedBatchRelaxation.ParityRelative * Math.Abs(reference[j])))
            {
                mismatch = $"output {j}: {ours[j]:G6} here, {reference[j]:G6} from ONNX Runtime";
                return difference;
            }
            worst = Math.Max(worst, difference);
        }
        return worst;
    }

    /// <summary>ONNX Runtime's raw output for one input (the batch padded with zeros when the model fixes it above 1).</summary>
    private float[] RunReference(float[] input)
    {
        var batch = (int)_runDims[0];
        var data = new float[batch * input.Length];
        input.CopyTo(data, 0);
        lock (_sessionLock)
        {
            using var value = OrtValue.CreateTensorValueFromMemory(data, _runDims);
            using var runOptions = new RunOptions();
            using var outputs = _session.Run(runOptions, [_inputName], [value], [_outputName]);
            var all = outputs[0].GetTensorDataAsSpan<float>();
            return all[..(all.Length / batch)].ToArray();
        }
    }

    public void Dispose() => _session.Dispose();
}
