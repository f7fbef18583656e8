using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace OnePixel.Testing.Verification.Bounds;

/// <summary>
/// How one layer's values may differ from the clean image's when one pixel takes any colour of a box:
/// for each affected value i (the others are exactly the clean ones), affine lower and upper bounds of
/// its change, value - clean value, in the pixel's colour (C + 1 coefficients each). Only the affected
/// values are held, so a layer costs about the pixel's receptive field in it, not its whole size.
/// </summary>
internal sealed class Perturbation
{
    private int[] _index = new int[16];
    private double[] _lower;
    private double[] _upper;
    private readonly int[] _slot; // value index -> slot, or -1
    private double[] _low = new double[16], _high = new double[16]; // per slot: the value's range over the box, once known
    private Relaxation[] _relaxations = new Relaxation[16];
    private double[] _lowFunction, _highFunction; // per slot, when back-substitution proved them: affine bounds of the value over the box
    private bool[] _hasFunctions = new bool[16];

    public Perturbation(int size, int coefficients)
    {
        K = coefficients;
        _slot = new int[size];
        Array.Fill(_slot, -1);
        _lower = new double[16 * K];
        _upper = new double[16 * K];
        _lowFunction = new double[16 * K];
        _highFunction = new double[16 * K];
    }

    /// <summary>Coefficients per affine bound: the colour's channels, then the constant.</summary>
    public int K { get; }
    public int Count { get; private set; }

    /// <summary>The value index held in <paramref name="slot"/>.</summary>
    public int IndexAt(int slot) => _index[slot];

    /// <summary>The slot of value <paramref name="index"/>, or -1 when it is not affected.</summary>
    public int SlotOf(int index) => _slot[index];

    public Span<double> Lower(int slot) => _lower.AsSpan(slot * K, K);
    public Span<double> Upper(int slot) => _upper.AsSpan(slot * K, K);

    /// <summary>The slot of value <paramref name="index"/>, added with zero bounds when it was not affected yet.</summary>
    public int Add(int index)
    {
        var slot = _slot[index];
        if (slot >= 0) return slot;
        if (Count == _index.Length)
        {
            Array.Resize(ref _index, Count * 2);
            Array.Resize(ref _lower, Count * 2 * K);
            Array.Resize(ref _upper, Count * 2 * K);
            Array.Resize(ref _low, Count * 2);
            Array.Resize(ref _high, Count * 2);
            Array.Resize(ref _relaxations, Count * 2);
            Array.Resize(ref _lowFunction, Count * 2 * K);
            Array.Resize(ref _highFunction, Count * 2 * K);
            Array.Resize(ref _hasFunctions, Count * 2);
        }
        slot = Count++;
        _index[slot] = index;
        _slot[index] = slot;
        _lower.AsSpan(slot * K, K).Clear();
        _upper.AsSpan(slot * K, K).Clear();
        _hasFunctions[slot] = false;
        return slot;
    }

    /// <summary>No value affected (cost: the values that were).</summary>
    public void Clear()
    {
        for (var i = 0; i < Count; i++) _slot[_index[i]] = -1;
        Count = 0;
        HasRanges = false;
    }

    /// <summary>True once <see cref="ComputeRanges"/> has run: <see cref="Low"/> and <see cref="High"/> hold each value's range.</summary>
    public bool HasRanges { get; private set; }

    /// <summary>The least value (not change) slot <paramref name="slot"/>'s value takes over the box, once ranges are known.</summary>
    public double Low(int slot) => _low[slot];

    /// <summary>The greatest value slot <paramref name="slot"/>'s value takes over the box, once ranges are known.</summary>
    public double High(int slot) => _high[slot];

    /// <summary>Each value's range over the box from its affine bounds: <paramref name="clean"/> plus the least and greatest change.</summary>
    public void ComputeRanges(double[] clean, ColourBox box)
    {
        for (var s = 0; s < Count; s++)
        {
            var c = clean[_index[s]];
            _low[s] = c + box.Min(Lower(s));
            _high[s] = c + box.Max(Upper(s));
        }
        HasRanges = true;
    }

    /// <summary>Narrows a value's range to what another sound bound proved (never widens it).</summary>
    public void Tighten(int slot, double low, double high)
    {
        if (low > _low[slot]) _low[slot] = low;
        if (high < _high[slot]) _high[slot] = high;
    }

