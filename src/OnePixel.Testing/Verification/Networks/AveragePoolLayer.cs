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
        for (var c = 0; c < _channels; c++)
        for (var oh = 0; oh < w.OutHeight; oh++)
        for (var ow = 0; ow < w.OutWidth; ow++)
        {
            var sum = 0.0;
            for (var i = 0; i < w.KernelH; i++)
            {
                var ih = w.InRow(oh, i);
                if (ih < 0 || ih >= w.InHeight) continue;
                for (var j = 0; j < w.KernelW; j++)
                {
                    var iw = w.InColumn(ow, j);
                    if (iw >= 0 && iw < w.InWidth) sum += x[c * inPlane + ih * w.InWidth + iw];
                }
            }
            output[c * outPlane + oh * w.OutWidth + ow] = sum / _divisor[oh * w.OutWidth + ow];
        }
    }

    public override void Propagate(BoundContext context, Perturbation output)
    {
        var input = context.States[Inputs[0]];
        var w = _window;
        int inPlane = w.InHeight * w.InWidth, outPlane = w.OutHeight * w.OutWidth;
        for (var s = 0; s < input.Count; s++)
        {
            var (c, rest) = Math.DivRem(input.IndexAt(s), inPlane);
            var (ih, iw) = Math.DivRem(rest, w.InWidth);
            for (var i = 0; i < w.KernelH; i++)
            {
                var oh = w.OutRow(ih, i);
                if (oh < 0) continue;
                for (var j = 0; j < w.KernelW; j++)
                {
                    var ow = w.OutColumn(iw, j);
                    if (ow < 0) continue;
                    var position = oh * w.OutWidth + ow;
                    output.AddScaled(output.Add(c * outPlane + position), input, s, 1 / _divisor[position]);
                }
            }
        }
    }
}
