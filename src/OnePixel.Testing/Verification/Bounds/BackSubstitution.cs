using System.Numerics;
using System.Runtime.CompilerServices;
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
    private readonly int[][] _stamp;           // per layer and slot: the run that last wrote the slot's row
    private readonly int[][] _touched;         // per layer: the slots written in this run, in order
    private readonly int[] _touchedCount;
    private int _run;
    private double[] _constant = [], _magnitude = [];
    private int[] _liveOffsets = [];
    private int _liveLayer;
    private bool[] _flags = [];
    private int[] _gatherOffsets = [];
    private readonly int[][] _integers = [[], [], [], [], []];
    private int[] _counts = [];
    private double[] _gatherWeights = [];

    public BackSubstitution(Network network)
    {
        _network = network;
        var n = network.Layers.Count;
        _coefficients = new double[n][];
        _stamp = new int[n][];
        _touched = new int[n][];
        for (var l = 0; l < n; l++)
        {
            _coefficients[l] = [];
            _stamp[l] = [];
            _touched[l] = [];
        }
        _touchedCount = new int[n];
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
        _run++;
        Array.Clear(_touchedCount);
        if (_constant.Length < rows)
        {
            _constant = new double[rows];
            _magnitude = new double[rows];
        }
        Array.Clear(_constant, 0, rows);
        Array.Clear(_magnitude, 0, rows);
    }

    /// <summary>The coefficients of every row on the change of <paramref name="slot"/> of <paramref name="layer"/>, to add to (zero when first asked for in a run).</summary>
    public Span<double> Of(int layer, int slot)
    {
        var row = Slot(layer, slot, out var fresh);
        if (fresh) row.Clear();
        return row;
    }

    /// <summary>Adds <paramref name="weight"/> times <paramref name="source"/> to the coefficients on <paramref name="slot"/> of <paramref name="layer"/>.</summary>
    public void Add(int layer, int slot, ReadOnlySpan<double> source, double weight)
    {
        var row = Slot(layer, slot, out var fresh);
        if (fresh) Scale(row, source, weight);
        else AddScaled(row, source, weight);
    }

    /// <summary>The slot's row; <paramref name="fresh"/> when it was not written in this run yet (its contents are then stale: overwrite them).</summary>
    private Span<double> Slot(int layer, int slot, out bool fresh)
    {
        var stamp = _stamp[layer];
        fresh = stamp.Length <= slot || stamp[slot] != _run;
        if (fresh)
        {
            if (_touchedCount[layer] == 0)
            {
                // The layer's first row in this run: room for all its slots (their number is fixed by now).
                var count = Context.States[layer].Count;
                if (stamp.Length < count)
                {
                    var size = Math.Max(count, stamp.Length * 2);
                    Array.Resize(ref _stamp[layer], size);
                    Array.Resize(ref _touched[layer], size);
                    stamp = _stamp[layer];
                }
                if (_coefficients[layer].Length < count * Rows) _coefficients[layer] = new double[Math.Max(count * Rows, _coefficients[layer].Length * 2)];
            }
            stamp[slot] = _run;
            _touched[layer][_touchedCount[layer]++] = slot;
        }
        return _coefficients[layer].AsSpan(slot * Rows, Rows);
    }

    /// <summary>
    /// For every value index of <paramref name="layer"/>, where its coefficients start for <see cref="Gather"/>
    /// when it carries some in this run that are not all zero, else -1 (values without any add nothing
    /// backwards). Valid until <see cref="EndLive"/>, which the caller owes before the next call.
    /// </summary>
    public ReadOnlySpan<int> LiveOffsets(int layer)
    {
        var state = Context.States[layer];
        var size = _network.Layers[layer].Size;
        if (_liveOffsets.Length < size)
        {
            _liveOffsets = new int[size];
            Array.Fill(_liveOffsets, -1);
        }
        _liveLayer = layer;
        foreach (var s in Touched(layer))
            if (!IsZero(Row(layer, s))) _liveOffsets[state.IndexAt(s)] = s * Rows;
        return _liveOffsets.AsSpan(0, size);
    }

    /// <summary>Resets what <see cref="LiveOffsets"/> marked (costs the values marked, not the layer's size).</summary>
    public void EndLive()
    {
        var state = Context.States[_liveLayer];
        foreach (var s in Touched(_liveLayer)) _liveOffsets[state.IndexAt(s)] = -1;
    }

    /// <summary>A work array of at least <paramref name="size"/> counts, all zero (one per instance): whoever sets some clears them again.</summary>
    public int[] Counts(int size)
    {
        if (_counts.Length < size) _counts = new int[Math.Max(size, _counts.Length * 2)];
        return _counts;
    }

    /// <summary>A work array of at least <paramref name="size"/> flags, all false (one per instance): whoever sets some clears them again.</summary>
    public bool[] Flags(int size)
    {
        if (_flags.Length < size) _flags = new bool[Math.Max(size, _flags.Length * 2)];
        return _flags;
    }

    /// <summary>Work array number <paramref name="which"/> (0 to 4) of at least <paramref name="size"/> integers (one set per instance), contents undefined.</summary>
    public int[] Integers(int which, int size)
    {
        ref var work = ref _integers[which];
        if (work.Length < size) work = new int[Math.Max(size, work.Length * 2)];
        return work;
    }

    /// <summary>Work arrays for a layer's <see cref="Gather"/> lists, at least <paramref name="size"/> long (one set per instance).</summary>
    public (int[] Offsets, double[] Weights) GatherLists(int size)
    {
        if (_gatherOffsets.Length < size)
        {
            _gatherOffsets = new int[size];
            _gatherWeights = new double[size];
        }
        return (_gatherOffsets, _gatherWeights);
    }

    /// <summary>
    /// Adds to the coefficients on <paramref name="slot"/> of <paramref name="layer"/> the sum of
    /// <c>weights[i]</c> times the coefficients of <paramref name="from"/> starting at <c>offsets[i]</c>
    /// (from <see cref="LiveOffsets"/>), every row. The transpose of an affine layer, gathered per input
    /// value rather than scattered per output: the sums stay in registers and the target is written once,
    /// where scattering loads and stores it for every weight (a convolution's backward pass was bound by
    /// those loads and stores).
    /// </summary>
    public void Gather(int layer, int slot, int from, ReadOnlySpan<int> offsets, ReadOnlySpan<double> weights)
    {
        if (offsets.Length == 0) return;
        var target = Slot(layer, slot, out var fresh);
        ref var source = ref MemoryMarshal.GetArrayDataReference(_coefficients[from]);
        ref var to = ref MemoryMarshal.GetReference(target);
        var rows = target.Length;
        var width = Vector<double>.Count;
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            // Four vectors of rows at a time, summed over every weight before they are stored.
            for (; i + 4 * width <= rows; i += 4 * width)
            {
                Vector<double> a0, a1, a2, a3;
                if (fresh) a0 = a1 = a2 = a3 = Vector<double>.Zero;
                else
                {
                    a0 = Vector.LoadUnsafe(ref to, (nuint)i);
                    a1 = Vector.LoadUnsafe(ref to, (nuint)(i + width));
                    a2 = Vector.LoadUnsafe(ref to, (nuint)(i + 2 * width));
                    a3 = Vector.LoadUnsafe(ref to, (nuint)(i + 3 * width));
                }
                for (var p = 0; p < offsets.Length; p++)
                {
                    var w = new Vector<double>(weights[p]);
                    ref var row = ref Unsafe.Add(ref source, offsets[p] + i);
                    a0 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref row), w, a0);
                    a1 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref row, (nuint)width), w, a1);
                    a2 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref row, (nuint)(2 * width)), w, a2);
                    a3 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref row, (nuint)(3 * width)), w, a3);
                }
                a0.StoreUnsafe(ref to, (nuint)i);
                a1.StoreUnsafe(ref to, (nuint)(i + width));
                a2.StoreUnsafe(ref to, (nuint)(i + 2 * width));
                a3.StoreUnsafe(ref to, (nuint)(i + 3 * width));
            }
            for (; i + width <= rows; i += width)
            {
                var a = fresh ? Vector<double>.Zero : Vector.LoadUnsafe(ref to, (nuint)i);
                for (var p = 0; p < offsets.Length; p++)
                    a = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref Unsafe.Add(ref source, offsets[p] + i)), new Vector<double>(weights[p]), a);
                a.StoreUnsafe(ref to, (nuint)i);
            }
        }
        for (; i < rows; i++)
        {
            var a = fresh ? 0 : target[i];
            for (var p = 0; p < offsets.Length; p++)
                a = Math.FusedMultiplyAdd(Unsafe.Add(ref source, offsets[p] + i), weights[p], a);
            target[i] = a;
        }
    }

    /// <summary>
    /// <see cref="Gather"/> for up to four values of <paramref name="layer"/> at once (<paramref name="slots"/>)
    /// that gather from the same coefficients (<paramref name="offsets"/>), each with its own weights: target t's
    /// weight for pair j is <c>weights[at[j] + columns[t]]</c>. A convolution's input channels at one position
    /// reach the same outputs; gathered together, every coefficient loaded serves four sums instead of one, so
    /// the kernel does four multiply-adds per load where <see cref="Gather"/> does one (it was bound by loads).
    /// </summary>
    public void GatherFour(int layer, ReadOnlySpan<int> slots, int from, ReadOnlySpan<int> offsets, ReadOnlySpan<int> at, double[] weights, ReadOnlySpan<int> columns)
    {
        if (offsets.Length == 0) return;
        if (slots.Length != 4 || !Vector.IsHardwareAccelerated)
        {
            // Fewer than four: one at a time, each with its weights listed (in the lists' weights: a caller
            // may pass their offsets, never their weights).
            var (_, list) = GatherLists(offsets.Length);
            for (var t = 0; t < slots.Length; t++)
            {
                for (var j = 0; j < offsets.Length; j++) list[j] = weights[at[j] + columns[t]];
                Gather(layer, slots[t], from, offsets, list.AsSpan(0, offsets.Length));
            }
            return;
        }
        var t0 = Slot(layer, slots[0], out var fresh0);
        var t1 = Slot(layer, slots[1], out var fresh1);
        var t2 = Slot(layer, slots[2], out var fresh2);
        var t3 = Slot(layer, slots[3], out var fresh3);
        ref var source = ref MemoryMarshal.GetArrayDataReference(_coefficients[from]);
        ref var w = ref MemoryMarshal.GetArrayDataReference(weights);
        int c0 = columns[0], c1 = columns[1], c2 = columns[2], c3 = columns[3];
        var rows = Rows;
        var width = Vector<double>.Count;
        var i = 0;
        // Four vectors of rows for each of the four targets: sixteen sums in registers, four loads and four broadcasts per pair.
        for (; i + 4 * width <= rows; i += 4 * width)
        {
            Vector<double> a00 = Vector<double>.Zero, a01 = a00, a02 = a00, a03 = a00, a10 = a00, a11 = a00, a12 = a00, a13 = a00;
            Vector<double> a20 = a00, a21 = a00, a22 = a00, a23 = a00, a30 = a00, a31 = a00, a32 = a00, a33 = a00;
            for (var j = 0; j < offsets.Length; j++)
            {
                ref var row = ref Unsafe.Add(ref source, offsets[j] + i);
                var x0 = Vector.LoadUnsafe(ref row);
                var x1 = Vector.LoadUnsafe(ref row, (nuint)width);
                var x2 = Vector.LoadUnsafe(ref row, (nuint)(2 * width));
                var x3 = Vector.LoadUnsafe(ref row, (nuint)(3 * width));
                ref var wj = ref Unsafe.Add(ref w, at[j]);
                var w0 = new Vector<double>(Unsafe.Add(ref wj, c0));
                a00 = Vector.FusedMultiplyAdd(x0, w0, a00);
                a01 = Vector.FusedMultiplyAdd(x1, w0, a01);
                a02 = Vector.FusedMultiplyAdd(x2, w0, a02);
                a03 = Vector.FusedMultiplyAdd(x3, w0, a03);
                var w1 = new Vector<double>(Unsafe.Add(ref wj, c1));
                a10 = Vector.FusedMultiplyAdd(x0, w1, a10);
                a11 = Vector.FusedMultiplyAdd(x1, w1, a11);
                a12 = Vector.FusedMultiplyAdd(x2, w1, a12);
                a13 = Vector.FusedMultiplyAdd(x3, w1, a13);
                var w2 = new Vector<double>(Unsafe.Add(ref wj, c2));
                a20 = Vector.FusedMultiplyAdd(x0, w2, a20);
                a21 = Vector.FusedMultiplyAdd(x1, w2, a21);
                a22 = Vector.FusedMultiplyAdd(x2, w2, a22);
                a23 = Vector.FusedMultiplyAdd(x3, w2, a23);
                var w3 = new Vector<double>(Unsafe.Add(ref wj, c3));
                a30 = Vector.FusedMultiplyAdd(x0, w3, a30);
                a31 = Vector.FusedMultiplyAdd(x1, w3, a31);
                a32 = Vector.FusedMultiplyAdd(x2, w3, a32);
                a33 = Vector.FusedMultiplyAdd(x3, w3, a33);
            }
            Store(t0, fresh0, i, a00, a01);
            Store(t0, fresh0, i + 2 * width, a02, a03);
            Store(t1, fresh1, i, a10, a11);
            Store(t1, fresh1, i + 2 * width, a12, a13);
            Store(t2, fresh2, i, a20, a21);
            Store(t2, fresh2, i + 2 * width, a22, a23);
            Store(t3, fresh3, i, a30, a31);
            Store(t3, fresh3, i + 2 * width, a32, a33);
        }
        // Two vectors of rows for each of the four targets: eight sums in registers, two loads and four broadcasts per pair.
        for (; i + 2 * width <= rows; i += 2 * width)
        {
            Vector<double> a00 = Vector<double>.Zero, a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00, a31 = a00;
            for (var j = 0; j < offsets.Length; j++)
            {
                ref var row = ref Unsafe.Add(ref source, offsets[j] + i);
                var x0 = Vector.LoadUnsafe(ref row);
                var x1 = Vector.LoadUnsafe(ref row, (nuint)width);
                ref var wj = ref Unsafe.Add(ref w, at[j]);
                var w0 = new Vector<double>(Unsafe.Add(ref wj, c0));
                var w1 = new Vector<double>(Unsafe.Add(ref wj, c1));
                var w2 = new Vector<double>(Unsafe.Add(ref wj, c2));
                var w3 = new Vector<double>(Unsafe.Add(ref wj, c3));
                a00 = Vector.FusedMultiplyAdd(x0, w0, a00);
                a01 = Vector.FusedMultiplyAdd(x1, w0, a01);
                a10 = Vector.FusedMultiplyAdd(x0, w1, a10);
                a11 = Vector.FusedMultiplyAdd(x1, w1, a11);
                a20 = Vector.FusedMultiplyAdd(x0, w2, a20);
                a21 = Vector.FusedMultiplyAdd(x1, w2, a21);
                a30 = Vector.FusedMultiplyAdd(x0, w3, a30);
                a31 = Vector.FusedMultiplyAdd(x1, w3, a31);
            }
            Store(t0, fresh0, i, a00, a01);
            Store(t1, fresh1, i, a10, a11);
            Store(t2, fresh2, i, a20, a21);
            Store(t3, fresh3, i, a30, a31);
        }
        for (; i < rows; i++)
        {
            double a0 = 0, a1 = 0, a2 = 0, a3 = 0;
            for (var j = 0; j < offsets.Length; j++)
            {
                var x = Unsafe.Add(ref source, offsets[j] + i);
                ref var wj = ref Unsafe.Add(ref w, at[j]);
                a0 = Math.FusedMultiplyAdd(x, Unsafe.Add(ref wj, c0), a0);
                a1 = Math.FusedMultiplyAdd(x, Unsafe.Add(ref wj, c1), a1);
                a2 = Math.FusedMultiplyAdd(x, Unsafe.Add(ref wj, c2), a2);
                a3 = Math.FusedMultiplyAdd(x, Unsafe.Add(ref wj, c3), a3);
            }
            t0[i] = fresh0 ? a0 : t0[i] + a0;
            t1[i] = fresh1 ? a1 : t1[i] + a1;
            t2[i] = fresh2 ? a2 : t2[i] + a2;
            t3[i] = fresh3 ? a3 : t3[i] + a3;
        }
    }

    /// <summary>Writes two vectors of sums at row <paramref name="i"/> of <paramref name="target"/>, or adds them to what it holds.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Span<double> target, bool fresh, int i, Vector<double> a, Vector<double> b)
    {
        ref var to = ref MemoryMarshal.GetReference(target);
        var width = Vector<double>.Count;
        if (!fresh)
        {
            a += Vector.LoadUnsafe(ref to, (nuint)i);
            b += Vector.LoadUnsafe(ref to, (nuint)(i + width));
        }
        a.StoreUnsafe(ref to, (nuint)i);
        b.StoreUnsafe(ref to, (nuint)(i + width));
    }

    /// <summary>The slots of <paramref name="layer"/> some row has coefficients on (possibly zero), in the order they were written.</summary>
    public ReadOnlySpan<int> Touched(int layer) => _touched[layer].AsSpan(0, _touchedCount[layer]);

    /// <summary>The coefficients on a slot from <see cref="Touched"/>.</summary>
    public ReadOnlySpan<double> Row(int layer, int slot) => _coefficients[layer].AsSpan(slot * Rows, Rows);

    /// <summary>
    /// Carries the coefficients back from <paramref name="top"/> through every layer to the pixel's colour,
    /// whose own affine bounds (exact: the input is the colour, scaled) bound what reaches it. Writes per row
    /// an affine function of the colour that is at most the row's function everywhere in the box
    /// (<c>result[row * K .. +K]</c>, the constant last); the caller minimises it over the box and subtracts
    /// <see cref="Allowance"/>.
    /// </summary>
    public void Run(int top, Span<double> result)
    {
        var layers = _network.Layers;
        for (var l = top; l > 0; l--)
            if (_touchedCount[l] > 0) layers[l].Backward(this);
        var k = Context.States[0].K;
        result[..(Rows * k)].Clear();
        if (_touchedCount[0] > 0) Concretise(0, result, k);
        for (var r = 0; r < Rows; r++) result[r * k + k - 1] += _constant[r];
    }

    /// <summary>
    /// The rounding allowance of row <paramref name="row"/> after <see cref="Run"/>: a relative 1e-9 of the
    /// magnitudes its bound was summed from, far above double precision's error on sums of this length.
    /// </summary>
    public double Allowance(int row) => MarginBounds.RoundingAllowance * _magnitude[row];

    /// <summary>Row coefficients on the layer's changes (the input's) bounded by its own affine bounds: lower where positive, upper where negative.</summary>
    private void Concretise(int layer, Span<double> result, int k)
    {
        var state = Context.States[layer];
        var box = Context.Box;
        foreach (var s in Touched(layer))
        {
            var row = Row(layer, s);
            var lower = state.Lower(s);
            var upper = state.Upper(s);
            var spread = Math.Abs(box.Min(lower)) + Math.Abs(box.Max(upper));
            for (var r = 0; r < Rows; r++)
            {
                var c = row[r];
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

    /// <summary>
    /// <c>target = weight * source</c> over every row: <see cref="AddScaled"/>'s twin for a row written first in
    /// a run. Kept apart on purpose: clearing then adding, or one loop with a flag, measured about 6% slower
    /// on fashion-colour32-fire (this loop is most of back-substitution's time).
    /// </summary>
    public static void Scale(Span<double> target, ReadOnlySpan<double> source, double weight)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && target.Length >= Vector<double>.Count)
        {
            var w = new Vector<double>(weight);
            var t = MemoryMarshal.Cast<double, Vector<double>>(target);
            var s = MemoryMarshal.Cast<double, Vector<double>>(source);
            for (var v = 0; v < t.Length; v++) t[v] = w * s[v];
            i = t.Length * Vector<double>.Count;
        }
        for (; i < target.Length; i++) target[i] = weight * source[i];
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
        foreach (var s in Touched(layer.Index))
        {
            var row = Row(layer.Index, s);
            ref var relaxation = ref output.RelaxationOf(s);
            if (relaxation.LowerSlot == relaxation.UpperSlot && relaxation.LowerSlope == relaxation.UpperSlope && relaxation.LowerShift == relaxation.UpperShift)
            {
                // One linear function bounds both sides (a stable ReLU, a decided max pool, a constant).
                if (relaxation.LowerSlot >= 0 && relaxation.LowerSlope != 0) Add(input, relaxation.LowerSlot, row, relaxation.LowerSlope);
                if (relaxation.LowerShift != 0) AddConstants(row, relaxation.LowerShift, relaxation.LowerShift);
                continue;
            }
            // The positive part of each row through the lower bound, the negative part through the upper.
            if (relaxation.LowerSlot >= 0 && relaxation.LowerSlope != 0) AddSigned(Slot(input, relaxation.LowerSlot, out var fresh), fresh, row, relaxation.LowerSlope, positive: true);
            if (relaxation.UpperSlot >= 0 && relaxation.UpperSlope != 0) AddSigned(Slot(input, relaxation.UpperSlot, out var fresh), fresh, row, relaxation.UpperSlope, positive: false);
            AddConstants(row, relaxation.LowerShift, relaxation.UpperShift);
        }
    }

    /// <summary><c>target (+)= weight * max(row, 0)</c>, or <c>min(row, 0)</c>; overwritten when <paramref name="fresh"/>.</summary>
    private static void AddSigned(Span<double> target, bool fresh, ReadOnlySpan<double> row, double weight, bool positive)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && target.Length >= Vector<double>.Count)
        {
            var w = new Vector<double>(weight);
            var t = MemoryMarshal.Cast<double, Vector<double>>(target);
            var r = MemoryMarshal.Cast<double, Vector<double>>(row);
            for (var v = 0; v < t.Length; v++)
            {
                var part = w * (positive ? Vector.Max(r[v], Vector<double>.Zero) : Vector.Min(r[v], Vector<double>.Zero));
                t[v] = fresh ? part : t[v] + part;
            }
            i = t.Length * Vector<double>.Count;
        }
        for (; i < target.Length; i++)
        {
            var part = weight * (positive ? Math.Max(row[i], 0) : Math.Min(row[i], 0));
            target[i] = fresh ? part : target[i] + part;
        }
    }

    /// <summary>Each row's constant gains its coefficient times the lower shift where positive, the upper shift where negative.</summary>
    private void AddConstants(ReadOnlySpan<double> row, double lowerShift, double upperShift)
    {
        var constant = _constant.AsSpan(0, Rows);
        var magnitude = _magnitude.AsSpan(0, Rows);
        var i = 0;
        if (Vector.IsHardwareAccelerated && Rows >= Vector<double>.Count)
        {
            var lo = new Vector<double>(lowerShift);
            var hi = new Vector<double>(upperShift);
            var r = MemoryMarshal.Cast<double, Vector<double>>(row);
            var c = MemoryMarshal.Cast<double, Vector<double>>(constant);
            var m = MemoryMarshal.Cast<double, Vector<double>>(magnitude);
            for (var v = 0; v < r.Length; v++)
            {
                var term = Vector.Max(r[v], Vector<double>.Zero) * lo + Vector.Min(r[v], Vector<double>.Zero) * hi;
                c[v] += term;
                m[v] += Vector.Abs(term);
            }
            i = r.Length * Vector<double>.Count;
        }
        for (; i < Rows; i++)
        {
            var term = Math.Max(row[i], 0) * lowerShift + Math.Min(row[i], 0) * upperShift;
            constant[i] += term;
            magnitude[i] += Math.Abs(term);
        }
    }
}
