using Microsoft.ML.OnnxRuntime;
using static OnePixel.Testing.Models.OnnxModelFile;

namespace OnePixel.Testing.Models;

/// <summary>
/// The model output class scores come from: its name, its dimensions (batch first; null when
/// dimensions other than the batch are dynamic, so runs cannot bind it in advance) and the length of
/// one image's row, which is the class count.
/// </summary>
internal sealed record OnnxOutput(string Name, long[]? Dimensions, int RowLength)
{
    /// <summary>The output must hold float32 scores; checked before anything else about it.</summary>
    public static void CheckElementType(string path, InferenceSession session, string name)
    {
        var output = session.OutputMetadata[name];
        if (output.ElementType != typeof(float))
            throw new OnePixelException($"{path}: output '{name}' holds {output.ElementType.Name}; expected float32 class scores.");
    }

    /// <summary>
    /// The output's row, from its shape, or from one probe run when it is dynamic; checked to be one
    /// score per class (at least 2, as many as <paramref name="classNames"/> when given).
    /// </summary>
    public static OnnxOutput Read(string path, InferenceSession session, string name, OnnxInput input, IReadOnlyList<string>? classNames)
    {
        var outputDims = session.OutputMetadata[name].Dimensions;
        var staticRow = outputDims.Length >= 2 && outputDims.Skip(1).All(d => d > 0);
        var rowLength = staticRow ? outputDims.Skip(1).Aggregate(1, (a, d) => a * d) : ProbeRowLength(session, name, input);
        if (outputDims.Length > 2 && outputDims.Skip(1).Count(d => d != 1) > 1)
            throw new OnePixelException($"{path}: output '{name}' has shape {FormatShape(outputDims)}; expected one score per class, such as [N, 10]. This does not look like an image classifier's output{(session.OutputMetadata.Count > 1 ? $"; the model's outputs are: {string.Join(", ", session.OutputMetadata.Keys.Select(n => $"'{n}'"))} (pick one with sidecar 'outputName' or --output-name)" : "")}.");
        if (rowLength < 2)
            throw new OnePixelException($"{path}: output '{name}' has shape {FormatShape(outputDims)}, {rowLength} value per image; expected one score per class (at least 2).");
        if (classNames is not null && classNames.Count != rowLength)
            throw new OnePixelException($"{path}: output '{name}' gives {rowLength} scores per image, but {classNames.Count} class names were given; expected one name per score.");
        return new OnnxOutput(name, staticRow ? outputDims.Select(d => (long)d).ToArray() : null, rowLength);
    }

    /// <summary>Values per image of one run on a blank batch (of the fixed size, or 1).</summary>
    private static int ProbeRowLength(InferenceSession session, string name, OnnxInput input)
    {
        var shape = (long[])input.Dimensions.Clone();
        var batch = input.FixedBatch == 0 ? 1 : input.FixedBatch;
        shape[0] = batch;
        var values = new float[batch * input.Shape.Length];
        using var runOptions = new RunOptions();
        using var value = OrtValue.CreateTensorValueFromMemory(values, shape);
        using var outputs = session.Run(runOptions, [input.Name], [value], [name]);
        return (int)(outputs[0].GetTensorTypeAndShape().ElementCount / batch);
    }
}
