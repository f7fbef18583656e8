using Microsoft.ML.OnnxRuntime;

namespace OnePixel.Testing.Models;

/// <summary>
/// A run's input and output buffers for one concurrent caller, grown as needed and reused: no
/// per-query allocation. The buffers are on the pinned heap and bound to the session once per batch
/// size (<see cref="Binding"/>), so ONNX Runtime reads and writes them in place.
/// </summary>
internal sealed class OnnxRunBuffers : IDisposable
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

    /// <summary>A copy of <paramref name="template"/> with its batch dimension set, made once per batch size.</summary>
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
