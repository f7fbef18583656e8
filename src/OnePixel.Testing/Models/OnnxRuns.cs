using System.Collections.Concurrent;
using Microsoft.ML.OnnxRuntime;

namespace OnePixel.Testing.Models;

/// <summary>
/// One model run of a batch of images: preprocessed into a caller's pinned input buffer, run, and
/// its raw output rows read. Concurrent callers each take their own <see cref="OnnxRunBuffers"/> from
/// a pool (ONNX Runtime sessions allow concurrent runs), so nothing is allocated per query.
/// </summary>
internal sealed class OnnxRuns(string path, OnnxInput input, OnnxOutput output, PixelPreprocessor preprocessor) : IDisposable
{
    private readonly ConcurrentBag<OnnxRunBuffers> _buffers = [];
    private readonly RunOptions _runOptions = new();
    private readonly string[] _inputNames = [input.Name];
    private readonly string[] _outputNames = [output.Name];

    /// <summary>Buffers for one caller: return them with <see cref="Return"/> when the call is done.</summary>
    public OnnxRunBuffers Rent() => _buffers.TryTake(out var pooled) ? pooled : new OnnxRunBuffers();

    public void Return(OnnxRunBuffers buffers) => _buffers.Add(buffers);

    /// <summary>One run of <paramref name="batch"/> images (the first <paramref name="count"/> given, the rest zero): the raw output rows.</summary>
    public ReadOnlySpan<float> RunRaw(InferenceSession session, ReadOnlySpan<byte> images, int count, int batch, OnnxRunBuffers buffers)
    {
        var imageLength = input.Shape.Length;
        var values = buffers.Input(batch * imageLength);
        for (var i = 0; i < count; i++)
            preprocessor.Preprocess(images.Slice(i * imageLength, imageLength), values.AsSpan(i * imageLength, imageLength));
        values.AsSpan(count * imageLength, (batch - count) * imageLength).Clear();

        var rowLength = output.RowLength;
        if (output.Dimensions is { } outputDimensions)
        {
            // Input and output live in the reused, pinned buffers, bound to the session once per
            // batch size: a run allocates nothing, managed or native.
            var rows = buffers.Output(batch * rowLength);
            session.RunWithBinding(_runOptions, buffers.Binding(session, batch, input.Name, input.Dimensions, output.Name, outputDimensions));
            return rows.AsSpan(0, count * rowLength);
        }
        var inputShape = buffers.Shape(input.Dimensions, batch);
        using var inputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, values.AsMemory(0, batch * imageLength), inputShape);
        using var outputs = session.Run(_runOptions, _inputNames, [inputValue], _outputNames);
        var scores = outputs[0].GetTensorDataAsSpan<float>();
        if (scores.Length != batch * rowLength)
            throw new OnePixelException($"{path}: output '{output.Name}' gave {scores.Length} values for {batch} images; expected {rowLength} per image.");
        var copy = buffers.Output(count * rowLength);
        scores[..(count * rowLength)].CopyTo(copy);
        return copy.AsSpan(0, count * rowLength);
    }

    public void Dispose()
    {
        while (_buffers.TryTake(out var buffers)) buffers.Dispose();
        _runOptions.Dispose();
    }
}
