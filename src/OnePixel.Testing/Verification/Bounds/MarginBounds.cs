using OnePixel.Testing.Verification.Networks;

namespace OnePixel.Testing.Verification.Bounds;

/// <summary>How much work a box's bound was given: each step costs more than the one before and is tighter.</summary>
internal enum BoundEffort
{
    /// <summary>Affine bounds carried forward layer by layer (DeepPoly without back-substitution): cheapest.</summary>
    Forward,

    /// <summary>And the margins back-substituted through the forward pass's relaxations.</summary>
    Margins,

    /// <summary>And the ranges of the values entering every ReLU and max pool back-substituted first, so the relaxations themselves are tighter (CROWN).</summary>
    Ranges,
}

/// <summary>
/// What bounding one colour box at one pixel gave: the least margin the bounds allow, for which class,
/// the colour the relaxation points to, the effort it took, and the steepest channel: the one along
/// which that margin's affine bound changes most across the box (<see cref="ColourBox.Steepest"/>),
/// the channel to halve when one cut is to narrow the box most for that bound.
/// </summary>
internal readonly record struct BoxBound(double LowestMargin, int Class, byte[] Guess, BoundEffort Effort, int Steepest);

/// <summary>
/// Bounds, for one image and one pixel whose colour ranges over a box, the margin
/// score[label] - score[j] of every other class j from below. The pixel's change is first carried
/// through the network as affine bounds in its colour (<see cref="Perturbation"/>), layer by layer up
/// to the head, whose affine map gives each margin as one affine function, minimised over the box.
/// When that does not clear the threshold, the margins are back-substituted (<see cref="BackSubstitution"/>);
/// when that does not either (or these cheap steps have stopped paying on this image: <see cref="CheapStepsRecord"/>), the ranges of the values every ReLU and max pool relaxes are narrowed by
/// back-substitution too, layer by layer, and the whole is done again with the tighter relaxations.
/// A box split from one bounded with <see cref="BoundEffort.Ranges"/> starts from its parent's ranges
/// (<see cref="RangeSnapshot"/>): still sound, as the child's colours are among the parent's.
/// Not thread-safe: one per thread.
/// </summary>
internal sealed class MarginBounds
{
    /// <summary>
    /// Relative allowance for rounding in the double-precision bound arithmetic, taken off every
    /// margin bound: far above the error of sums of this length in double precision (about 1e-13).
    /// </summary>
    public const double RoundingAllowance = 1e-9;

    /// <summary>
    /// Values whose ranges are back-substituted together (two rows each: lower and upper bound). Values
    /// next to each other share most of their cone, so more of them at once cost little more per
    /// weight; too many, and rows far apart pay for each other's cones. With convolutions gathered
    /// (<see cref="BackSubstitution.Gather"/>), 48 measured fastest on fashion-colour32-resnet (32: 4%
    /// slower, 64: the same within noise).
    /// </summary>
    private const int Chunk = 48;

