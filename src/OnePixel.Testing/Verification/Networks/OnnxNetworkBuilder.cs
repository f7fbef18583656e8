namespace OnePixel.Testing.Verification.Networks;

/// <summary>
/// Turns an ONNX graph into the verifier's <see cref="Network"/>: constant sub-graphs are folded
/// (shape arithmetic included: the input's shape is known, its batch being 1), data-movement
/// operators become index mappings, the rest become layers. Anything else raises
/// <see cref="UnsupportedGraphException"/> naming the node.
/// </summary>
internal sealed class OnnxNetworkBuilder
{
    private readonly OnnxGraph _graph;
    private readonly List<Layer> _layers = [];
    private readonly Dictionary<string, OnnxTensor> _constants = [];
    private readonly Dictionary<string, int> _variables = []; // tensor name -> layer
    private OnnxNode _node = null!;

    private OnnxNetworkBuilder(OnnxGraph graph)
    {
        _graph = graph;
        foreach (var (name, tensor) in graph.Initializers) _constants[name] = tensor;
    }

    /// <param name="graph">The model's graph.</param>
    /// <param name="inputName">The image input.</param>
    /// <param name="inputDims">Its dimensions with the batch first, every one known (the batch is taken as 1).</param>
    /// <param name="outputName">The scores output.</param>
    public static Network Build(OnnxGraph graph, string inputName, long[] inputDims, string outputName)
    {
        var builder = new OnnxNetworkBuilder(graph);
        var dims = (long[])inputDims.Clone();
        dims[0] = 1;
        builder._layers.Add(new InputLayer(dims));
        builder._variables[inputName] = 0;
        foreach (var node in graph.Nodes)
        {
            builder._node = node;
            builder.Add(node);
        }
        return builder.Finish(outputName);
    }

    private Network Finish(string outputName)
    {
        if (!_variables.TryGetValue(outputName, out var output))
            throw new UnsupportedGraphException($"output '{outputName}'", "does not depend on the image input");
        var transform = ScoreTransform.None;
        if (_layers[output] is TransformMarker marker)
        {
            transform = marker.Transform;
            output = marker.Inputs[0];
        }
        var used = ReachableFrom(output);
        // A softmax anywhere but at the very end would be a layer the bounds cannot cross.
        if (used.Select(i => _layers[i]).OfType<TransformMarker>().FirstOrDefault() is { } inner)
            throw new UnsupportedGraphException($"{inner.Operator} node", "a softmax before the output; only a final Softmax or LogSoftmax is supported");
        // Layers not on the way to the scores are dropped (their order kept).
        var map = new Dictionary<int, int>();
        var kept = new List<Layer>();
        for (var i = 0; i < _layers.Count; i++)
        {
            if (!used.Contains(i)) continue;
            map[i] = kept.Count;
            kept.Add(Renumber(_layers[i], map));
        }
        var scores = kept[map[output]].Shape;
        if (scores.Skip(1).Count(d => d != 1) > 1)
            throw new UnsupportedGraphException($"output '{outputName}'", $"has shape [{string.Join(", ", scores)}]; expected one score per class");
        return new Network(kept, map[output], transform);
    }

    private HashSet<int> ReachableFrom(int output)
    {
        var used = new HashSet<int>();
        var stack = new Stack<int>([output]);
        while (stack.Count > 0)
        {
            var l = stack.Pop();
            if (!used.Add(l)) continue;
            foreach (var i in _layers[l].Inputs) stack.Push(i);
        }
        used.Add(0);
        return used;
    }

    private static Layer Renumber(Layer layer, Dictionary<int, int> map)
    {
        for (var i = 0; i < layer.Inputs.Length; i++) layer.Inputs[i] = map[layer.Inputs[i]];
        return layer;
    }

    private UnsupportedGraphException Unsupported(string reason) => new(_node.Description, reason);

