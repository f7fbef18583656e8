using OnePixel.Testing.Models;

namespace OnePixel.Testing.Verification.Networks;

/// <summary>A constant tensor of an ONNX graph (an initializer, a Constant node, or a folded value): its dimensions and its values, held as doubles.</summary>
internal sealed record OnnxTensor(long[] Dims, double[] Values, bool IsInteger = false)
{
    public long Length => Dims.Aggregate(1L, (a, d) => a * d);

    public static OnnxTensor Scalar(double value, bool isInteger = false) => new([], [value], isInteger);

    public static OnnxTensor Vector(IReadOnlyList<long> values) => new([values.Count], values.Select(v => (double)v).ToArray(), IsInteger: true);

    public long[] AsLongs() => Values.Select(v => (long)v).ToArray();
}

/// <summary>One attribute of a node: a number, numbers, a string or a tensor.</summary>
internal sealed record OnnxAttribute(string Name, double? Number, IReadOnlyList<long>? Ints, IReadOnlyList<double>? Floats, string? Text, OnnxTensor? Tensor);

/// <summary>One node of an ONNX graph.</summary>
internal sealed record OnnxNode(string OpType, string Domain, string Name, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, IReadOnlyDictionary<string, OnnxAttribute> Attributes)
{
    public long Int(string name, long fallback) => Attributes.TryGetValue(name, out var a) && a.Number is { } n ? (long)n : fallback;
    public double Float(string name, double fallback) => Attributes.TryGetValue(name, out var a) && a.Number is { } n ? n : fallback;
    public IReadOnlyList<long>? Ints(string name) => Attributes.TryGetValue(name, out var a) ? a.Ints : null;
    public string? Text(string name) => Attributes.TryGetValue(name, out var a) ? a.Text : null;

    /// <summary>How messages name the node: its operator and, when it has one, its name.</summary>
    public string Description => Name.Length > 0 ? $"{OpType} node '{Name}'" : $"{OpType} node (output '{Outputs.FirstOrDefault()}')";
}

/// <summary>A graph input or output: its name and dimensions (0 or less for a symbolic dimension).</summary>
internal sealed record OnnxValueInfo(string Name, long[] Dims);

/// <summary>
/// What the verifier reads of an ONNX model: the main graph's nodes in their (topological) order, its
/// initializers, inputs and outputs, and the default-domain opset. Read with the project's own
/// protobuf walker (<see cref="ProtobufReader"/>), the field numbers being those of onnx.proto.
/// </summary>
internal sealed class OnnxGraph
{
    public required IReadOnlyList<OnnxNode> Nodes { get; init; }
    public required IReadOnlyDictionary<string, OnnxTensor> Initializers { get; init; }
    public required IReadOnlyList<OnnxValueInfo> Inputs { get; init; }
    public required IReadOnlyList<OnnxValueInfo> Outputs { get; init; }
    public required long Opset { get; init; }

    public static OnnxGraph Read(string path)
    {
        try
        {
            return Parse(File.ReadAllBytes(path));
        }
        catch (FormatException e)
        {
            throw new OnePixelException($"{path}: not an ONNX model the verifier can read ({e.Message}).", e);
        }
    }

    public static OnnxGraph Parse(ReadOnlySpan<byte> model)
    {
        var reader = new ProtobufReader(model);
        OnnxGraph? graph = null;
        long opset = 0;
        while (reader.Next(out var field))
        {
            if (field.Number == 7) graph = ParseGraph(field.Bytes);
            else if (field.Number == 8) opset = Math.Max(opset, ParseOpset(field.Bytes));
        }
        if (graph is null) throw new FormatException("the model has no graph");
        return new OnnxGraph { Nodes = graph.Nodes, Initializers = graph.Initializers, Inputs = graph.Inputs, Outputs = graph.Outputs, Opset = opset };
    }

    /// <summary>The version of the default ("" or "ai.onnx") domain, 0 for another domain.</summary>
    private static long ParseOpset(ReadOnlySpan<byte> bytes)
    {
        var reader = new ProtobufReader(bytes);
        string domain = "";
        long version = 0;
        while (reader.Next(out var field))
        {
            if (field.Number == 1) domain = field.String;
            else if (field.Number == 2) version = field.Int64;
        }
        return domain is "" or "ai.onnx" ? version : 0;
    }

    private static OnnxGraph ParseGraph(ReadOnlySpan<byte> bytes)
    {
        var nodes = new List<OnnxNode>();
        var initializers = new Dictionary<string, OnnxTensor>();
        var inputs = new List<OnnxValueInfo>();
        var outputs = new List<OnnxValueInfo>();
        var reader = new ProtobufReader(bytes);
        while (reader.Next(out var field))
        {
            switch (field.Number)
            {
                case 1: nodes.Add(ParseNode(field.Bytes)); break;
                case 5:
                    var (name, tensor) = ParseTensor(field.Bytes);
                    initializers[name] = tensor;
                    break;
                case 11: inputs.Add(ParseValueInfo(field.Bytes)); break;
                case 12: outputs.Add(ParseValueInfo(field.Bytes)); break;
            }
        }
        // Initializers may also be listed as inputs (IR < 4); those are constants, not inputs.
        inputs.RemoveAll(i => initializers.ContainsKey(i.Name));
        return new OnnxGraph { Nodes = nodes, Initializers = initializers, Inputs = inputs, Outputs = outputs, Opset = 0 };
    }