    private readonly NetworkModel _model;
    private readonly Network _network;
    private readonly Perturbation[] _states;
    private readonly int[] _layers; // the layers the head depends on, in order (the input excluded)
    private readonly int[] _rangeLayers; // the layers a ReLU or max pool reads, and ReLU outputs a max pool reads
    private readonly int _k;
    private double[][] _clean = [];
    private int _label;
    private double[] _cleanMargins = [];
    private readonly Scratch _scratch = new();
    private readonly BackSubstitution _back;
    private readonly bool[] _feedsRelu, _feedsMaxPool;
    private double[] _result = new double[64];
    private int[] _targets = new int[64];
    private readonly double[] _lows, _forward;
    private readonly byte[][] _guesses;
    private readonly int[] _steepest;
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
        _back = new BackSubstitution(_network);
        _feedsRelu = new bool[_network.Layers.Count];
        _feedsMaxPool = new bool[_network.Layers.Count];
        foreach (var l in _layers)
        {
            var layer = _network.Layers[l];
            if (layer is ReluLayer) _feedsRelu[layer.Inputs[0]] = true;
            if (layer is MaxPoolLayer) _feedsMaxPool[layer.Inputs[0]] = true;
        }
        _rangeLayers = _layers.Where(l => _feedsRelu[l] || _feedsMaxPool[l]).ToArray();
        var classes = _network.Classes;
        _lows = new double[classes];
        _forward = new double[_k];
        _guesses = new byte[classes][];
        _steepest = new int[classes];
    }

    /// <summary>The clean image's own least margin (its class's score less the best other class's): the scale its margins are on.</summary>
    public double CleanLeastMargin { get; private set; }

    /// <summary>Sets the image: every layer's clean values and the class whose margins are bounded.</summary>
    public void SetImage(double[][] clean, int label)
    {
        _clean = clean;
        _label = label;
        var scores = clean[_network.Output];
        _cleanMargins = scores.Select(s => scores[label] - s).ToArray();
        CleanLeastMargin = _cleanMargins.Where((_, j) => j != label).DefaultIfEmpty(0).Min();
    }

    /// <summary>
    /// Bounds the margins when pixel <paramref name="pixel"/> takes any colour of <paramref name="box"/>;
    /// <paramref name="cleanColour"/> is its colour in the image. Stops as soon as the least margin's
    /// bound exceeds <paramref name="threshold"/> (a certificate needs no more), else spends every
    /// effort there is. <paramref name="parent"/>: ranges proved for a box holding this one.
    /// <paramref name="tryCheap"/>: whether to try the cheap steps first (see <see cref="CheapStepsRecord"/>);
    /// the result's <see cref="BoxBound.Effort"/> says whether they certified the box.
    /// </summary>
    public BoxBound Bound(int pixel, ReadOnlySpan<byte> cleanColour, ColourBox box, double threshold = double.PositiveInfinity, RangeSnapshot? parent = null, bool tryCheap = true)
    {
        Array.Fill(_lows, double.NegativeInfinity);
        _lows[_label] = double.PositiveInfinity;
        BoxBound bound;
        if (tryCheap)
        {
            var context = Pass(pixel, cleanColour, box, parent, tighten: false);
            ForwardMargins(box);
            bound = Lowest(BoundEffort.Forward);
            if (bound.LowestMargin <= threshold)
            {
                BackSubstitutedMargins(context);
                bound = Lowest(BoundEffort.Margins);
            }
            if (bound.LowestMargin > threshold) return bound;
        }
        var tightened = Pass(pixel, cleanColour, box, parent, tighten: true);
        ForwardMargins(box);
        BackSubstitutedMargins(tightened);
        return Lowest(BoundEffort.Ranges);
    }

    /// <summary>The ranges the last <see cref="Bound"/> proved, for the boxes split from its box.</summary>
    public RangeSnapshot Snapshot() => new(_rangeLayers, _states);

    /// <summary>Carries the pixel's change forward through every layer, finding the ranges ReLUs and max pools relax with on the way.</summary>
    private BoundContext Pass(int pixel, ReadOnlySpan<byte> cleanColour, ColourBox box, RangeSnapshot? parent, bool tighten)
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
            if (_feedsRelu[l] || _feedsMaxPool[l]) FindRanges(context, l, parent, tighten);
        }
        return context;
    }

    /// <summary>Each margin's lower bound from the head's affine bounds carried forward, kept where it beats what is known.</summary>
    private void ForwardMargins(ColourBox box)
    {
        var head = _states[_network.Head];
        var size = _network.Layers[_network.Head].Size;
        var weights = _network.HeadWeights;
        if (_spread.Length < head.Count) _spread = new double[head.Count * 2];
        for (var s = 0; s < head.Count; s++) _spread[s] = Math.Abs(box.Min(head.Lower(s))) + Math.Abs(box.Max(head.Upper(s)));
        for (var j = 0; j < _network.Classes; j++)
        {
            if (j == _label) continue;
            Array.Clear(_forward);
            var magnitude = Math.Abs(_cleanMargins[j]);
            for (var s = 0; s < head.Count; s++)
            {
                var i = head.IndexAt(s);
                var w = weights[_label * size + i] - weights[j * size + i];
                if (w == 0) continue;
                var bound = w > 0 ? head.Lower(s) : head.Upper(s);
                for (var q = 0; q < _k; q++) _forward[q] += w * bound[q];
                magnitude += Math.Abs(w) * _spread[s];
            }
            Keep(j, _cleanMargins[j] + box.Min(_forward) - RoundingAllowance * magnitude, box, _forward);
        }
    }

    /// <summary>Each margin's lower bound by back-substitution from the head through the relaxations of the last pass, kept where it beats what is known.</summary>
    private void BackSubstitutedMargins(BoundContext context)
    {
        var head = _states[_network.Head];
        var size = _network.Layers[_network.Head].Size;
        var weights = _network.HeadWeights;
        var rows = _network.Classes - 1;
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
        _back.Run(_network.Head, _result);
        for (var r = 0; r < rows; r++)
        {
            var j = r < _label ? r : r + 1;
            var function = _result.AsSpan(r * _k, _k);
            Keep(j, _cleanMargins[j] + context.Box.Min(function) - _back.Allowance(r) - RoundingAllowance * Math.Abs(_cleanMargins[j]), context.Box, function);
        }
    }

    private void Keep(int j, double low, ColourBox box, ReadOnlySpan<double> function)
    {
        if (low <= _lows[j]) return;
        _lows[j] = low;
        _guesses[j] = box.ArgMin(function);
        _steepest[j] = box.Steepest(function);
    }

    private BoxBound Lowest(BoundEffort effort)
    {
        var worst = _label == 0 ? 1 : 0;
        for (var j = 0; j < _lows.Length; j++)
            if (_lows[j] < _lows[worst]) worst = j;
        return new BoxBound(_lows[worst], worst, _guesses[worst], effort, _steepest[worst]);
    }

    private void EnsureResult(int rows)
    {
        if (_result.Length < rows * _k) _result = new double[rows * _k * 2];
    }

    /// <summary>
    /// The range of every affected value of layer <paramref name="l"/> over the box, which the ReLU or
    /// max pool it feeds relaxes with: from its affine bounds carried forward, from the ReLU of its
    /// input's range (a ReLU's output), from the parent box's ranges; then, with
    /// <paramref name="tighten"/>, for the values a ReLU cannot decide yet (the range crosses zero) or a
    /// max pool reads, by back-substitution.
    /// </summary>
    private void FindRanges(BoundContext context, int l, RangeSnapshot? parent, bool tighten)
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
        parent?.Apply(l, state, context.Box);
        if (!tighten || layer is ReluLayer) return;
        var count = 0;
        if (_targets.Length < state.Count) _targets = new int[state.Count * 2];
        for (var s = 0; s < state.Count; s++)
        {
            if (state.IsExact(s)) continue;
            if (!_feedsMaxPool[l] && (state.Low(s) >= 0 || state.High(s) <= 0)) continue; // a ReLU decides it already
            _targets[count++] = s;
        }
        for (var first = 0; first < count; first += Chunk) TightenChunk(context, l, first, Math.Min(Chunk, count - first));
    }

    /// <summary>
    /// Back-substitutes <paramref name="n"/> of layer <paramref name="l"/>'s targets from the
    /// <paramref name="first"/>th together (two rows each: the lower and the upper bound), and narrows their ranges.
    /// </summary>
    private void TightenChunk(BoundContext context, int l, int first, int n)
    {
        var state = _states[l];
        var clean = _clean[l];
        _back.Start(context, 2 * n);
        for (var t = 0; t < n; t++)
        {
            var row = _back.Of(l, _targets[first + t]);
            row[2 * t] = 1;
            row[2 * t + 1] = -1;
        }
        EnsureResult(2 * n);
        _back.Run(l, _result);
        var box = context.Box;
        for (var t = 0; t < n; t++)
        {
            var s = _targets[first + t];
            var c = clean[state.IndexAt(s)];
            // value >= c + lower(colour) - allowance, value <= c - upper'(colour) + allowance' (upper' bounds -value from below).
            var lowFunction = _result.AsSpan(2 * t * _k, _k);
            var highFunction = _result.AsSpan((2 * t + 1) * _k, _k);
            lowFunction[_k - 1] += c - _back.Allowance(2 * t) - RoundingAllowance * Math.Abs(c);
            for (var q = 0; q < _k; q++) highFunction[q] = -highFunction[q];
            highFunction[_k - 1] += c + _back.Allowance(2 * t + 1) + RoundingAllowance * Math.Abs(c);
            var low = box.Min(lowFunction);
            var high = box.Max(highFunction);
            state.SetFunctions(s, lowFunction, highFunction);
            state.Tighten(s, low, high);
        }
    }
}

