using OnePixel.Testing.Verification.Bounds;

namespace OnePixel.Testing.Verification.Networks;

/// <summary>
/// MaxPool and GlobalMaxPool on [channels, height, width]. Over a box, a window whose largest lower
/// bound beats every other upper bound is exactly that input; otherwise the output lies above the
/// input with the largest lower bound, and below max(z*, M) for the input z* with the largest upper
/// bound and M the largest upper bound of the rest, relaxed like a ReLU of z* - M.
/// </summary>
internal sealed class MaxPoolLayer : Layer
{
    private readonly Window2D _window;
    private readonly int _channels;

    public MaxPoolLayer(string op, int input, long[] shape, int channels, Window2D window) : base(op, [input], shape)
    {
        _window = window;
        _channels = channels;
    }

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
                var max = double.NegativeInfinity;
                for (var q = 0; q < n; q++) max = Math.Max(max, x[c * inPlane + window[q].Position]);
                output[c * outPlane + o] = max;
            }
        }
    }

    public override void Propagate(BoundContext context, Perturbation output)
    {
        var layer = Inputs[0];
        var input = context.States[layer];
        var w = _window;
        int inPlane = w.InHeight * w.InWidth, outPlane = w.OutHeight * w.OutWidth;
        Span<(int Position, int Kernel)> window = stackalloc (int, int)[w.KernelSize];
        // First the outputs whose window holds an affected input (added with zero bounds, filled below).
        for (var s = 0; s < input.Count; s++)
        {
            var (c, rest) = Math.DivRem(input.IndexAt(s), inPlane);
            var n = w.Reached(rest / w.InWidth, rest % w.InWidth, window);
            for (var q = 0; q < n; q++) output.Add(c * outPlane + window[q].Position);
        }
        var clean = context.Clean[layer];
        var cleanOut = context.Clean[Index];
        var k = input.K;
        for (var o = 0; o < output.Count; o++)
        {
            var (c, rest) = Math.DivRem(output.IndexAt(o), outPlane);
            var (oh, ow) = Math.DivRem(rest, w.OutWidth);
            // The window's inputs with the largest lower bound (best) and the largest upper bound (top), and the runner-up upper bound.
            int best = -1, top = -1;
            double bestLow = double.NegativeInfinity, topHigh = double.NegativeInfinity, secondHigh = double.NegativeInfinity;
            var n = w.Covered(oh, ow, window);
            for (var q = 0; q < n; q++)
            {
                var index = c * inPlane + window[q].Position;
                var (low, high) = context.Range(layer, index);
                if (low > bestLow || low == bestLow && clean[index] > clean[best]) (best, bestLow) = (index, low); // ties (ReLU outputs at 0): the clean winner
                if (high > topHigh)
                {
                    secondHigh = topHigh;
                    (top, topHigh) = (index, high);
                }
                else if (high > secondHigh) secondHigh = high;
            }
            var y0 = cleanOut[output.IndexAt(o)];
            var outLower = output.Lower(o);
            var outUpper = output.Upper(o);
            ref var relaxation = ref output.RelaxationOf(o);
            // Lower: y >= z_best.
            SetChange(outLower, input, best, clean[best], y0, lower: true, k);
            relaxation.LowerSlot = input.SlotOf(best);
            relaxation.LowerSlope = relaxation.LowerSlot < 0 ? 0 : 1;
            relaxation.LowerShift = clean[best] - y0;
            // The rest of the window never beats z_best: y = z_best.
            var restHigh = best == top ? secondHigh : topHigh;
            if (bestLow >= restHigh)
            {
                SetChange(outUpper, input, best, clean[best], y0, lower: false, k);
                (relaxation.UpperSlot, relaxation.UpperSlope, relaxation.UpperShift) = (relaxation.LowerSlot, relaxation.LowerSlope, relaxation.LowerShift);
                continue;
            }
            // Upper: y <= max(z_top, M), M the largest upper bound of the others; as M + relu(z_top - M).
            var m = secondHigh;
            var (topLow, _) = context.Range(layer, top);
            double tl = topLow - m, tu = topHigh - m;
            var topSlot = input.SlotOf(top);
            if (tu <= 0)
            {
                outUpper.Clear();
                outUpper[k - 1] = m - y0;
                (relaxation.UpperSlot, relaxation.UpperSlope, relaxation.UpperShift) = (-1, 0, m - y0);
            }
            else if (tl >= 0)
            {
                SetChange(outUpper, input, top, clean[top], y0, lower: false, k);
                (relaxation.UpperSlot, relaxation.UpperSlope, relaxation.UpperShift) = (topSlot, topSlot < 0 ? 0 : 1, clean[top] - y0);
            }
            else
            {
                var slope = tu / (tu - tl);
                SetChange(outUpper, input, top, clean[top], y0, lower: false, k);
                for (var q = 0; q < k; q++) outUpper[q] *= slope;
                // slope * (z_top - m - tl) + m - y0, with z_top - y0 already scaled: add the rest.
                outUpper[k - 1] += slope * (y0 - m - tl) + m - y0;
                (relaxation.UpperSlot, relaxation.UpperSlope, relaxation.UpperShift) = (topSlot, topSlot < 0 ? 0 : slope, slope * (clean[top] - m - tl) + m - y0);
            }
        }
    }

    public override void Backward(BackSubstitution back) => back.Relaxed(this);

    /// <summary>target = the bound of (z_index - y0): the input's lower or upper change plus its clean value, less the output's clean value.</summary>
    private static void SetChange(Span<double> target, Perturbation input, int index, double clean, double y0, bool lower, int k)
    {
        var slot = input.SlotOf(index);
        if (slot < 0) target.Clear();
        else (lower ? input.Lower(slot) : input.Upper(slot)).CopyTo(target);
        target[k - 1] += clean - y0;
    }
}
