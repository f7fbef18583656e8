using OnePixel.Testing.Verification.Bounds;

namespace OnePixel.Testing.Verification.Networks;

/// <summary>
/// y[i] = scale[i] * x[i] + shift[i]: Add, Sub, Mul, Div and Neg by constants (broadcast to the
/// input's shape), BatchNormalization in inference mode, a normalisation inside the graph.
/// </summary>
internal sealed class AffineLayer(string op, int input, long[] shape, double[] scale, double[] shift) : Layer(op, [input], shape)
{
    public double[] Scale { get; } = scale;
    public double[] Shift { get; } = shift;

    public override bool IsAffine => true;

    public override void Forward(double[][] values, double[] output)
    {
        var x = values[Inputs[0]];
        for (var i = 0; i < output.Length; i++) output[i] = Scale[i] * x[i] + Shift[i];
    }

    public override void Propagate(BoundContext context, Perturbation output)
    {
        var input = context.States[Inputs[0]];
        for (var s = 0; s < input.Count; s++)
        {
            var index = input.IndexAt(s);
            if (Scale[index] == 0) continue;
            output.AddScaled(output.Add(index), input, s, Scale[index]);
        }
    }

    public override void Backward(BackSubstitution back)
    {
        var output = back.Context.States[Index];
        var input = back.Context.States[Inputs[0]];
        foreach (var s in back.Touched(Index))
        {
            var row = back.Row(Index, s);
            var index = output.IndexAt(s);
            back.Add(Inputs[0], input.SlotOf(index), row, Scale[index]);
        }
    }
}
