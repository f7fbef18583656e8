using System.Numerics;
using System.Runtime.InteropServices;
using OnePixel.Testing.Verification.Networks;

namespace OnePixel.Testing.Verification.Bounds;

/// <summary>
/// Back-substitution (CROWN, Zhang et al. 2018; DeepPoly, Singh et al. 2019): lower bounds of linear
/// functions of one layer's changes, found by carrying their coefficients backwards through the
/// network, layer by layer, to the pixel's colour. An affine layer passes them on through its
/// transpose; a ReLU or max pool through the linear bounds it chose on the way forward (its
/// <see cref="Relaxation"/>: the lower one where a coefficient is positive, the upper one where it is
/// negative), the constants of the relaxations gathering on the side. Unlike bounds carried forward,
/// where each layer's lower and upper bounds go their own ways and their gaps add up through every
/// weight's absolute value, the coefficients keep their signs across layers, so contributions of
/// different paths cancel as they do in the network itself.
/// <para>
/// Several functions ("rows") travel together: each layer holds, per affected value, the coefficients
/// of all rows side by side, so one weight updates them all with one vector operation. Only affected
/// values carry coefficients: the others are the clean image's and add nothing to a change.
/// </para>
/// Not thread-safe: one per <see cref="MarginBounds"/>.
/// </summary>
internal sealed class BackSubstitution
{
    private readonly Network _network;
    private readonly double[][] _coefficients; // per layer: [slot * Rows + row]
    private readonly bool[] _active;
    private double[] _constant = [], _magnitude = [];
    private bool[] _zero = [];

    public BackSubstitution(Network network)
    {
        _network = network;
        _coefficients = new double[network.Layers.Count][];
        Array.Fill(_coefficients, []);
        _active = new bool[network.Layers.Count];
    }

    /// <summary>The bounds carried forward, whose relaxations back-substitution reuses.</summary>
    public BoundContext Context { get; private set; } = null!;

    /// <summary>How many functions travel together.</summary>
    public int Rows { get; private set; }

    /// <summary>Starts a back-substitution of <paramref name="rows"/> functions, all zero.</summary>
    public void Start(BoundContext context, int rows)
    {
        Context = context;
        Rows = rows;
        Array.Clear(_active);
        if (_constant.Length < rows)
        {
            _constant = new double[rows];
            _magnitude = new double[rows];
        }
        Array.Clear(_constant, 0, rows);
        Array.Clear(_magnitude, 0, rows);
    }

    /// <summary>The coefficients of every row on the change of <paramref name="slot"/> of <paramref name="layer"/> (zero until written).</summary>
    public Span<double> Of(int layer, int slot)
    {
        if (!_active[layer])
        {
            var size = Context.States[layer].Count * Rows;
            if (_coefficients[layer].Length < size) _coefficients[layer] = new double[Math.Max(size, _coefficients[layer].Length * 2)];
            else Array.Clear(_coefficients[layer], 0, size);
            _active[layer] = true;
        }
        return _coefficients[layer].AsSpan(slot * Rows, Rows);
    }

    /// <summary>True when some row has coefficients on <paramref name="layer"/>.</summary>
    public bool IsActive(int layer) => _active[layer];

    /// <summary>
    /// Carries the coefficients back from <paramref name="top"/> through every layer above
    /// <paramref name="stopAt"/>, then bounds what is left (on <paramref name="stopAt"/> and below) by those
    /// layers' own affine bounds in the colour. Writes per row an affine function of the colour that is
    /// at most the row's function everywhere in the box (<c>result[row * K .. +K]</c>, the constant last);
    /// returns nothing else, the caller minimises it over the box and subtracts <see cref="Allowance"/>.
    /// </summary>
    public void Run(int top, int stopAt, Span<double> result)
    {
        var layers = _network.Layers;
        for (var l = top; l > stopAt; l--)
        {
            if (!_active[l]) continue;
            layers[l].Backward(this);
            _active[l] = false;
        }
        var k = Context.States[0].K;
        result[..(Rows * k)].Clear();
        for (var l = stopAt; l >= 0; l--)
        {
            if (!_active[l]) continue;
            Concretise(l, result, k);
            _active[l] = false;
        }
        for (var r = 0; r < Rows; r++) result[r * k + k - 1] += _constant[r];
    }