    private bool IsConstant(string name) => name.Length == 0 || _constants.ContainsKey(name);

    private OnnxTensor Constant(int input) =>
        _constants.TryGetValue(_node.Inputs[input], out var t) ? t : throw Unsupported($"input {input + 1} ('{_node.Inputs[input]}') must be a constant");

    private OnnxTensor? OptionalConstant(int input) =>
        input < _node.Inputs.Count && _node.Inputs[input].Length > 0 ? Constant(input) : null;

    private int Variable(int input) =>
        _variables.TryGetValue(_node.Inputs[input], out var l) ? l : throw Unsupported($"input '{_node.Inputs[input]}' is not produced by any node before it");

    private long[] ShapeOf(int layer) => _layers[layer].Shape;

    private void SetConstant(OnnxTensor value, int output = 0) => _constants[_node.Outputs[output]] = value;

    private void SetLayer(Layer layer)
    {
        _layers.Add(layer);
        _variables[_node.Outputs[0]] = _layers.Count - 1;
    }

    private int AddLayer(Layer layer)
    {
        _layers.Add(layer);
        return _layers.Count - 1;
    }

    private void Add(OnnxNode node)
    {
        if (node.Domain is not ("" or "ai.onnx"))
            throw Unsupported($"operator domain '{node.Domain}' is not the standard ONNX one");
        var inputs = node.Inputs.Where(i => i.Length > 0).ToList();
        var allConstant = inputs.All(IsConstant);
        switch (node.OpType)
        {
            case "Constant": SetConstant(ConstantValue()); return;
            case "Identity" or "Dropout": Alias(); return;
            case "Cast": Cast(); return;
            case "Shape": ShapeNode(); return;
        }
        if (allConstant && inputs.Count > 0)
        {
            SetConstant(Fold());
            return;
        }
        switch (node.OpType)
        {
            case "Reshape":
            {
                var dims = TensorOps.ReshapeDims(ShapeOf(Variable(0)), Constant(1).AsLongs(), node.Int("allowzero", 0) != 0);
                SetLayer(new ReshapeLayer("Reshape", Variable(0), dims));
                return;
            }
            case "Flatten":
            {
                var shape = ShapeOf(Variable(0));
                var axis = TensorOps.Axis(node.Int("axis", 1), shape.Length + 1, "Flatten");
                SetLayer(new ReshapeLayer("Flatten", Variable(0), [shape.Take(axis).Aggregate(1L, (a, d) => a * d), shape.Skip(axis).Aggregate(1L, (a, d) => a * d)]));
                return;
            }
            case "Squeeze":
                SetLayer(new ReshapeLayer("Squeeze", Variable(0), TensorOps.Squeeze(ShapeOf(Variable(0)), AxesOf(1))));
                return;
            case "Unsqueeze":
                SetLayer(new ReshapeLayer("Unsqueeze", Variable(0), TensorOps.Unsqueeze(ShapeOf(Variable(0)), AxesOf(1) ?? throw Unsupported("no axes"))));
                return;
            case "Transpose" or "Gather" or "Slice" or "Expand":
                Select(node.OpType, [Variable(0)], iota => MoveOne(iota[0]));
                return;
            case "Concat": ConcatNode(); return;
            case "Pad": PadNode(); return;
            case "Add" or "Sub" or "Mul" or "Div": Arithmetic(); return;
            case "Neg":
            {
                var x = Variable(0);
                SetLayer(new AffineLayer("Neg", x, ShapeOf(x), Filled(x, -1), Filled(x, 0)));
                return;
            }
            case "Relu": SetLayer(new ReluLayer(Variable(0), ShapeOf(Variable(0)))); return;
            case "Conv": Conv(); return;
            case "Gemm": Gemm(); return;
            case "MatMul": MatMul(); return;
            case "BatchNormalization": BatchNorm(); return;
            case "MaxPool" or "AveragePool" or "GlobalAveragePool" or "GlobalMaxPool": Pool(); return;
            case "Softmax" or "LogSoftmax":
            {
                var x = Variable(0);
                var shape = ShapeOf(x);
                var axis = TensorOps.Axis(node.Int("axis", -1), shape.Length, node.OpType);
                if (shape.Where((d, i) => i != axis).Any(d => d != 1))
                    throw Unsupported($"normalises over axis {axis} of [{string.Join(", ", shape)}]; expected the class axis of the scores");
                SetLayer(new TransformMarker(node.OpType == "Softmax" ? ScoreTransform.Softmax : ScoreTransform.LogSoftmax, x, shape));
                return;
            }
            default:
                throw Unsupported("operator not supported by the bound verifier");
        }
    }