/// <summary>
/// How often the cheap steps (bounds carried forward, then the margins back-substituted, before any
/// range is tightened) certified a box on this image. They cost about a sixth of a bound with tightened
/// ranges and, on networks with loose inner ranges, certify nothing: on fashion-colour32-resnet
/// test-00001, none of 4,488 boxes in a minute, 13% of its time spent on them. On others they decide
/// most boxes (fashion-colour32-cnn). So they are tried while they earn their cost, and skipped once at
/// least 64 tries certified fewer than one in 16, except every 16th box, in case the boxes ahead (smaller)
/// suit them better. Counts, not times, decide: the same image gives the same bounds on any machine. The
/// verifier keeps one per image and asks it for a batch of boxes (bounded at once, on several threads)
/// before bounding any, recording their outcomes in the boxes' order afterwards: the same for any number
/// of threads.
/// </summary>
internal struct CheapStepsRecord
{
    private const int Trial = 64, Share = 16;
    private int _tries, _certified, _skipped;

    /// <summary>True when the next box should try the cheap steps first (a skipped box counts towards the next probe).</summary>
    public bool ShouldTry()
    {
        if (_tries < Trial || _certified * Share >= _tries) return true;
        return ++_skipped % Share == 0;
    }

    public void Record(bool certified)
    {
        _tries++;
        if (certified) _certified++;
    }
}

