using OnePixel.Testing.Verification.Bounds;

namespace OnePixel.Testing.Verification.Networks;

/// <summary>
/// y[r, o] = sum_k x[r, k] * W[k, o] + b[o] over the last axis: Gemm and MatMul by a constant
/// matrix (with a bias from Gemm's C or a following Add). W is held [in, out], so an affected input
/// value reaches its outputs through one contiguous row.
/// </summary>
internal sealed class DenseLayer(string op, int input, long[] shape, int inputs, int outputs, double[] weights, double[] bias) : Layer(op, [input], shape)
{
    public int In { get; } = inputs;
    public int Out { get; } = outputs;

    public override bool IsAffine => true;

    public override void Forward(double[][] values, double[] output)
    {
        var x = values[Inputs[0]];
        var rows = output.Length / Out;
        for (var r = 0; r < rows; r++)
        {
            var y = output.AsSpan(r * Out, Out);
            bias.CopyTo(y);
            for (var k = 0; k < In; k++)
            {
                var v = x[r * In + k];
                if (v == 0) continue;
                var w = weights.AsSpan(k * Out, Out);
                for (var o = 0; o < Out; o++) y[o] += v * w[o];
            }
        }
    }

    public override void Propagate(BoundContext context, Perturbation output)
    {
        var input = context.States[Inputs[0]];
        var slots = new int[Out];
        var row = -1;
        for (var s = 0; s < input.Count; s++)
        {
            var index = input.IndexAt(s);
            var (r, k) = Math.DivRem(index, In);
            if (r != row)
            {
                // Every output of the row is reached (weights are dense): take their slots once.
                row = r;
                for (var o = 0; o < Out; o++) slots[o] = output.Add(r * Out + o);
            }
            var w = weights.AsSpan(k * Out, Out);
            for (var o = 0; o < Out; o++)
                if (w[o] != 0) output.AddScaled(slots[o], input, s, w[o]);
        }
    }

    public override void Backward(BackSubstitution back)
    {
        var input = back.Context.States[Inputs[0]];
        var output = back.Context.States[Index];
        foreach (var s in back.Touched(Index))
        {
            var row = back.Row(Index, s);
            var (r, o) = Math.DivRem(output.IndexAt(s), Out);
            for (var k = 0; k < In; k++)
            {
                var weight = weights[k * Out + o];
                if (weight != 0 && input.SlotOf(r * In + k) is var slot and >= 0) back.Add(Inputs[0], slot, row, weight);
            }
        }
    }
}