    private OnnxTensor ConstantValue()
    {
        if (_node.Attributes.TryGetValue("value", out var value) && value.Tensor is { } tensor) return tensor;
        if (_node.Attributes.TryGetValue("value_float", out var f) && f.Number is { } number) return OnnxTensor.Scalar(number);
        if (_node.Attributes.TryGetValue("value_int", out var i) && i.Number is { } integer) return OnnxTensor.Scalar(integer, isInteger: true);
        if (_node.Attributes.TryGetValue("value_floats", out var fs) && fs.Floats is { } floats) return new OnnxTensor([floats.Count], floats.ToArray());
        if (_node.Attributes.TryGetValue("value_ints", out var ints) && ints.Ints is { } longs) return OnnxTensor.Vector(longs);
        throw Unsupported("a Constant without a value the verifier reads (value, value_float(s), value_int(s))");
    }

    private void Alias()
    {
        if (IsConstant(_node.Inputs[0])) SetConstant(Constant(0));
        else _variables[_node.Outputs[0]] = Variable(0);
    }

    private void Cast()
    {
        const long Float = 1, Double = 11;
        var to = _node.Int("to", 0);
        if (IsConstant(_node.Inputs[0]))
        {
            var t = Constant(0);
            var integer = to is not (Float or Double);
            SetConstant(new OnnxTensor(t.Dims, integer ? t.Values.Select(Math.Truncate).ToArray() : t.Values, integer));
        }
        else if (to is Float or Double) _variables[_node.Outputs[0]] = Variable(0);
        else throw Unsupported($"casts computed values to element type {to}; expected float");
    }

    /// <summary>Shape of a computed tensor is a constant: its shape is known (batch 1).</summary>
    private void ShapeNode()
    {
        var dims = IsConstant(_node.Inputs[0]) ? Constant(0).Dims : ShapeOf(Variable(0));
        var rank = dims.Length;
        long start = _node.Int("start", 0), end = _node.Int("end", rank);
        int s = (int)Math.Clamp(start < 0 ? start + rank : start, 0, rank), e = (int)Math.Clamp(end < 0 ? end + rank : end, 0, rank);
        SetConstant(OnnxTensor.Vector(dims[s..Math.Max(s, e)]));
    }

    private IReadOnlyList<long>? AxesOf(int input) =>
        _node.Ints("axes") ?? (input < _node.Inputs.Count && _node.Inputs[input].Length > 0 ? Constant(input).AsLongs() : null);