    /// <summary>
    /// Records affine bounds of the slot's value (not change) over the box that back-substitution proved
    /// (<paramref name="low"/> &lt;= value &lt;= <paramref name="high"/>, K coefficients each), so a box
    /// split from this one can bound the value again over its own, smaller, colours.
    /// </summary>
    public void SetFunctions(int slot, ReadOnlySpan<double> low, ReadOnlySpan<double> high)
    {
        low.CopyTo(_lowFunction.AsSpan(slot * K, K));
        high.CopyTo(_highFunction.AsSpan(slot * K, K));
        _hasFunctions[slot] = true;
    }

    /// <summary>The functions <see cref="SetFunctions"/> recorded, or false.</summary>
    public bool TryGetFunctions(int slot, out ReadOnlySpan<double> low, out ReadOnlySpan<double> high)
    {
        low = _lowFunction.AsSpan(slot * K, K);
        high = _highFunction.AsSpan(slot * K, K);
        return _hasFunctions[slot];
    }

    /// <summary>True when the slot's lower and upper affine bounds are the same function (the value is exactly affine in the colour).</summary>
    public bool IsExact(int slot) => Lower(slot).SequenceEqual(Upper(slot));

    /// <summary>How a non-linear layer bounded this output (see <see cref="Relaxation"/>); set by the layer as it propagates.</summary>
    public ref Relaxation RelaxationOf(int slot) => ref _relaxations[slot];

    /// <summary>Adds <paramref name="weight"/> times the bounds of <paramref name="source"/>'s slot to this slot's, the sign choosing which bound goes where.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public void AddScaled(int slot, Perturbation source, int sourceSlot, double weight)
    {
        int o = slot * K, s = sourceSlot * K;
        var from = weight >= 0 ? source._lower : source._upper;
        var to = weight >= 0 ? source._upper : source._lower;
        if (K == 4 && Vector256.IsHardwareAccelerated)
        {
            // RGB: a bound is 4 doubles, one vector.
            ref var lower = ref MemoryMarshal.GetArrayDataReference(_lower);
            ref var upper = ref MemoryMarshal.GetArrayDataReference(_upper);
            var w = Vector256.Create(weight);
            (Vector256.LoadUnsafe(ref lower, (nuint)o) + w * Vector256.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(from), (nuint)s)).StoreUnsafe(ref lower, (nuint)o);
            (Vector256.LoadUnsafe(ref upper, (nuint)o) + w * Vector256.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(to), (nuint)s)).StoreUnsafe(ref upper, (nuint)o);
            return;
        }
        if (K == 2 && Vector128.IsHardwareAccelerated)
        {
            // Grayscale: a bound is 2 doubles.
            ref var lower = ref MemoryMarshal.GetArrayDataReference(_lower);
            ref var upper = ref MemoryMarshal.GetArrayDataReference(_upper);
            var w = Vector128.Create(weight);
            (Vector128.LoadUnsafe(ref lower, (nuint)o) + w * Vector128.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(from), (nuint)s)).StoreUnsafe(ref lower, (nuint)o);
            (Vector128.LoadUnsafe(ref upper, (nuint)o) + w * Vector128.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(to), (nuint)s)).StoreUnsafe(ref upper, (nuint)o);
            return;
        }
        for (var k = 0; k < K; k++)
        {
            _lower[o + k] += weight * from[s + k];
            _upper[o + k] += weight * to[s + k];
        }
    }
}

/// <summary>
/// A non-linear layer's linear bounds on one output's change in terms of one input's change each:
/// change of y &gt;= LowerSlope * change of x[LowerSlot] + LowerShift, and change of y &lt;= UpperSlope *
/// change of x[UpperSlot] + UpperShift (slots of the layer's input; -1 when the bound is a constant).
/// Back-substitution (<see cref="BackSubstitution"/>) chooses between them by the sign of the coefficient.
/// </summary>
internal struct Relaxation
{
    public int LowerSlot;
    public double LowerSlope, LowerShift;
    public int UpperSlot;
    public double UpperSlope, UpperShift;

    public static Relaxation Constant(double shift) => new() { LowerSlot = -1, UpperSlot = -1, LowerShift = shift, UpperShift = shift };

    public static Relaxation Linear(int slot, double slope, double shift) =>
        new() { LowerSlot = slot, UpperSlot = slot, LowerSlope = slope, UpperSlope = slope, LowerShift = shift, UpperShift = shift };
}
