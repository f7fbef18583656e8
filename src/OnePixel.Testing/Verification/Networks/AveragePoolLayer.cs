using OnePixel.Testing.Verification.Bounds;

namespace OnePixel.Testing.Verification.Networks;

/// <summary>AveragePool and GlobalAveragePool on [channels, height, width]: each output is a fixed weighted sum of its window, so linear.</summary>
internal sealed class AveragePoolLayer : Layer
{
    private readonly Window2D _window;
    private readonly int _channels;
    private readonly double[] _divisor; // per output position: what the window's sum is divided by

    public AveragePoolLayer(string op, int input, long[] shape, int channels, Window2D window, bool countIncludePad, int padBottom, int padRight) : base(op, [input], shape)
    {
        _window = window;
        _channels = channels;
        _divisor = new double[window.OutHeight * window.OutWidth];
        for (var oh = 0; oh < window.OutHeight; oh++)
        for (var ow = 0; ow < window.OutWidth; ow++)
        {
            var count = 0;
            for (var i = 0; i < window.KernelH; i++)
            for (var j = 0; j < window.KernelW; j++)
            {
                int ih = window.InRow(oh, i), iw = window.InColumn(ow, j);
                var inside = ih >= 0 && ih < window.InHeight && iw >= 0 && iw < window.InWidth;
                var inPadding = ih >= -window.PadTop && ih < window.InHeight + padBottom && iw >= -window.PadLeft && iw < window.InWidth + padRight;
                if (inside || countIncludePad && inPadding) count++;
            }
            _divisor[oh * window.OutWidth + ow] = Math.Max(count, 1);
        }
    }

    public override bool IsAffine => true;

    public override void Forward(double[][] values, double[] output)
    {
        var x = values[Inputs[0]];
        var w = _window;
        int inPlane = w.InHeight * w.InWidth, outPlane = w.OutHeight * w.OutWidth;
        Span<(int Position, int Kernel)> window = stackalloc (int, int)[w.KernelSize];
        for (var o = 0; o < outPlane; o++)
        {
            var n = w.Covered(o / w.OutWidth, o % w.OutWidth, window);
            for (var c = 0; c < _channels; c++)
            {
                var sum = 0.0;
                for (var q = 0; q < n; q++) sum += x[c * inPlane + window[q].Position];
                output[c * outPlane + o] = sum / _divisor[o];
            }
        }
    }

    public override void Propagate(BoundContext context, Perturbation output)
    {
        var input = context.States[Inputs[0]];
        var w = _window;
        int inPlane = w.InHeight * w.InWidth, outPlane = w.OutHeight * w.OutWidth;
        Span<(int Position, int Kernel)> reached = stackalloc (int, int)[w.KernelSize];
        for (var s = 0; s < input.Count; s++)
        {
            var (c, rest) = Math.DivRem(input.IndexAt(s), inPlane);
            var n = w.Reached(rest / w.InWidth, rest % w.InWidth, reached);
            for (var q = 0; q < n; q++)
                output.AddScaled(output.Add(c * outPlane + reached[q].Position), input, s, 1 / _divisor[reached[q].Position]);
        }
    }

    public override void Backward(BackSubstitution back)
    {
        var input = back.Context.States[Inputs[0]];
        var output = back.Context.States[Index];
        var w = _window;
        int inPlane = w.InHeight * w.InWidth, outPlane = w.OutHeight * w.OutWidth;
        Span<(int Position, int Kernel)> covered = stackalloc (int, int)[w.KernelSize];
        foreach (var s in back.Touched(Index))
        {
            var row = back.Row(Index, s);
            var (c, o) = Math.DivRem(output.IndexAt(s), outPlane);
            var n = w.Covered(o / w.OutWidth, o % w.OutWidth, covered);
            for (var q = 0; q < n; q++)
                if (input.SlotOf(c * inPlane + covered[q].Position) is var slot and >= 0)
                    back.Add(Inputs[0], slot, row, 1 / _divisor[o]);
        }
    }
}