    /// <summary>The node applied to constant tensors.</summary>
    private OnnxTensor Fold()
    {
        var op = _node.OpType;
        return op switch
        {
            "Reshape" => Constant(0) with { Dims = TensorOps.ReshapeDims(Constant(0).Dims, Constant(1).AsLongs(), _node.Int("allowzero", 0) != 0) },
            "Flatten" => Constant(0) with
            {
                Dims = FlattenDims(Constant(0).Dims, _node.Int("axis", 1)),
            },
            "Squeeze" => Constant(0) with { Dims = TensorOps.Squeeze(Constant(0).Dims, AxesOf(1)) },
            "Unsqueeze" => Constant(0) with { Dims = TensorOps.Unsqueeze(Constant(0).Dims, AxesOf(1) ?? throw Unsupported("no axes")) },
            "Concat" => TensorOps.Concat(Enumerable.Range(0, _node.Inputs.Count).Select(Constant).ToList(), _node.Int("axis", 0)),
            "Add" or "Sub" or "Mul" or "Div" => TensorOps.Binary(op, Constant(0), Constant(1)),
            "Neg" => Constant(0) with { Values = Constant(0).Values.Select(v => -v).ToArray() },
            "Transpose" or "Gather" or "Slice" or "Expand" => MoveOne(Constant(0)),
            "Pad" => TensorOps.Pad(Constant(0), PadsOf(), PadValue()),
            _ => throw Unsupported("cannot fold this operator on constants"),
        };
    }

    private static long[] FlattenDims(long[] dims, long axis)
    {
        var a = TensorOps.Axis(axis, dims.Length + 1, "Flatten");
        return [dims.Take(a).Aggregate(1L, (x, d) => x * d), dims.Skip(a).Aggregate(1L, (x, d) => x * d)];
    }

    /// <summary>A one-input data-movement operator applied to <paramref name="data"/>.</summary>
    private OnnxTensor MoveOne(OnnxTensor data)
    {
        switch (_node.OpType)
        {
            case "Transpose": return TensorOps.Transpose(data, _node.Ints("perm"));
            case "Gather": return TensorOps.Gather(data, Constant(1), _node.Int("axis", 0));
            case "Expand":
                var dims = TensorOps.Broadcast(data.Dims, Constant(1).AsLongs()) ?? throw Unsupported("shapes do not broadcast");
                return TensorOps.Expand(data, dims);
            case "Slice":
                if (_node.Ints("starts") is { } starts) // opset < 10: attributes
                    return TensorOps.Slice(data, starts.ToArray(), _node.Ints("ends")!.ToArray(), _node.Ints("axes")?.ToArray(), null);
                return TensorOps.Slice(data, Constant(1).AsLongs(), Constant(2).AsLongs(), OptionalConstant(3)?.AsLongs(), OptionalConstant(4)?.AsLongs());
            default: throw Unsupported("not a data-movement operator");
        }
    }

    /// <summary>A data-movement operator on computed tensors, as the mapping it applies to their indices.</summary>
    private void Select(string op, int[] inputs, Func<OnnxTensor[], OnnxTensor> move)
    {
        var offsets = new long[inputs.Length];
        long total = 0;
        var iotas = new OnnxTensor[inputs.Length];
        for (var k = 0; k < inputs.Length; k++)
        {
            offsets[k] = total;
            iotas[k] = TensorOps.Iota(ShapeOf(inputs[k]), total);
            total += _layers[inputs[k]].Size;
        }
        var mapped = move(iotas);
        var from = new int[mapped.Values.Length];
        var source = new int[mapped.Values.Length];
        for (var i = 0; i < from.Length; i++)
        {
            var global = (long)mapped.Values[i];
            var k = Array.FindLastIndex(offsets, o => o <= global);
            from[i] = k;
            source[i] = (int)(global - offsets[k]);
        }
        SetLayer(new SelectLayer(op, inputs, inputs.Select(i => _layers[i].Size).ToArray(), mapped.Dims, from, source));
    }

    private void ConcatNode()
    {
        var inputs = new int[_node.Inputs.Count];
        for (var k = 0; k < inputs.Length; k++)
            inputs[k] = IsConstant(_node.Inputs[k]) ? AddLayer(new ConstantLayer(Constant(k).Values, Constant(k).Dims)) : Variable(k);
        var axis = _node.Int("axis", 0);
        Select("Concat", inputs, iotas => TensorOps.Concat(iotas, axis));
    }