    /// <summary>
    /// The rounding allowance of row <paramref name="row"/> after <see cref="Run"/>: a relative 1e-9 of the
    /// magnitudes its bound was summed from, far above double precision's error on sums of this length.
    /// </summary>
    public double Allowance(int row) => MarginBounds.RoundingAllowance * _magnitude[row];

    /// <summary>Adds a constant term to one row's bound (a relaxation's shift times the row's coefficient).</summary>
    private void AddConstant(int row, double value)
    {
        _constant[row] += value;
        _magnitude[row] += Math.Abs(value);
    }

    /// <summary>Row coefficients on the layer's changes bounded by its own affine bounds: lower where positive, upper where negative.</summary>
    private void Concretise(int layer, Span<double> result, int k)
    {
        var state = Context.States[layer];
        var box = Context.Box;
        var coefficients = _coefficients[layer];
        for (var s = 0; s < state.Count; s++)
        {
            var lower = state.Lower(s);
            var upper = state.Upper(s);
            var spread = Math.Abs(box.Min(lower)) + Math.Abs(box.Max(upper));
            for (var r = 0; r < Rows; r++)
            {
                var c = coefficients[s * Rows + r];
                if (c == 0) continue;
                var bound = c > 0 ? lower : upper;
                var target = result.Slice(r * k, k);
                for (var q = 0; q < k; q++) target[q] += c * bound[q];
                _magnitude[r] += Math.Abs(c) * spread;
            }
        }
    }

    /// <summary><c>target += weight * source</c> over every row.</summary>
    public static void AddScaled(Span<double> target, ReadOnlySpan<double> source, double weight)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && target.Length >= Vector<double>.Count)
        {
            var w = new Vector<double>(weight);
            var t = MemoryMarshal.Cast<double, Vector<double>>(target);
            var s = MemoryMarshal.Cast<double, Vector<double>>(source);
            for (var v = 0; v < t.Length; v++) t[v] += w * s[v];
            i = t.Length * Vector<double>.Count;
        }
        for (; i < target.Length; i++) target[i] += weight * source[i];
    }

    /// <summary>Per slot of <paramref name="layer"/>: true when no row has a coefficient on it (valid until the next call).</summary>
    public bool[] ZeroRows(int layer)
    {
        var count = Context.States[layer].Count;
        if (_zero.Length < count) _zero = new bool[Math.Max(count, _zero.Length * 2)];
        for (var s = 0; s < count; s++) _zero[s] = IsZero(Of(layer, s));
        return _zero;
    }

    /// <summary>True when every row's coefficient in <paramref name="row"/> is zero (nothing to carry).</summary>
    public static bool IsZero(ReadOnlySpan<double> row) => !row.ContainsAnyExcept(0.0);

    /// <summary>
    /// Carries coefficients back through a layer that bounded each output by its <see cref="Relaxation"/>
    /// (ReLU, max pool): per row, the lower relaxation where the coefficient is positive, the upper where negative.
    /// </summary>
    public void Relaxed(Layer layer)
    {
        var output = Context.States[layer.Index];
        var input = layer.Inputs[0];
        for (var s = 0; s < output.Count; s++)
        {
            var row = Of(layer.Index, s);
            if (IsZero(row)) continue;
            ref var relaxation = ref output.RelaxationOf(s);
            var lowerTarget = relaxation.LowerSlot >= 0 ? Of(input, relaxation.LowerSlot) : default;
            var upperTarget = relaxation.UpperSlot < 0 ? default : relaxation.UpperSlot == relaxation.LowerSlot ? lowerTarget : Of(input, relaxation.UpperSlot);
            for (var r = 0; r < Rows; r++)
            {
                var c = row[r];
                if (c > 0)
                {
                    if (!lowerTarget.IsEmpty) lowerTarget[r] += c * relaxation.LowerSlope;
                    AddConstant(r, c * relaxation.LowerShift);
                }
                else if (c < 0)
                {
                    if (!upperTarget.IsEmpty) upperTarget[r] += c * relaxation.UpperSlope;
                    AddConstant(r, c * relaxation.UpperShift);
                }
            }
        }
    }
}
