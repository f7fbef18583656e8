using OnePixel.Testing.Verification.Bounds;

namespace OnePixel.Testing.Verification.Networks;

/// <summary>
/// Moves values without computing: Transpose, Concat, Gather, Slice, Expand (broadcasting). Output
/// value i is value <c>Source[i]</c> of input <c>From[i]</c>; the mapping is found by applying the
/// operator to the indices themselves (see <see cref="TensorOps"/>).
/// </summary>
internal sealed class SelectLayer : Layer
{
    private readonly int[] _from;   // per output: which of Inputs
    private readonly int[] _source; // per output: the index in that input
    private readonly int[][] _readerStart; // per input: CSR offsets into _readers
    private readonly int[][] _readers;     // per input: outputs reading each value, grouped by value

    public SelectLayer(string op, int[] inputs, int[] inputSizes, long[] shape, int[] from, int[] source) : base(op, inputs, shape)
    {
        _from = from;
        _source = source;
        _readerStart = new int[inputs.Length][];
        _readers = new int[inputs.Length][];
        for (var k = 0; k < inputs.Length; k++)
        {
            var counts = new int[inputSizes[k] + 1];
            for (var i = 0; i < from.Length; i++) if (from[i] == k) counts[source[i] + 1]++;
            for (var j = 0; j < inputSizes[k]; j++) counts[j + 1] += counts[j];
            var readers = new int[counts[^1]];
            var next = (int[])counts.Clone();
            for (var i = 0; i < from.Length; i++) if (from[i] == k) readers[next[source[i]]++] = i;
            _readerStart[k] = counts;
            _readers[k] = readers;
        }
    }

    public override bool IsAffine => true;

    public override void Forward(double[][] values, double[] output)
    {
        for (var i = 0; i < output.Length; i++) output[i] = values[Inputs[_from[i]]][_source[i]];
    }

    public override void Propagate(BoundContext context, Perturbation output)
    {
        for (var k = 0; k < Inputs.Length; k++)
        {
            var input = context.States[Inputs[k]];
            for (var s = 0; s < input.Count; s++)
            {
                var index = input.IndexAt(s);
                for (var r = _readerStart[k][index]; r < _readerStart[k][index + 1]; r++)
                    output.AddScaled(output.Add(_readers[k][r]), input, s, 1);
            }
        }
    }

    public override void Backward(BackSubstitution back)
    {
        var output = back.Context.States[Index];
        foreach (var s in back.Touched(Index))
        {
            var row = back.Row(Index, s);
            var i = output.IndexAt(s);
            var from = Inputs[_from[i]];
            back.Add(from, back.Context.States[from].SlotOf(_source[i]), row, 1);
        }
    }
}
