using OnePixel.Testing.Verification.Bounds;

namespace OnePixel.Testing.Verification.Networks;

/// <summary>Reshape, Flatten, Squeeze, Unsqueeze, Identity, Dropout: the same values in the same (row-major) order, another shape.</summary>
internal sealed class ReshapeLayer(string op, int input, long[] shape) : Layer(op, [input], shape)
{
    public override bool IsAffine => true;

    public override void Forward(double[][] values, double[] output) => values[Inputs[0]].CopyTo(output, 0);

    public override void Propagate(BoundContext context, Perturbation output)
    {
        var input = context.States[Inputs[0]];
        for (var s = 0; s < input.Count; s++)
            output.AddScaled(output.Add(input.IndexAt(s)), input, s, 1);
    }

    public override void Backward(BackSubstitution back)
    {
        var output = back.Context.States[Index];
        var input = back.Context.States[Inputs[0]];
        foreach (var s in back.Touched(Index))
            back.Add(Inputs[0], input.SlotOf(output.IndexAt(s)), back.Row(Index, s), 1);
    }
}
