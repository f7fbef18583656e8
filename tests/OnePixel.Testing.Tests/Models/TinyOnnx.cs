using System.Text;

namespace OnePixel.Testing.Tests.Models;

/// <summary>
/// Writes small ONNX models byte by byte (protobuf wire format), for graphs no bundled model has:
/// here, one whose outputs depend on the other images of the batch.
/// </summary>
internal static class TinyOnnx
{
    /// <summary>
    /// Input x [batch, 4] (a 2x2 grayscale image), output y = x - mean(x) where the mean is taken
    /// over the whole tensor, batch included (ReduceMean without axes): run one image at a time it
    /// is per-image centring, run batched it mixes images. Batch fixed at <paramref name="batch"/>.
    /// </summary>
    public static byte[] BatchMixingModel(int batch)
    {
        var reduce = Message(
            String(1, "x"), String(2, "m"), String(3, "mean"), String(4, "ReduceMean"));
        var subtract = Message(
            String(1, "x"), String(1, "m"), String(2, "y"), String(3, "centre"), String(4, "Sub"));
        var graph = Message(
            Field(1, reduce), Field(1, subtract), String(2, "batch-mixing"),
            Field(11, ValueInfo("x", batch, 4)), Field(12, ValueInfo("y", batch, 4)));
        var opset = Message(String(1, ""), Varint(2, 13));
        return Message(Varint(1, 8), String(2, "OnePixel.Testing.Tests"), Field(7, graph), Field(8, opset));
    }

    private static byte[] ValueInfo(string name, int batch, int width)
    {
        var shape = Message(Field(1, Message(Varint(1, batch))), Field(1, Message(Varint(1, width))));
        var tensor = Message(Varint(1, 1 /* FLOAT */), Field(2, shape));
        return Message(String(1, name), Field(2, Message(Field(1, tensor))));
    }

    private static byte[] Message(params byte[][] fields) => fields.SelectMany(f => f).ToArray();

    private static byte[] String(int field, string value) => Field(field, Encoding.UTF8.GetBytes(value));

    private static byte[] Field(int field, byte[] content) => [.. VarintBytes((ulong)(field << 3 | 2)), .. VarintBytes((ulong)content.Length), .. content];

    private static byte[] Varint(int field, long value) => [.. VarintBytes((ulong)(field << 3)), .. VarintBytes((ulong)value)];

    private static byte[] VarintBytes(ulong value)
    {
        var bytes = new List<byte>();
        do
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            if (value != 0) b |= 0x80;
            bytes.Add(b);
        } while (value != 0);
        return [.. bytes];
    }
}
