namespace OnePixel.Testing.Verification.Networks;

/// <summary>
/// The data-movement and arithmetic operators on constant tensors, for folding the constant parts of
/// a graph (the Shape -> Gather -> Unsqueeze -> Concat sub-graphs that feed a Reshape). Applied to a
/// tensor of indices, the same functions give the index mapping of a data-movement operator on a
/// computed tensor (<see cref="SelectLayer"/>).
/// </summary>
internal static class TensorOps
{
    public static long[] Strides(long[] dims)
    {
        var strides = new long[dims.Length];
        long s = 1;
        for (var i = dims.Length - 1; i >= 0; i--)
        {
            strides[i] = s;
            s *= dims[i];
        }
        return strides;
    }

    /// <summary>0, 1, 2, ... in the shape <paramref name="dims"/>, plus <paramref name="offset"/>.</summary>
    public static OnnxTensor Iota(long[] dims, long offset = 0)
    {
        var n = dims.Aggregate(1L, (a, d) => a * d);
        var values = new double[n];
        for (var i = 0; i < n; i++) values[i] = offset + i;
        return new OnnxTensor(dims, values, IsInteger: true);
    }

    public static int Axis(long axis, int rank, string what) =>
        axis < -rank || axis >= Math.Max(rank, 1) ? throw new NotSupportedException($"{what}: axis {axis} is outside a rank-{rank} tensor") : (int)(axis < 0 ? axis + rank : axis);

    public static OnnxTensor Transpose(OnnxTensor t, IReadOnlyList<long>? perm)
    {
        var rank = t.Dims.Length;
        var p = perm?.Select(v => (int)v).ToArray() ?? Enumerable.Range(0, rank).Reverse().ToArray();
        var dims = p.Select(a => t.Dims[a]).ToArray();
        var inStrides = Strides(t.Dims);
        var values = new double[t.Values.Length];
        var index = new long[rank];
        for (var i = 0; i < values.Length; i++)
        {
            long source = 0;
            for (var a = 0; a < rank; a++) source += index[a] * inStrides[p[a]];
            values[i] = t.Values[source];
            for (var a = rank - 1; a >= 0 && ++index[a] == dims[a]; a--) index[a] = 0;
        }
        return new OnnxTensor(dims, values, t.IsInteger);
    }

    /// <summary>ONNX Reshape's target: 0 copies the input's dimension (unless allowzero), -1 takes what is left.</summary>
    public static long[] ReshapeDims(long[] input, long[] target, bool allowZero)
    {
        var dims = (long[])target.Clone();
        for (var i = 0; i < dims.Length; i++)
            if (dims[i] == 0 && !allowZero) dims[i] = i < input.Length ? input[i] : throw new NotSupportedException("Reshape: 0 beyond the input's rank");
        var total = input.Aggregate(1L, (a, d) => a * d);
        var inferred = Array.IndexOf(dims, -1L);
        if (inferred >= 0)
        {
            var known = dims.Where((d, i) => i != inferred).Aggregate(1L, (a, d) => a * d);
            dims[inferred] = known == 0 ? 0 : total / known;
        }
        if (dims.Aggregate(1L, (a, d) => a * d) != total)
            throw new NotSupportedException($"Reshape: [{string.Join(", ", input)}] cannot become [{string.Join(", ", target)}]");
        return dims;
    }

    public static OnnxTensor Concat(IReadOnlyList<OnnxTensor> parts, long axis)
    {
        var rank = parts[0].Dims.Length;
        var a = Axis(axis, rank, "Concat");
        var dims = (long[])parts[0].Dims.Clone();
        dims[a] = parts.Sum(p => p.Dims[a]);
        var outer = dims.Take(a).Aggregate(1L, (x, d) => x * d);
        var values = new List<double>((int)dims.Aggregate(1L, (x, d) => x * d));
        for (var o = 0; o < outer; o++)
            foreach (var part in parts)
            {
                var block = part.Dims.Skip(a).Aggregate(1L, (x, d) => x * d);
                values.AddRange(part.Values.AsSpan((int)(o * block), (int)block).ToArray());
            }
        return new OnnxTensor(dims, values.ToArray(), parts.All(p => p.IsInteger));
    }

    public static OnnxTensor Gather(OnnxTensor data, OnnxTensor indices, long axis)
    {
        var a = Axis(axis, data.Dims.Length, "Gather");
        var dims = data.Dims.Take(a).Concat(indices.Dims).Concat(data.Dims.Skip(a + 1)).ToArray();
        var outer = data.Dims.Take(a).Aggregate(1L, (x, d) => x * d);
        var inner = data.Dims.Skip(a + 1).Aggregate(1L, (x, d) => x * d);
        var values = new List<double>();
        for (var o = 0; o < outer; o++)
            foreach (var raw in indices.Values)
            {
                var i = (long)raw < 0 ? (long)raw + data.Dims[a] : (long)raw;
                if (i < 0 || i >= data.Dims[a]) throw new NotSupportedException($"Gather: index {raw} outside 0..{data.Dims[a] - 1}");
                values.AddRange(data.Values.AsSpan((int)((o * data.Dims[a] + i) * inner), (int)inner).ToArray());
            }
        return new OnnxTensor(dims, values.ToArray(), data.IsInteger);
    }

