using OnePixel.Testing.Verification.Networks;

namespace OnePixel.Testing.Verification.Bounds;

/// <summary>What bounding one colour box at one pixel gave: the least margin the bounds allow, for which class, and the colour the relaxation points to.</summary>
internal readonly record struct BoxBound(double LowestMargin, int Class, byte[] Guess);

/// <summary>
/// Bounds, for one image and one pixel whose colour ranges over a box, the margin
/// score[label] - score[j] of every other class j from below: the pixel's change is carried through
/// the network as affine bounds in its colour (<see cref="Perturbation"/>), layer by layer up to the
/// head, and the head's affine map gives each margin as one affine function, minimised over the box.
/// Not thread-safe: one per thread.
/// </summary>
internal sealed class MarginBounds
{
    /// <summary>
    /// Relative allowance for rounding in the double-precision bound arithmetic, taken off every
    /// margin bound: far above the error of sums of this length in double precision (about 1e-13).
    /// </summary>
    public const double RoundingAllowance = 1e-9;

    private readonly NetworkModel _model;
    private readonly Network _network;
    private readonly Perturbation[] _states;
    private readonly int[] _layers; // the layers the head depends on, in order (the input excluded)
    private readonly int _k;
    private double[][] _clean = [];
    private int _label;
    private double[] _cleanMargins = [];
    private readonly double[] _margin;
    private readonly Scratch _scratch = new();
    private double[] _spread = new double[64];
    private readonly BackSubstitution _back;
    private readonly bool[] _feedsRelu, _feedsMaxPool;
    private double[] _result = new double[64];
    private int[] _targets = new int[64];

    /// <summary>Back-substitute (instead of only carrying bounds forward) for the margins and the ranges of values entering ReLUs and max pools.</summary>
    public bool BackSubstitute { get; set; } = true;

    /// <summary>Targets back-substituted together for ranges (two rows each: lower and upper).</summary>
    public int Chunk { get; set; } = 32;

    public MarginBounds(NetworkModel model)
    {
        _model = model;
        _network = model.Network;
        _k = model.Shape.Channels + 1;
        _states = _network.Layers.Select(l => new Perturbation(l.Size, _k)).ToArray();
        var needed = new HashSet<int>();
        var stack = new Stack<int>([_network.Head]);
        while (stack.Count > 0)
        {
            var l = stack.Pop();
            if (!needed.Add(l)) continue;
            foreach (var i in _network.Layers[l].Inputs) stack.Push(i);
        }
        _layers = needed.Where(l => l > 0).Order().ToArray();
        _margin = new double[_k];
        _back = new BackSubstitution(_network);
        _feedsRelu = new bool[_network.Layers.Count];
        _feedsMaxPool = new bool[_network.Layers.Count];
        foreach (var l in _layers)
        {
            var layer = _network.Layers[l];
            if (layer is ReluLayer) _feedsRelu[layer.Inputs[0]] = true;
            if (layer is MaxPoolLayer) _feedsMaxPool[layer.Inputs[0]] = true;
        }
    }

    /// <summary>Sets the image: every layer's clean values and the class whose margins are bounded.</summary>
    public void SetImage(double[][] clean, int label)
    {
        _clean = clean;
        _label = label;
        var scores = clean[_network.Output];
        _cleanMargins = scores.Select(s => scores[label] - s).ToArray();
    }