    private static OnnxNode ParseNode(ReadOnlySpan<byte> bytes)
    {
        var inputs = new List<string>();
        var outputs = new List<string>();
        var attributes = new Dictionary<string, OnnxAttribute>();
        string name = "", op = "", domain = "";
        var reader = new ProtobufReader(bytes);
        while (reader.Next(out var field))
        {
            switch (field.Number)
            {
                case 1: inputs.Add(field.String); break;
                case 2: outputs.Add(field.String); break;
                case 3: name = field.String; break;
                case 4: op = field.String; break;
                case 5:
                    var attribute = ParseAttribute(field.Bytes);
                    attributes[attribute.Name] = attribute;
                    break;
                case 7: domain = field.String; break;
            }
        }
        return new OnnxNode(op, domain, name, inputs, outputs, attributes);
    }

    private static OnnxAttribute ParseAttribute(ReadOnlySpan<byte> bytes)
    {
        string name = "";
        double? number = null;
        List<long>? ints = null;
        List<double>? floats = null;
        string? text = null;
        OnnxTensor? tensor = null;
        var reader = new ProtobufReader(bytes);
        while (reader.Next(out var field))
        {
            switch (field.Number)
            {
                case 1: name = field.String; break;
                case 2: number = field.Float; break;
                case 3: number = field.Int64; break;
                case 4: text = field.String; break;
                case 5: tensor = ParseTensor(field.Bytes).Tensor; break;
                case 7: ProtobufReader.AddFloats(field, floats ??= []); break;
                case 8: ProtobufReader.AddVarints(field, ints ??= []); break;
            }
        }
        return new OnnxAttribute(name, number, ints, floats, text, tensor);
    }

    private const int Float = 1, Uint8 = 2, Int8 = 3, Int32 = 6, Int64 = 7, Bool = 9, Double = 11;

    private static (string Name, OnnxTensor Tensor) ParseTensor(ReadOnlySpan<byte> bytes)
    {
        var dims = new List<long>();
        var type = 0;
        string name = "";
        var floats = new List<double>();
        var ints = new List<long>();
        byte[]? raw = null;
        var reader = new ProtobufReader(bytes);
        while (reader.Next(out var field))
        {
            switch (field.Number)
            {
                case 1: ProtobufReader.AddVarints(field, dims); break;
                case 2: type = (int)field.Int64; break;
                case 4: ProtobufReader.AddFloats(field, floats); break;
                case 5: ProtobufReader.AddVarints(field, ints); break;
                case 7: ProtobufReader.AddVarints(field, ints); break;
                case 8: name = field.String; break;
                case 9: raw = field.Bytes.ToArray(); break;
                case 10: ProtobufReader.AddDoubles(field, floats); break;
                case 13 or 14: throw new FormatException($"tensor '{name}' keeps its data in an external file; only self-contained .onnx files are read");
            }
        }
        var length = dims.Aggregate(1L, (a, d) => a * d);
        double[] values;
        if (raw is not null)
        {
            values = type switch
            {
                Float => Enumerable.Range(0, raw.Length / 4).Select(i => (double)BitConverter.ToSingle(raw, i * 4)).ToArray(),
                Double => Enumerable.Range(0, raw.Length / 8).Select(i => BitConverter.ToDouble(raw, i * 8)).ToArray(),
                Int64 => Enumerable.Range(0, raw.Length / 8).Select(i => (double)BitConverter.ToInt64(raw, i * 8)).ToArray(),
                Int32 => Enumerable.Range(0, raw.Length / 4).Select(i => (double)BitConverter.ToInt32(raw, i * 4)).ToArray(),
                Uint8 or Bool => raw.Select(b => (double)b).ToArray(),
                Int8 => raw.Select(b => (double)(sbyte)b).ToArray(),
                _ => throw new FormatException($"tensor '{name}' has element type {type}; expected float, double or integers"),
            };
        }
        else values = type is Float or Double ? floats.ToArray() : ints.Select(v => (double)v).ToArray();
        if (values.Length != length)
            throw new FormatException($"tensor '{name}' has {values.Length} values for dimensions [{string.Join(", ", dims)}]");
        return (name, new OnnxTensor(dims.ToArray(), values, IsInteger: type is not (Float or Double)));
    }

    private static OnnxValueInfo ParseValueInfo(ReadOnlySpan<byte> bytes)
    {
        string name = "";
        var dims = new List<long>();
        var reader = new ProtobufReader(bytes);
        while (reader.Next(out var field))
        {
            if (field.Number == 1) name = field.String;
            else if (field.Number == 2) ParseType(field.Bytes, dims);
        }
        return new OnnxValueInfo(name, dims.ToArray());
    }

    /// <summary>TypeProto.tensor_type (1) -> shape (2) -> dim (1) -> dim_value (1): symbolic dimensions become 0.</summary>
    private static void ParseType(ReadOnlySpan<byte> bytes, List<long> dims)
    {
        var type = new ProtobufReader(bytes);
        while (type.Next(out var tensorType))
        {
            if (tensorType.Number != 1) continue;
            var tensor = new ProtobufReader(tensorType.Bytes);
            while (tensor.Next(out var shape))
            {
                if (shape.Number != 2) continue;
                var dimensions = new ProtobufReader(shape.Bytes);
                while (dimensions.Next(out var dim))
                {
                    if (dim.Number != 1) continue;
                    long value = 0;
                    var d = new ProtobufReader(dim.Bytes);
                    while (d.Next(out var part))
                        if (part.Number == 1) value = part.Int64;
                    dims.Add(value);
                }
            }
        }
    }
}
