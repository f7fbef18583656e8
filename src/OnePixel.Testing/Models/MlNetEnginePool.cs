using System.Collections.Concurrent;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace OnePixel.Testing.Models;

/// <summary>
/// ML.NET prediction engines for one transformer whose input and output are float vectors. A
/// <see cref="PredictionEngine{TSrc, TDst}"/> is not thread-safe, so each concurrent caller takes
/// its own engine (and its own input and output rows) from a pool and gives it back: they are
/// reused, so nothing is allocated per call once the pool is warm.
/// </summary>
internal sealed class MlNetEnginePool : IDisposable
{
    private readonly MLContext _ml;
    private readonly ITransformer _transformer;
    private readonly SchemaDefinition _inputDefinition;
    private readonly SchemaDefinition _outputDefinition;
    private readonly ConcurrentBag<Engine> _engines = [];

    public MlNetEnginePool(MLContext ml, ITransformer transformer, string inputColumn, int inputLength, string outputColumn, DataViewType outputType)
    {
        _ml = ml;
        _transformer = transformer;
        InputLength = inputLength;
        _inputDefinition = SchemaDefinition.Create(typeof(InputVector));
        _inputDefinition[0].ColumnName = inputColumn;
        _inputDefinition[0].ColumnType = new VectorDataViewType(NumberDataViewType.Single, inputLength);
        _outputDefinition = SchemaDefinition.Create(typeof(OutputVector));
        _outputDefinition[0].ColumnName = outputColumn;
        _outputDefinition[0].ColumnType = outputType;
    }

    public int InputLength { get; }

    /// <summary>Takes an engine with its rows; give it back with <see cref="Return"/>.</summary>
    public Engine Rent() => _engines.TryTake(out var engine)
        ? engine
        : new Engine(_ml.Model.CreatePredictionEngine<InputVector, OutputVector>(_transformer, ignoreMissingColumns: true, _inputDefinition, _outputDefinition), InputLength);

    public void Return(Engine engine) => _engines.Add(engine);

    public void Dispose()
    {
        while (_engines.TryTake(out var engine)) engine.Dispose();
        (_transformer as IDisposable)?.Dispose();
    }

    internal sealed class Engine(PredictionEngine<InputVector, OutputVector> engine, int inputLength) : IDisposable
    {
        public InputVector Input { get; } = new() { Values = new float[inputLength] };
        private OutputVector _output = new();

        /// <summary>Scores <see cref="Input"/>; the output vector is reused between calls.</summary>
        public float[] Predict()
        {
            engine.Predict(Input, ref _output);
            return _output.Values;
        }

        public void Dispose() => engine.Dispose();
    }

    internal sealed class InputVector
    {
        public float[] Values { get; set; } = [];
    }

    internal sealed class OutputVector
    {
        public float[] Values { get; set; } = [];
    }
}
