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
        foreach (var l in _layers) _network.Layers[l].Propagate(context, _states[l]);

        var head = _states[_network.Head];
        var size = _network.Layers[_network.Head].Size;
        var weights = _network.HeadWeights;
        if (_spread.Length < head.Count) _spread = new double[head.Count * 2];
        for (var s = 0; s < head.Count; s++) _spread[s] = Math.Abs(box.Min(head.Lower(s))) + Math.Abs(box.Max(head.Upper(s)));
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
            if (low < lowest)
            {
                lowest = low;
                worst = j;
                guess = box.ArgMin(_margin);
            }
        }
        return new BoxBound(lowest, worst, guess);
    }
}