    private long[] PadsOf()
    {
        if ((_node.Text("mode") ?? "constant") != "constant") throw Unsupported($"Pad mode '{_node.Text("mode")}'; only constant padding is supported");
        if (OptionalConstant(3) is not null) throw Unsupported("Pad with axes");
        return (_node.Ints("pads") ?? Constant(1).AsLongs()).ToArray();
    }

    private double PadValue() => _node.Attributes.TryGetValue("value", out var v) && v.Number is { } n ? n : OptionalConstant(2)?.Values.SingleOrDefault() ?? 0;

    /// <summary>Constant-mode Pad of a computed tensor: the padding reads a one-value constant layer.</summary>
    private void PadNode()
    {
        var x = Variable(0);
        var pads = PadsOf();
        var fill = AddLayer(new ConstantLayer([PadValue()], [1]));
        Select("Pad", [x, fill], iotas => TensorOps.Pad(iotas[0], pads, iotas[1].Values[0]));
    }

    private double[] Filled(int layer, double value) => Enumerable.Repeat(value, _layers[layer].Size).ToArray();

    /// <summary>Add, Sub, Mul, Div: by a constant (an affine layer), or Add/Sub of two computed tensors (a sum).</summary>
    private void Arithmetic()
    {
        var op = _node.OpType;
        var aConstant = IsConstant(_node.Inputs[0]);
        var bConstant = IsConstant(_node.Inputs[1]);
        if (!aConstant && !bConstant)
        {
            if (op is not ("Add" or "Sub")) throw Unsupported($"{op} of two computed tensors is not affine");
            int a = Variable(0), b = Variable(1);
            var dims = TensorOps.Broadcast(ShapeOf(a), ShapeOf(b)) ?? throw Unsupported("shapes do not broadcast");
            a = Broadcast(a, dims);
            b = Broadcast(b, dims);
            SetLayer(new SumLayer(op, a, b, op == "Add" ? 1 : -1, dims));
            return;
        }
        var x = Variable(aConstant ? 1 : 0);
        var c = Constant(aConstant ? 0 : 1);
        var shape = TensorOps.Broadcast(ShapeOf(x), c.Dims) ?? throw Unsupported("shapes do not broadcast");
        x = Broadcast(x, shape);
        var constant = TensorOps.Expand(c, shape).Values;
        var n = constant.Length;
        double[] scale = new double[n], shift = new double[n];
        for (var i = 0; i < n; i++)
        {
            (scale[i], shift[i]) = op switch
            {
                "Add" => (1.0, constant[i]),
                "Sub" => aConstant ? (-1.0, constant[i]) : (1.0, -constant[i]),
                "Mul" => (constant[i], 0.0),
                "Div" when !aConstant => (1 / constant[i], 0.0),
                _ => throw Unsupported("division by a computed tensor is not affine"),
            };
        }
        SetLayer(new AffineLayer(op, x, shape, scale, shift));
    }

    /// <summary><paramref name="layer"/> broadcast to <paramref name="dims"/> (itself when it already has them).</summary>
    private int Broadcast(int layer, long[] dims)
    {
        if (ShapeOf(layer).SequenceEqual(dims)) return layer;
        var iota = TensorOps.Expand(TensorOps.Iota(ShapeOf(layer)), dims);
        var source = iota.Values.Select(v => (int)v).ToArray();
        return AddLayer(new SelectLayer("Expand", [layer], [_layers[layer].Size], dims, new int[source.Length], source));
    }

    private (int Height, int Width, int Channels) Spatial(int layer)
    {
        var shape = ShapeOf(layer);
        if (shape.Length != 4) throw Unsupported($"input of shape [{string.Join(", ", shape)}]; expected [1, channels, height, width]");
        return ((int)shape[2], (int)shape[3], (int)shape[1]);
    }