    /// <summary>Bounds the margins when pixel <paramref name="pixel"/> takes any colour of <paramref name="box"/>; <paramref name="cleanColour"/> is its colour in the image.</summary>
    public BoxBound Bound(int pixel, ReadOnlySpan<byte> cleanColour, ColourBox box)
    {
        var context = new BoundContext(_clean, _states, box, _scratch);
        foreach (var state in _states) state.Clear();
        var input = _states[0];
        for (var c = 0; c < box.Channels; c++)
        {
            var slot = input.Add(_model.InputIndex(pixel, c));
            var lower = input.Lower(slot);
            var upper = input.Upper(slot);
            lower[c] = upper[c] = _model.Slope[c];
            lower[_k - 1] = -_model.Slope[c] * cleanColour[c] - _model.InputError[c];
            upper[_k - 1] = -_model.Slope[c] * cleanColour[c] + _model.InputError[c];
        }
        foreach (var l in _layers)
        {
            _network.Layers[l].Propagate(context, _states[l]);
            if (_feedsRelu[l] || _feedsMaxPool[l]) FindRanges(context, l);
        }

        var head = _states[_network.Head];
        var size = _network.Layers[_network.Head].Size;
        var weights = _network.HeadWeights;
        if (_spread.Length < head.Count) _spread = new double[head.Count * 2];
        for (var s = 0; s < head.Count; s++) _spread[s] = Math.Abs(box.Min(head.Lower(s))) + Math.Abs(box.Max(head.Upper(s)));
        var rows = _network.Classes - 1;
        if (BackSubstitute)
        {
            // Every margin as one row: its coefficients on the head's changes are the head's weight differences.
            _back.Start(context, rows);
            for (var s = 0; s < head.Count; s++)
            {
                var i = head.IndexAt(s);
                var row = _back.Of(_network.Head, s);
                for (var r = 0; r < rows; r++)
                {
                    var j = r < _label ? r : r + 1;
                    row[r] = weights[_label * size + i] - weights[j * size + i];
                }
            }
            EnsureResult(rows);
            _back.Run(_network.Head, 0, _result);
        }
        var lowest = double.PositiveInfinity;
        var worst = -1;
        byte[] guess = [];
        for (var j = 0; j < _network.Classes; j++)
        {
            if (j == _label) continue;
            Array.Clear(_margin);
            var magnitude = Math.Abs(_cleanMargins[j]);
            for (var s = 0; s < head.Count; s++)
            {
                var i = head.IndexAt(s);
                var w = weights[_label * size + i] - weights[j * size + i];
                if (w == 0) continue;
                var bound = w > 0 ? head.Lower(s) : head.Upper(s);
                for (var q = 0; q < _k; q++) _margin[q] += w * bound[q];
                magnitude += Math.Abs(w) * _spread[s];
            }
            var low = _cleanMargins[j] + box.Min(_margin) - RoundingAllowance * magnitude;
            ReadOnlySpan<double> function = _margin;
            if (BackSubstitute)
            {
                var r = j < _label ? j : j - 1;
                var back = _result.AsSpan(r * _k, _k);
                var lowBack = _cleanMargins[j] + box.Min(back) - _back.Allowance(r) - RoundingAllowance * Math.Abs(_cleanMargins[j]);
                if (lowBack > low)
                {
                    low = lowBack;
                    function = back;
                }
            }
            if (low < lowest)
            {
                lowest = low;
                worst = j;
                guess = box.ArgMin(function);
            }
        }
        return new BoxBound(lowest, worst, guess);
    }

    private void EnsureResult(int rows)
    {
        if (_result.Length < rows * _k) _result = new double[rows * _k * 2];
    }

    /// <summary>
    /// The range of every affected value of layer <paramref name="l"/> over the box, which the ReLU or
    /// max pool it feeds relaxes with: first from its affine bounds carried forward (and, for a ReLU's
    /// output, the ReLU of its input's range); then, for the values a ReLU cannot decide (the range
    /// crosses zero) or a max pool reads, narrowed by back-substitution, which is tighter.
    /// </summary>
    private void FindRanges(BoundContext context, int l)
    {
        var state = _states[l];
        var clean = _clean[l];
        state.ComputeRanges(clean, context.Box);
        var layer = _network.Layers[l];
        if (layer is ReluLayer relu)
        {
            var input = _states[relu.Inputs[0]];
            for (var s = 0; s < state.Count; s++)
            {
                var inSlot = input.SlotOf(state.IndexAt(s));
                if (inSlot >= 0) state.Tighten(s, Math.Max(input.Low(inSlot), 0), Math.Max(input.High(inSlot), 0));
            }
        }
        if (!BackSubstitute || layer is ReluLayer) return;
        var count = 0;
        if (_targets.Length < state.Count) _targets = new int[state.Count * 2];
        for (var s = 0; s < state.Count; s++)
        {
            if (state.IsExact(s)) continue;
            if (!_feedsMaxPool[l] && (state.Low(s) >= 0 || state.High(s) <= 0)) continue; // a ReLU decides it already
            _targets[count++] = s;
        }
        for (var first = 0; first < count; first += Chunk)
        {
            var n = Math.Min(Chunk, count - first);
            _back.Start(context, 2 * n);
            for (var t = 0; t < n; t++)
            {
                var row = _back.Of(l, _targets[first + t]);
                row[2 * t] = 1;
                row[2 * t + 1] = -1;
            }
            EnsureResult(2 * n);
            _back.Run(l, 0, _result);
            var box = context.Box;
            for (var t = 0; t < n; t++)
            {
                var s = _targets[first + t];
                var c = clean[state.IndexAt(s)];
                var low = c + box.Min(_result.AsSpan(2 * t * _k, _k)) - _back.Allowance(2 * t) - RoundingAllowance * Math.Abs(c);
                var high = c - box.Min(_result.AsSpan((2 * t + 1) * _k, _k)) + _back.Allowance(2 * t + 1) + RoundingAllowance * Math.Abs(c);
                state.Tighten(s, low, high);
            }
        }
    }
}
