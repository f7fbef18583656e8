using OnePixel.Testing.Verification.Bounds;

namespace OnePixel.Testing.Verification.Networks;

/// <summary>
/// A 2-D convolution (ONNX Conv: pads, strides, dilations, groups) on [channels, height, width].
/// Bounds are scattered from the affected inputs to the outputs they reach, so a layer costs its
/// affected region times the kernel, not the whole feature map.
/// </summary>
internal sealed class ConvLayer : Layer
{
    private readonly Window2D _window;
    private readonly int _inChannels, _outChannels, _groups;
    private readonly double[] _weights;   // ONNX order [M, C/groups, kh, kw]
    private readonly double[] _scatter;   // [C][kh][kw][M/groups]: what one input value adds to each output channel of its group
    private readonly double[] _bias;

    public ConvLayer(int input, long[] shape, int inChannels, int outChannels, int groups, Window2D window, double[] weights, double[] bias)
        : base("Conv", [input], shape)
    {
        _window = window;
        _inChannels = inChannels;
        _outChannels = outChannels;
        _groups = groups;
        _weights = weights;
        _bias = bias;
        int cg = inChannels / groups, mg = outChannels / groups, kh = window.KernelH, kw = window.KernelW;
        _scatter = new double[inChannels * kh * kw * mg];
        for (var m = 0; m < outChannels; m++)
        for (var c = 0; c < cg; c++)
        for (var i = 0; i < kh; i++)
        for (var j = 0; j < kw; j++)
        {
            var g = m / mg;
            var channel = g * cg + c;
            _scatter[((channel * kh + i) * kw + j) * mg + m % mg] = weights[((m * cg + c) * kh + i) * kw + j];
        }
    }

    public override bool IsAffine => true;

    public override void Forward(double[][] values, double[] output)
    {
        var x = values[Inputs[0]];
        var w = _window;
        int cg = _inChannels / _groups, mg = _outChannels / _groups;
        int inPlane = w.InHeight * w.InWidth, outPlane = w.OutHeight * w.OutWidth;
        for (var m = 0; m < _outChannels; m++)
        {
            var g = m / mg;
            for (var oh = 0; oh < w.OutHeight; oh++)
            for (var ow = 0; ow < w.OutWidth; ow++)
            {
                var sum = _bias[m];
                for (var c = 0; c < cg; c++)
                {
                    var plane = (g * cg + c) * inPlane;
                    for (var i = 0; i < w.KernelH; i++)
                    {
                        var ih = w.InRow(oh, i);
                        if (ih < 0 || ih >= w.InHeight) continue;
                        for (var j = 0; j < w.KernelW; j++)
                        {
                            var iw = w.InColumn(ow, j);
                            if (iw < 0 || iw >= w.InWidth) continue;
                            sum += _weights[((m * cg + c) * w.KernelH + i) * w.KernelW + j] * x[plane + ih * w.InWidth + iw];
                        }
                    }
                }
                output[m * outPlane + oh * w.OutWidth + ow] = sum;
            }
        }
    }

    public override void Propagate(BoundContext context, Perturbation output)
    {
        var input = context.States[Inputs[0]];
        var w = _window;
        int mg = _outChannels / _groups, cg = _inChannels / _groups;
        int inPlane = w.InHeight * w.InWidth, outPlane = w.OutHeight * w.OutWidth;
        for (var s = 0; s < input.Count; s++)
        {
            var index = input.IndexAt(s);
            var (channel, rest) = Math.DivRem(index, inPlane);
            var (ih, iw) = Math.DivRem(rest, w.InWidth);
            var firstOut = channel / cg * mg;
            for (var i = 0; i < w.KernelH; i++)
            {
                var oh = w.OutRow(ih, i);
                if (oh < 0) continue;
                for (var j = 0; j < w.KernelW; j++)
                {
                    var ow = w.OutColumn(iw, j);
                    if (ow < 0) continue;
                    var weights = _scatter.AsSpan(((channel * w.KernelH + i) * w.KernelW + j) * mg, mg);
                    for (var m = 0; m < mg; m++)
                        if (weights[m] != 0)
                            output.AddScaled(output.Add((firstOut + m) * outPlane + oh * w.OutWidth + ow), input, s, weights[m]);
                }
            }
        }
    }
}