    /// <summary>The window of a Conv or pool from its attributes (auto_pad included).</summary>
    private (Window2D Window, int PadBottom, int PadRight) WindowOf(int height, int width, int kernelH, int kernelW)
    {
        var strides = _node.Ints("strides") ?? [1, 1];
        var dilations = _node.Ints("dilations") ?? [1, 1];
        var pads = _node.Ints("pads") ?? [0, 0, 0, 0];
        if (strides.Count != 2 || dilations.Count != 2 || pads.Count != 4) throw Unsupported("only 2-D windows are supported");
        var ceil = _node.Int("ceil_mode", 0) != 0;
        int sh = (int)strides[0], sw = (int)strides[1], dh = (int)dilations[0], dw = (int)dilations[1];
        int top = (int)pads[0], left = (int)pads[1], bottom = (int)pads[2], right = (int)pads[3];
        var autoPad = _node.Text("auto_pad") ?? "NOTSET";
        if (autoPad is "SAME_UPPER" or "SAME_LOWER")
        {
            (top, bottom) = SamePads(height, kernelH, sh, dh, autoPad == "SAME_UPPER");
            (left, right) = SamePads(width, kernelW, sw, dw, autoPad == "SAME_UPPER");
        }
        else if (autoPad == "VALID") top = left = bottom = right = 0;
        else if (autoPad != "NOTSET") throw Unsupported($"auto_pad '{autoPad}'");
        var outH = Window2D.OutputSize(height, kernelH, sh, top, bottom, dh, ceil);
        var outW = Window2D.OutputSize(width, kernelW, sw, left, right, dw, ceil);
        return (new Window2D(height, width, outH, outW, kernelH, kernelW, sh, sw, top, left, dh, dw), bottom, right);
    }

    private static (int Begin, int End) SamePads(int size, int kernel, int stride, int dilation, bool upper)
    {
        var output = (size + stride - 1) / stride;
        var total = Math.Max(0, (output - 1) * stride + (kernel - 1) * dilation + 1 - size);
        return upper ? (total / 2, total - total / 2) : (total - total / 2, total / 2);
    }

    private void Conv()
    {
        var x = Variable(0);
        var (h, w, c) = Spatial(x);
        var weights = Constant(1);
        if (weights.Dims.Length != 4) throw Unsupported("only 2-D convolutions are supported");
        var groups = (int)_node.Int("group", 1);
        int m = (int)weights.Dims[0], kh = (int)weights.Dims[2], kw = (int)weights.Dims[3];
        if (weights.Dims[1] * groups != c) throw Unsupported($"weights for {weights.Dims[1] * groups} input channels, the input has {c}");
        var bias = OptionalConstant(2)?.Values ?? new double[m];
        var (window, _, _) = WindowOf(h, w, kh, kw);
        SetLayer(new ConvLayer(x, [1, m, window.OutHeight, window.OutWidth], c, m, groups, window, weights.Values, bias));
    }

    private void Gemm()
    {
        var x = Variable(0);
        if (_node.Int("transA", 0) != 0) throw Unsupported("transA: the computed input transposed");
        var shape = ShapeOf(x);
        if (shape.Length != 2) throw Unsupported($"input of shape [{string.Join(", ", shape)}]; expected [1, features]");
        var b = Constant(1);
        double alpha = _node.Float("alpha", 1), beta = _node.Float("beta", 1);
        var transB = _node.Int("transB", 0) != 0;
        int k = (int)shape[1], n = (int)(transB ? b.Dims[0] : b.Dims[1]);
        if ((transB ? b.Dims[1] : b.Dims[0]) != k) throw Unsupported($"B of shape [{string.Join(", ", b.Dims)}] does not fit {k} features");
        var weights = new double[k * n];
        for (var i = 0; i < k; i++)
        for (var o = 0; o < n; o++)
            weights[i * n + o] = alpha * (transB ? b.Values[o * k + i] : b.Values[i * n + o]);
        var bias = new double[n];
        if (OptionalConstant(2) is { } c)
        {
            var expanded = TensorOps.Expand(c, [1, n]).Values;
            for (var o = 0; o < n; o++) bias[o] = beta * expanded[o];
        }
        SetLayer(new DenseLayer("Gemm", x, [1, n], k, n, weights, bias));
    }

