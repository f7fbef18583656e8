using OnePixel.Testing.Verification.Bounds;

namespace OnePixel.Testing.Verification.Networks;

/// <summary>a + b or a - b of two computed tensors of one shape: a residual connection, a difference of branches.</summary>
internal sealed class SumLayer(string op, int a, int b, double signOfB, long[] shape) : Layer(op, [a, b], shape)
{
    public override bool IsAffine => true;

    public override void Forward(double[][] values, double[] output)
    {
        var x = values[Inputs[0]];
        var y = values[Inputs[1]];
        for (var i = 0; i < output.Length; i++) output[i] = x[i] + signOfB * y[i];
    }

    public override void Propagate(BoundContext context, Perturbation output)
    {
        var x = context.States[Inputs[0]];
        var y = context.States[Inputs[1]];
        for (var s = 0; s < x.Count; s++) output.AddScaled(output.Add(x.IndexAt(s)), x, s, 1);
        for (var s = 0; s < y.Count; s++) output.AddScaled(output.Add(y.IndexAt(s)), y, s, signOfB);
    }

    public override void Backward(BackSubstitution back)
    {
        var output = back.Context.States[Index];
        var x = back.Context.States[Inputs[0]];
        var y = back.Context.States[Inputs[1]];
        foreach (var s in back.Touched(Index))
        {
            var row = back.Row(Index, s);
            var index = output.IndexAt(s);
            if (x.SlotOf(index) is var a and >= 0) back.Add(Inputs[0], a, row, 1);
            if (y.SlotOf(index) is var b and >= 0) back.Add(Inputs[1], b, row, signOfB);
        }
    }
}
