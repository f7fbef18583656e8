using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using OnePixel.Testing.Verification.Bounds;

namespace OnePixel.Testing.Verification.Networks;

/// <summary>
/// A 2-D convolution (ONNX Conv: pads, strides, dilations, groups) on [channels, height, width].
/// Bounds are scattered from the affected inputs to the outputs they reach, so a layer costs its
/// affected region times the kernel, not the whole feature map; back-substitution gathers each affected
/// input's coefficients from the outputs it reaches, the channels of a group at one position four at a time.
/// </summary>
internal sealed class ConvLayer : Layer
{
    private readonly Window2D _window;
    private readonly int _inChannels, _outChannels, _groups;
    private readonly double[] _weights;   // ONNX order [M, C/groups, kh, kw]
    private readonly double[] _scatter;   // [C][kh][kw][M/groups]: what one input value adds to each output channel of its group
    private readonly double[] _bias;
    private readonly double[] _scatterPositive, _scatterNegative; // _scatter's positive and negative parts (the other zero)
    private readonly double[] _byOutput;  // [groups][kh][kw][M/groups][C/groups]: what each output channel at each kernel position gives each input channel of its group

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
        _scatterPositive = _scatter.Select(x => Math.Max(x, 0)).ToArray();
        _scatterNegative = _scatter.Select(x => Math.Min(x, 0)).ToArray();
        _byOutput = new double[outChannels * cg * kh * kw];
        for (var m = 0; m < outChannels; m++)
        for (var c = 0; c < cg; c++)
        for (var k = 0; k < kh * kw; k++)
            _byOutput[((m / mg * kh * kw + k) * mg + m % mg) * cg + c] = weights[(m * cg + c) * kh * kw + k];
    }

    public override bool IsAffine => true;

    public override void Forward(double[][] values, double[] output)
    {
        var x = values[Inputs[0]];
        var w = _window;
        int cg = _inChannels / _groups, mg = _outChannels / _groups;
        int inPlane = w.InHeight * w.InWidth, outPlane = w.OutHeight * w.OutWidth, kernel = w.KernelSize;
        Span<(int Position, int Kernel)> window = stackalloc (int, int)[kernel];
        for (var oh = 0; oh < w.OutHeight; oh++)
        for (var ow = 0; ow < w.OutWidth; ow++)
        {
            var n = w.Covered(oh, ow, window);
            for (var m = 0; m < _outChannels; m++)
            {
                var sum = _bias[m];
                var first = m / mg * cg;
                for (var c = 0; c < cg; c++)
                {
                    var weights = _weights.AsSpan((m * cg + c) * kernel, kernel);
                    var plane = x.AsSpan((first + c) * inPlane, inPlane);
                    for (var q = 0; q < n; q++) sum += weights[window[q].Kernel] * plane[window[q].Position];
                }
                output[m * outPlane + oh * w.OutWidth + ow] = sum;
            }
        }
    }

    public override void Propagate(BoundContext context, Perturbation output)
    {
        var input = context.States[Inputs[0]];
        var w = _window;
        int mg = _outChannels / _groups, cg = _inChannels / _groups, k = input.K;
        int inPlane = w.InHeight * w.InWidth, outPlane = w.OutHeight * w.OutWidth;
        // Sums go to dense accumulators laid out [position][channel][coefficient], so one input value's
        // contribution to the channels of one output position is one contiguous run.
        var (lower, upper) = context.Scratch.Accumulators(outPlane * _outChannels * k);
        var (touched, list) = context.Scratch.Touched(outPlane);
        var positions = 0;
        Span<(int Position, int Kernel)> reached = stackalloc (int, int)[w.KernelSize];
        for (var s = 0; s < input.Count; s++)
        {
            var (channel, rest) = Math.DivRem(input.IndexAt(s), inPlane);
            var (ih, iw) = Math.DivRem(rest, w.InWidth);
            var firstOut = channel / cg * mg;
            ReadOnlySpan<double> inLower = input.Lower(s), inUpper = input.Upper(s);
            var n = w.Reached(ih, iw, reached);
            for (var q = 0; q < n; q++)
            {
                var p = reached[q].Position;
                if (!touched[p])
                {
                    touched[p] = true;
                    list[positions++] = p;
                }
                var at = (channel * w.KernelSize + reached[q].Kernel) * mg;
                var weights = _scatter.AsSpan(at, mg);
                var lo = lower.AsSpan((p * _outChannels + firstOut) * k, mg * k);
                var hi = upper.AsSpan((p * _outChannels + firstOut) * k, mg * k);
                if (k == 4 && Vector256.IsHardwareAccelerated)
                {
                    // RGB: a bound is one vector. Positive weights carry the lower bound to the lower, negative
                    // ones the upper: split into parts, without a branch on the sign (the weights' signs are random).
                    var l4 = Vector256.Create(inLower);
                    var u4 = Vector256.Create(inUpper);
                    var positive = _scatterPositive.AsSpan(at, mg);
                    var negative = _scatterNegative.AsSpan(at, mg);
                    ref var lr = ref MemoryMarshal.GetReference(lo);
                    ref var hr = ref MemoryMarshal.GetReference(hi);
                    for (var m = 0; m < mg; m++)
                    {
                        var plus = Vector256.Create(positive[m]);
                        var minus = Vector256.Create(negative[m]);
                        var o = (nuint)(m * 4);
                        Vector256.FusedMultiplyAdd(minus, u4, Vector256.FusedMultiplyAdd(plus, l4, Vector256.LoadUnsafe(ref lr, o))).StoreUnsafe(ref lr, o);
                        Vector256.FusedMultiplyAdd(minus, l4, Vector256.FusedMultiplyAdd(plus, u4, Vector256.LoadUnsafe(ref hr, o))).StoreUnsafe(ref hr, o);
                    }
                    continue;
                }
                for (var m = 0; m < mg; m++)
                {
                    var weight = weights[m];
                    if (weight == 0) continue;
                    var from = weight > 0 ? inLower : inUpper;
                    var to = weight > 0 ? inUpper : inLower;
                    for (var c = 0; c < k; c++)
                    {
                        lo[m * k + c] += weight * from[c];
                        hi[m * k + c] += weight * to[c];
                    }
                }
            }
        }
        for (var t = 0; t < positions; t++)
        {
            var p = list[t];
            touched[p] = false;
            for (var m = 0; m < _outChannels; m++)
            {
                var at = (p * _outChannels + m) * k;
                var slot = output.Add(m * outPlane + p);
                lower.AsSpan(at, k).CopyTo(output.Lower(slot));
                upper.AsSpan(at, k).CopyTo(output.Upper(slot));
                lower.AsSpan(at, k).Clear();
                upper.AsSpan(at, k).Clear();
            }
        }
    }

    /// <summary>
    /// Back-substitution, block by block: the affected input channels of one group at one position reach
    /// the same outputs, so the list of those carrying coefficients is made once per block, and the block's
    /// channels are gathered four at a time (<see cref="BackSubstitution.GatherFour"/>), each coefficient
    /// loaded serving four sums.
    /// </summary>
    public override void Backward(BackSubstitution back)
    {
        var input = back.Context.States[Inputs[0]];
        var output = back.Context.States[Index];
        var w = _window;
        int mg = _outChannels / _groups, cg = _inChannels / _groups;
        int inPlane = w.InHeight * w.InWidth, outPlane = w.OutHeight * w.OutWidth;
        var live = back.LiveOffsets(Index);
        // The output positions some channel of which carries coefficients: a block reaching none (outside
        // the rows' cone) costs its window, not its window times the channels.
        var livePosition = back.Flags(outPlane);
        foreach (var s in back.Touched(Index))
            if (output.IndexAt(s) is var index && live[index] >= 0) livePosition[index % outPlane] = true;
        // The affected inputs by block (position * groups + group): a counting sort over the affected blocks
        // only, as a small network's early layers have few. The i-th block's inputs are order[begins[i] ..
        // start[block]] once order[] is filled.
        var blocks = inPlane * _groups;
        int BlockOf(int index) => index % inPlane * _groups + index / inPlane / cg;
        var count = back.Counts(blocks);
        var start = back.Integers(0, blocks);
        var blockList = back.Integers(1, Math.Min(blocks, input.Count));
        var order = back.Integers(2, input.Count);
        var affected = 0;
        for (var s = 0; s < input.Count; s++)
            if (count[BlockOf(input.IndexAt(s))]++ == 0) blockList[affected++] = BlockOf(input.IndexAt(s));
        var begins = back.Integers(4, affected);
        for (int i = 0, sum = 0; i < affected; i++)
        {
            var block = blockList[i];
            begins[i] = start[block] = sum;
            sum += count[block];
            count[block] = 0; // all zero again before anything below could throw
        }
        for (var s = 0; s < input.Count; s++) order[start[BlockOf(input.IndexAt(s))]++] = s;
        var (offsets, _) = back.GatherLists(w.KernelSize * mg);
        var at = back.Integers(3, w.KernelSize * mg);
        Span<(int Position, int Kernel)> reached = stackalloc (int, int)[w.KernelSize];
        Span<int> slots = stackalloc int[4];
        Span<int> columns = stackalloc int[4];
        for (var i = 0; i < affected; i++)
        {
            var (position, group) = Math.DivRem(blockList[i], _groups);
            var begin = begins[i];
            var end = start[blockList[i]]; // moved past the block's inputs by the fill above
            var n = w.Reached(position / w.InWidth, position % w.InWidth, reached);
            var pairs = 0;
            for (var q = 0; q < n; q++)
            {
                var p = reached[q].Position;
                if (!livePosition[p]) continue;
                for (var m = 0; m < mg; m++)
                {
                    if (live[(group * mg + m) * outPlane + p] is not (var offset and >= 0)) continue;
                    offsets[pairs] = offset;
                    at[pairs++] = ((group * w.KernelSize + reached[q].Kernel) * mg + m) * cg;
                }
            }
            if (pairs == 0) continue;
            for (var first = begin; first < end; first += 4)
            {
                var four = Math.Min(4, end - first);
                for (var t = 0; t < four; t++)
                {
                    slots[t] = order[first + t];
                    columns[t] = input.IndexAt(slots[t]) / inPlane % cg;
                }
                back.GatherFour(Inputs[0], slots[..four], Index, offsets.AsSpan(0, pairs), at.AsSpan(0, pairs), _byOutput, columns[..four]);
            }
        }
        foreach (var s in back.Touched(Index)) livePosition[output.IndexAt(s) % outPlane] = false;
        back.EndLive();
    }
}