    private void MatMul()
    {
        if (IsConstant(_node.Inputs[0])) throw Unsupported("a constant times a computed tensor (expected the computed tensor first)");
        var x = Variable(0);
        var b = Constant(1);
        var shape = ShapeOf(x);
        if (b.Dims.Length != 2 || shape[^1] != b.Dims[0]) throw Unsupported($"[{string.Join(", ", shape)}] times [{string.Join(", ", b.Dims)}]");
        int k = (int)b.Dims[0], n = (int)b.Dims[1];
        SetLayer(new DenseLayer("MatMul", x, [.. shape[..^1], n], k, n, b.Values, new double[n]));
    }

    private void BatchNorm()
    {
        var x = Variable(0);
        var shape = ShapeOf(x);
        if (_node.Outputs.Count(o => o.Length > 0) > 1) throw Unsupported("training mode (running statistics as outputs)");
        double[] gamma = Constant(1).Values, beta = Constant(2).Values, mean = Constant(3).Values, variance = Constant(4).Values;
        var epsilon = _node.Float("epsilon", 1e-5);
        var channels = (int)shape[1];
        var inner = (int)shape.Skip(2).Aggregate(1L, (a, d) => a * d);
        var n = _layers[x].Size;
        double[] scale = new double[n], shift = new double[n];
        for (var c = 0; c < channels; c++)
        {
            // ONNX Runtime computes in float: the factor is what it is in float, the rest exact enough.
            var factor = gamma[c] / Math.Sqrt((float)(variance[c] + epsilon));
            for (var i = 0; i < inner; i++)
            {
                scale[c * inner + i] = factor;
                shift[c * inner + i] = beta[c] - mean[c] * factor;
            }
        }
        SetLayer(new AffineLayer("BatchNormalization", x, shape, scale, shift));
    }

    private void Pool()
    {
        var x = Variable(0);
        var (h, w, c) = Spatial(x);
        if (_node.Outputs.Count(o => o.Length > 0) > 1) throw Unsupported("the Indices output");
        var global = _node.OpType.StartsWith("Global", StringComparison.Ordinal);
        var kernel = global ? [h, w] : _node.Ints("kernel_shape") ?? throw Unsupported("no kernel_shape");
        if (kernel.Count != 2) throw Unsupported("only 2-D pooling is supported");
        var (window, bottom, right) = global
            ? (new Window2D(h, w, 1, 1, h, w, 1, 1, 0, 0, 1, 1), 0, 0)
            : WindowOf(h, w, (int)kernel[0], (int)kernel[1]);
        long[] shape = [1, c, window.OutHeight, window.OutWidth];
        if (_node.OpType.EndsWith("MaxPool", StringComparison.Ordinal))
            SetLayer(new MaxPoolLayer(_node.OpType, x, shape, c, window));
        else
            SetLayer(new AveragePoolLayer(_node.OpType, x, shape, c, window, _node.Int("count_include_pad", 0) != 0, bottom, right));
    }

    /// <summary>A final Softmax or LogSoftmax: order-preserving, so margins are taken on its input; kept only to be recognised at the output.</summary>
    private sealed class TransformMarker(ScoreTransform transform, int input, long[] shape) : Layer(transform.ToString(), [input], shape)
    {
        public ScoreTransform Transform { get; } = transform;

        public override void Forward(double[][] values, double[] output) => throw new InvalidOperationException("a score transform is not part of the network");

        public override void Propagate(Bounds.BoundContext context, Bounds.Perturbation output) => throw new InvalidOperationException("a score transform is not part of the network");

        public override void Backward(Bounds.BackSubstitution back) => throw new InvalidOperationException("a score transform is not part of the network");
    }
}
