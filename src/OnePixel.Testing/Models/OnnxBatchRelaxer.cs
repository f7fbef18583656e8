using System.Buffers;

namespace OnePixel.Testing.Models;

/// <summary>
/// Rewrites an ONNX model, in memory, so that its batch dimension is symbolic: the leading
/// dimension of the image input and of every graph output becomes <c>"batch"</c>, and the
/// intermediate shape hints (<c>graph.value_info</c>, optional) are dropped so that none of them
/// still pins the batch to its old size. Nothing else changes: every other field is copied byte for
/// byte. Whether the rewritten graph really computes each image independently (a Reshape to a
/// constant [1, -1] would not) is not decided here: <see cref="OnnxClassifier"/> proves it by
/// output parity on probe images before it uses the result.
/// </summary>
/// <remarks>
/// A minimal protobuf walker (<see cref="ProtobufWire"/>) rather than a generated ONNX binding: only five message types on one
/// path are touched (ModelProto.graph 7, GraphProto.input 11 / output 12 / value_info 13,
/// ValueInfoProto.type 2, TypeProto.tensor_type 1, TypeProto.Tensor.shape 2,
/// TensorShapeProto.dim 1, Dimension.dim_value 1 / dim_param 2), so a dependency on
/// Google.Protobuf and the ONNX schema would buy nothing.
/// </remarks>
internal static class OnnxBatchRelaxer
{
    public const string BatchParameter = "batch";

    /// <summary>The rewritten model, or null when the file is not a protobuf this walker understands.</summary>
    public static byte[]? Relax(ReadOnlySpan<byte> model, string inputName)
    {
        try
        {
            var writer = new ArrayBufferWriter<byte>(model.Length + 64);
            var changed = RewriteMessage(model, writer, (field, value, output) =>
                field == 7 ? RewriteGraph(value, output, inputName) : (bool?)null);
            return changed ? writer.WrittenSpan.ToArray() : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static bool RewriteGraph(ReadOnlySpan<byte> graph, IBufferWriter<byte> output, string inputName)
    {
        var dropped = false;
        var changed = RewriteMessage(graph, output, (field, value, writer) =>
        {
            if (field == 13) { dropped = true; return false; } // value_info: shape hints only; leave out
            if (field == 11 && NameOf(value) == inputName) return RewriteValueInfo(value, writer);
            if (field == 12) return RewriteValueInfo(value, writer);
            return null;
        }, skipWhen: (field, _) => field == 13);
        return changed || dropped;
    }

    private static bool RewriteValueInfo(ReadOnlySpan<byte> valueInfo, IBufferWriter<byte> output) =>
        RewriteMessage(valueInfo, output, (field, value, writer) => field == 2
            ? RewriteMessage(value, writer, (f, v, w) => f == 1
                ? RewriteMessage(v, w, (f2, v2, w2) => f2 == 2 ? RewriteShape(v2, w2) : (bool?)null)
                : null)
            : null);

    /// <summary>Replaces the first dimension (dim_value N) with dim_param "batch".</summary>
    private static bool RewriteShape(ReadOnlySpan<byte> shape, IBufferWriter<byte> output)
    {
        var first = true;
        return RewriteMessage(shape, output, (field, value, writer) =>
        {
            if (field != 1 || !first) return null;
            first = false;
            var dimension = new ArrayBufferWriter<byte>();
            ProtobufWire.WriteTag(dimension, 2, ProtobufWire.LengthDelimited);
            var name = System.Text.Encoding.UTF8.GetBytes(BatchParameter);
            ProtobufWire.WriteVarint(dimension, (ulong)name.Length);
            dimension.Write(name);
            writer.Write(dimension.WrittenSpan);
            return true;
        });
    }

    /// <summary>
    /// For a length-delimited field: writes the field's new content and returns whether it changed,
    /// or returns null to have the field copied as it is.
    /// </summary>
    private delegate bool? FieldRewrite(int field, ReadOnlySpan<byte> value, IBufferWriter<byte> output);

    private static bool RewriteMessage(ReadOnlySpan<byte> message, IBufferWriter<byte> output, FieldRewrite rewrite, Func<int, int, bool>? skipWhen = null)
    {
        var changed = false;
        var position = 0;
        while (position < message.Length)
        {
            var start = position;
            var tag = ProtobufWire.ReadVarint(message, ref position);
            var field = (int)(tag >> 3);
            var wire = (int)(tag & 7);
            if (field <= 0) throw new FormatException("field number 0");
            switch (wire)
            {
                case ProtobufWire.Varint:
                    ProtobufWire.ReadVarint(message, ref position);
                    break;
                case ProtobufWire.Fixed64:
                    position += 8;
                    break;
                case ProtobufWire.Fixed32:
                    position += 4;
                    break;
                case ProtobufWire.LengthDelimited:
                {
                    var length = (int)ProtobufWire.ReadVarint(message, ref position);
                    if (length < 0 || position + length > message.Length) throw new FormatException("length out of range");
                    var value = message.Slice(position, length);
                    position += length;
                    if (skipWhen?.Invoke(field, wire) == true) continue;
                    var content = new ArrayBufferWriter<byte>(length + 16);
                    var result = rewrite(field, value, content);
                    if (result is null)
                    {
                        output.Write(message[start..position]);
                        continue;
                    }
                    changed |= result.Value;
                    ProtobufWire.WriteTag(output, field, ProtobufWire.LengthDelimited);
                    ProtobufWire.WriteVarint(output, (ulong)content.WrittenCount);
                    output.Write(content.WrittenSpan);
                    continue;
                }
                default:
                    throw new FormatException($"wire type {wire}");
            }
            if (position > message.Length) throw new FormatException("truncated field");
            output.Write(message[start..position]);
        }
        return changed;
    }

    /// <summary>The name (field 1) of a ValueInfoProto.</summary>
    private static string? NameOf(ReadOnlySpan<byte> valueInfo)
    {
        var reader = new ProtobufReader(valueInfo);
        while (reader.Next(out var field))
            if (field.Number == 1 && field.Wire == ProtobufWire.LengthDelimited) return field.String;
        return null;
    }
}
