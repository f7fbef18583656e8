using Microsoft.ML;
using Microsoft.ML.Data;
using OnePixel.Testing.Imaging;

namespace OnePixel.Testing.Models;

/// <summary>
/// Scores images through any ML.NET model saved as a .zip (<c>mlContext.Model.Save</c>): a
/// float-vector input column holding one image's values (scaled, normalised and laid out as the
/// options say) and a float-vector output column of class scores. Columns are found by name
/// (<see cref="ModelOptions.InputName"/>, <see cref="ModelOptions.OutputName"/>) or, when there is
/// only one candidate, inferred with a note. For teams that train with ML.NET.
/// </summary>
public sealed class MlNetTransformerClassifier : IModelClassifier
{
    /// <summary>The output column taken when none is named: ML.NET's multiclass trainers write their class scores there.</summary>
    public const string DefaultOutputColumn = "Score";

    private readonly MlNetEnginePool _pool;
    private readonly float[] _lookup;
    private readonly TensorLayout _layout;
    private readonly int _outputLength;
    private readonly bool _applySoftmax;

    private MlNetTransformerClassifier(string path, MLContext ml, ITransformer transformer, DataViewSchema inputSchema, ModelOptions options)
    {
        Path = path;
        var notes = new List<string>();
        var inputs = inputSchema.Where(c => IsFloatVector(c.Type)).Select(c => c.Name).ToList();
        InputName = options.InputName is { } wanted
            ? inputSchema.GetColumnOrNull(wanted) is { } column && IsFloatVector(column.Type)
                ? wanted
                : throw new OnePixelException($"{path}: no float-vector input column named '{wanted}'; the model's input columns are: {Describe(inputSchema)}.")
            : inputs.Count == 1
                ? inputs[0]
                : throw new OnePixelException($"{path}: the model has {inputs.Count} float-vector input columns ({Describe(inputSchema)}); name the one that takes the image (sidecar 'inputName' or --input).");
        if (options.InputName is null) notes.Add($"input column '{InputName}' inferred (the only float vector)");

        var inputSize = ((VectorDataViewType)inputSchema[InputName].Type).Size;
        (InputShape, _layout) = OnnxInput.ResolveImage(path, [-1, inputSize > 0 ? inputSize : -1], options, notes);
        if (inputSize > 0 && inputSize != InputShape.Length)
            throw new OnePixelException($"{path}: input column '{InputName}' holds {inputSize} values, which does not fit {InputShape} images ({InputShape.Length} values).");
        _lookup = PixelPreprocessor.BuildLookup(path, options, InputShape.Channels);

        var probeDefinition = SchemaDefinition.Create(typeof(MlNetEnginePool.InputVector));
        probeDefinition[0].ColumnName = InputName;
        probeDefinition[0].ColumnType = new VectorDataViewType(NumberDataViewType.Single, InputShape.Length);
        var outputSchema = transformer.GetOutputSchema(ml.Data.LoadFromEnumerable(Array.Empty<MlNetEnginePool.InputVector>(), probeDefinition).Schema);
        var outputs = outputSchema.Where(c => !c.IsHidden && IsFloatVector(c.Type) && c.Name != InputName).Select(c => c.Name).ToList();
        OutputName = options.OutputName is { } named
            ? outputSchema.GetColumnOrNull(named) is { } outputColumn && IsFloatVector(outputColumn.Type)
                ? named
                : throw new OnePixelException($"{path}: no float-vector output column named '{named}'; the model's float-vector output columns are: {string.Join(", ", outputs.Select(n => $"'{n}'"))}.")
            : outputs.Contains(DefaultOutputColumn)
                ? DefaultOutputColumn
                : outputs.Count == 1
                    ? outputs[0]
                    : throw new OnePixelException($"{path}: the model has {outputs.Count} float-vector output columns ({string.Join(", ", outputs.Select(n => $"'{n}'"))}) and none named '{DefaultOutputColumn}'; name the one with the class scores (sidecar 'outputName' or --output-name).");
        if (options.OutputName is null) notes.Add($"output column '{OutputName}' inferred");

        _pool = new MlNetEnginePool(ml, transformer, InputName, InputShape.Length, OutputName, outputSchema[OutputName].Type);
        var probe = ProbeRaw();
        _outputLength = probe.Length / 2;
        ClassCount = _outputLength;
        if (ClassCount < 2)
            throw new OnePixelException($"{path}: output column '{OutputName}' gives {ClassCount} value per image; expected one score per class (at least 2).");
        if (options.ClassNames is not null && options.ClassNames.Count != ClassCount)
            throw new OnePixelException($"{path}: output column '{OutputName}' gives {ClassCount} scores per image, but {options.ClassNames.Count} class names were given; expected one name per score.");
        ClassNames = options.ClassNames;
        var checkedProbe = new float[probe.Length];
        Probability.FromScores(probe, 2, _outputLength, ClassCount, false, path, OutputName, checkedProbe);

        var kind = ScoreKindProbe.Resolve(options.Scores, probe.AsSpan(0, 2 * ClassCount), ClassCount, $"output column '{OutputName}'", notes);
        _applySoftmax = kind == ScoreKind.Logits;
        ScoreKind = kind;
        Preprocessing = ModelPreprocessing.Of(InputName, OutputName, _layout, InputShape, options, kind, ScoringBackend.MlNet);
        Notes = notes;
    }