    public static OnnxTensor Slice(OnnxTensor data, long[] starts, long[] ends, long[]? axes, long[]? steps)
    {
        var rank = data.Dims.Length;
        var begin = new long[rank];
        var step = Enumerable.Repeat(1L, rank).ToArray();
        var count = (long[])data.Dims.Clone();
        for (var i = 0; i < starts.Length; i++)
        {
            var a = Axis(axes?[i] ?? i, rank, "Slice");
            var n = data.Dims[a];
            var s = steps?[i] ?? 1;
            if (s == 0) throw new NotSupportedException("Slice: step 0");
            long Clamp(long v, long low, long high) => Math.Min(Math.Max(v < 0 ? v + n : v, low), high);
            var b = s > 0 ? Clamp(starts[i], 0, n) : Clamp(starts[i], -1, n - 1);
            var e = s > 0 ? Clamp(ends[i], 0, n) : Clamp(ends[i], -1, n - 1);
            begin[a] = b;
            step[a] = s;
            count[a] = Math.Max(0, s > 0 ? (e - b + s - 1) / s : (b - e - s - 1) / -s);
        }
        var strides = Strides(data.Dims);
        var values = new double[count.Aggregate(1L, (x, d) => x * d)];
        var index = new long[rank];
        for (var i = 0; i < values.Length; i++)
        {
            long source = 0;
            for (var a = 0; a < rank; a++) source += (begin[a] + index[a] * step[a]) * strides[a];
            values[i] = data.Values[source];
            for (var a = rank - 1; a >= 0 && ++index[a] == count[a]; a--) index[a] = 0;
        }
        return new OnnxTensor(count, values, data.IsInteger);
    }

    /// <summary>Constant-mode Pad: <paramref name="pads"/> holds the begin pads of every axis, then the end pads.</summary>
    public static OnnxTensor Pad(OnnxTensor data, long[] pads, double value)
    {
        var rank = data.Dims.Length;
        if (pads.Length != 2 * rank || pads.Any(p => p < 0)) throw new NotSupportedException("Pad: expected 2 x rank pads of 0 or more");
        var dims = data.Dims.Select((d, a) => d + pads[a] + pads[a + rank]).ToArray();
        var strides = Strides(data.Dims);
        var values = new double[dims.Aggregate(1L, (x, d) => x * d)];
        var index = new long[rank];
        for (var i = 0; i < values.Length; i++)
        {
            long source = 0;
            var inside = true;
            for (var a = 0; a < rank && inside; a++)
            {
                var j = index[a] - pads[a];
                inside = j >= 0 && j < data.Dims[a];
                source += j * strides[a];
            }
            values[i] = inside ? data.Values[source] : value;
            for (var a = rank - 1; a >= 0 && ++index[a] == dims[a]; a--) index[a] = 0;
        }
        return new OnnxTensor(dims, values, data.IsInteger);
    }

    public static long[] Unsqueeze(long[] dims, IEnumerable<long> axes)
    {
        var list = axes.ToList();
        var rank = dims.Length + list.Count;
        var normal = list.Select(a => Axis(a, rank, "Unsqueeze")).ToHashSet();
        var result = new long[rank];
        var next = 0;
        for (var i = 0; i < rank; i++) result[i] = normal.Contains(i) ? 1 : dims[next++];
        return result;
    }

    public static long[] Squeeze(long[] dims, IEnumerable<long>? axes)
    {
        var normal = axes?.Select(a => Axis(a, dims.Length, "Squeeze")).ToHashSet();
        return dims.Where((d, i) => normal is null ? d != 1 : !normal.Contains(i)).ToArray();
    }

    /// <summary>NumPy broadcasting of two shapes, or null when they do not broadcast.</summary>
    public static long[]? Broadcast(long[] a, long[] b)
    {
        var rank = Math.Max(a.Length, b.Length);
        var dims = new long[rank];
        for (var i = 0; i < rank; i++)
        {
            var x = i - (rank - a.Length) >= 0 ? a[i - (rank - a.Length)] : 1;
            var y = i - (rank - b.Length) >= 0 ? b[i - (rank - b.Length)] : 1;
            if (x != y && x != 1 && y != 1) return null;
            dims[i] = Math.Max(x, y);
        }
        return dims;
    }

    /// <summary><paramref name="t"/> broadcast to <paramref name="dims"/> (which it must broadcast to).</summary>
    public static OnnxTensor Expand(OnnxTensor t, long[] dims)
    {
        var rank = dims.Length;
        var padded = Enumerable.Repeat(1L, rank - t.Dims.Length).Concat(t.Dims).ToArray();
        var inStrides = Strides(padded);
        var values = new double[dims.Aggregate(1L, (x, d) => x * d)];
        var index = new long[rank];
        for (var i = 0; i < values.Length; i++)
        {
            long source = 0;
            for (var a = 0; a < rank; a++) source += (padded[a] == 1 ? 0 : index[a]) * inStrides[a];
            values[i] = t.Values[source];
            for (var a = rank - 1; a >= 0 && ++index[a] == dims[a]; a--) index[a] = 0;
        }
        return new OnnxTensor(dims, values, t.IsInteger);
    }

    public static OnnxTensor Binary(string op, OnnxTensor a, OnnxTensor b)
    {
        var dims = Broadcast(a.Dims, b.Dims) ?? throw new NotSupportedException($"{op}: shapes [{string.Join(", ", a.Dims)}] and [{string.Join(", ", b.Dims)}] do not broadcast");
        var x = Expand(a, dims).Values;
        var y = Expand(b, dims).Values;
        var integer = a.IsInteger && b.IsInteger;
        var values = new double[x.Length];
        for (var i = 0; i < values.Length; i++)
            values[i] = op switch
            {
                "Add" => x[i] + y[i],
                "Sub" => x[i] - y[i],
                "Mul" => x[i] * y[i],
                "Div" => integer ? Math.Truncate(x[i] / y[i]) : x[i] / y[i],
                _ => throw new NotSupportedException(op),
            };
        return new OnnxTensor(dims, values, integer);
    }
}