/// <summary>
/// The ranges of the values ReLUs and max pools relax with, proved for one box: a box split from it
/// starts from them (its colours are among the box's, so they hold for it too), intersecting them with
/// its own. Held by value index, as a child's affected values are the parent's or fewer.
/// </summary>
internal sealed class RangeSnapshot
{
    private readonly int[]?[] _index;
    private readonly double[]?[] _low, _high;
    private readonly double[]?[] _lowFunction, _highFunction; // [i * K ..]; NaN first coefficient: none
    private readonly int _k;

    public RangeSnapshot(int[] layers, Perturbation[] states)
    {
        _index = new int[states.Length][];
        _low = new double[states.Length][];
        _high = new double[states.Length][];
        _lowFunction = new double[states.Length][];
        _highFunction = new double[states.Length][];
        _k = states[0].K;
        foreach (var l in layers)
        {
            var state = states[l];
            if (!state.HasRanges) continue;
            var n = state.Count;
            var index = new int[n];
            var low = new double[n];
            var high = new double[n];
            double[]? lowFunction = null, highFunction = null;
            for (var s = 0; s < n; s++)
            {
                index[s] = state.IndexAt(s);
                low[s] = state.Low(s);
                high[s] = state.High(s);
                if (!state.TryGetFunctions(s, out var lf, out var hf)) continue;
                if (lowFunction is null)
                {
                    lowFunction = new double[n * _k];
                    highFunction = new double[n * _k];
                    for (var i = 0; i < n; i++) lowFunction[i * _k] = double.NaN;
                }
                lf.CopyTo(lowFunction.AsSpan(s * _k, _k));
                hf.CopyTo(highFunction.AsSpan(s * _k, _k));
            }
            (_index[l], _low[l], _high[l], _lowFunction[l], _highFunction[l]) = (index, low, high, lowFunction, highFunction);
        }
    }

    /// <summary>
    /// Narrows the ranges of layer <paramref name="layer"/>'s affected values to the parent's, and to the
    /// parent's affine bounds of them taken over <paramref name="box"/> (the child's colours only).
    /// </summary>
    public void Apply(int layer, Perturbation state, ColourBox box)
    {
        if (_index[layer] is not { } index) return;
        var low = _low[layer]!;
        var high = _high[layer]!;
        var lowFunction = _lowFunction[layer];
        var highFunction = _highFunction[layer];
        for (var i = 0; i < index.Length; i++)
        {
            if (state.SlotOf(index[i]) is not (var slot and >= 0)) continue;
            if (lowFunction is not null && !double.IsNaN(lowFunction[i * _k]))
                state.Tighten(slot, Math.Max(low[i], box.Min(lowFunction.AsSpan(i * _k, _k))), Math.Min(high[i], box.Max(highFunction!.AsSpan(i * _k, _k))));
            else
                state.Tighten(slot, low[i], high[i]);
        }
    }
}