    public string Path { get; }
    public ImageShape InputShape { get; }
    public int ClassCount { get; }
    public IReadOnlyList<string>? ClassNames { get; }
    public ScoreKind ScoreKind { get; }
    public ScoringBackend Backend => ScoringBackend.MlNet;
    public ModelPreprocessing Preprocessing { get; }
    public IReadOnlyList<string> Notes { get; }
    public string InputName { get; }
    public string OutputName { get; }

    public static MlNetTransformerClassifier Load(string path, ModelOptions? options = null)
    {
        if (!File.Exists(path))
            throw new OnePixelException($"{path}: model file not found.");
        var ml = new MLContext(seed: 0);
        ITransformer transformer;
        DataViewSchema inputSchema;
        try
        {
            transformer = ml.Model.Load(path, out inputSchema);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new OnePixelException($"{path}: not a loadable ML.NET model ({OnnxModelFile.FirstLine(e.Message)}); expected a .zip saved by mlContext.Model.Save.", e);
        }
        return new MlNetTransformerClassifier(path, ml, transformer, inputSchema, options ?? new ModelOptions());
    }

    public void Score(ReadOnlySpan<byte> images, int count, Span<float> probabilities)
    {
        var imageLength = InputShape.Length;
        this.CheckScoreArguments(images, count, probabilities);
        var engine = _pool.Rent();
        try
        {
            // A general transformer takes one image per row: ML.NET scores row by row.
            for (var i = 0; i < count; i++)
            {
                PixelPreprocessor.Preprocess(_lookup, InputShape, _layout, images.Slice(i * imageLength, imageLength), engine.Input.Values);
                var raw = engine.Predict();
                Probability.FromScores(raw, 1, _outputLength, ClassCount, _applySoftmax, Path, OutputName, probabilities.Slice(i * ClassCount, ClassCount));
            }
        }
        finally
        {
            _pool.Return(engine);
        }
    }

    /// <summary>Raw output of a black and a mid-gray image, end to end.</summary>
    private float[] ProbeRaw()
    {
        var engine = _pool.Rent();
        try
        {
            var rows = new List<float>();
            foreach (var value in new byte[] { 0, 128 })
            {
                var pixels = new byte[InputShape.Length];
                Array.Fill(pixels, value);
                PixelPreprocessor.Preprocess(_lookup, InputShape, _layout, pixels, engine.Input.Values);
                rows.AddRange(engine.Predict());
            }
            return [.. rows];
        }
        finally
        {
            _pool.Return(engine);
        }
    }

    private static bool IsFloatVector(DataViewType type) => type is VectorDataViewType { ItemType: NumberDataViewType n } && n.RawType == typeof(float);

    private static string Describe(DataViewSchema schema) => string.Join(", ", schema.Select(c => $"'{c.Name}' ({c.Type})"));

    public void Dispose() => _pool.Dispose();
}
