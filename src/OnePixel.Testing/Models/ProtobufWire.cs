using System.Buffers;

namespace OnePixel.Testing.Models;

/// <summary>
/// The protobuf wire format, as much of it as an ONNX file needs: varints, tags, and a reader that
/// walks a message's fields. Shared by <see cref="OnnxBatchRelaxer"/> (which rewrites a model) and the
/// verifier's ONNX reader (which reads one); a malformed message raises <see cref="FormatException"/>.
/// </summary>
internal static class ProtobufWire
{
    public const int Varint = 0, Fixed64 = 1, LengthDelimited = 2, Fixed32 = 5;

    public static ulong ReadVarint(ReadOnlySpan<byte> data, ref int position)
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (position >= data.Length) throw new FormatException("truncated varint");
            var b = data[position++];
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return result;
        }
        throw new FormatException("varint too long");
    }

    public static void WriteTag(IBufferWriter<byte> output, int field, int wire) => WriteVarint(output, (ulong)(field << 3 | wire));

    public static void WriteVarint(IBufferWriter<byte> output, ulong value)
    {
        Span<byte> buffer = stackalloc byte[10];
        var n = 0;
        do
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            if (value != 0) b |= 0x80;
            buffer[n++] = b;
        } while (value != 0);
        output.Write(buffer[..n]);
    }
}

/// <summary>One field of a message: its number, wire type, and its value (a varint, fixed bits, or the bytes of a length-delimited field).</summary>
internal readonly ref struct ProtobufField(int number, int wire, ulong scalar, ReadOnlySpan<byte> bytes)
{
    public int Number { get; } = number;
    public int Wire { get; } = wire;

    /// <summary>A varint's value, or the raw bits of a fixed32 / fixed64 field.</summary>
    public ulong Scalar { get; } = scalar;

    /// <summary>A length-delimited field's content (a sub-message, a string, or a packed array).</summary>
    public ReadOnlySpan<byte> Bytes { get; } = bytes;

    public long Int64 => (long)Scalar;
    public float Float => BitConverter.Int32BitsToSingle((int)(uint)Scalar);
    public string String => System.Text.Encoding.UTF8.GetString(Bytes);
}

/// <summary>Walks the fields of one protobuf message in order: <c>while (reader.Next(out var field)) ...</c>.</summary>
internal ref struct ProtobufReader(ReadOnlySpan<byte> message)
{
    private readonly ReadOnlySpan<byte> _message = message;
    private int _position;

    public bool Next(out ProtobufField field)
    {
        if (_position >= _message.Length)
        {
            field = default;
            return false;
        }
        var tag = ProtobufWire.ReadVarint(_message, ref _position);
        var number = (int)(tag >> 3);
        var wire = (int)(tag & 7);
        if (number <= 0) throw new FormatException("field number 0");
        switch (wire)
        {
            case ProtobufWire.Varint:
                field = new ProtobufField(number, wire, ProtobufWire.ReadVarint(_message, ref _position), default);
                return true;
            case ProtobufWire.Fixed64:
                if (_position + 8 > _message.Length) throw new FormatException("truncated field");
                field = new ProtobufField(number, wire, BitConverter.ToUInt64(_message.Slice(_position, 8)), default);
                _position += 8;
                return true;
            case ProtobufWire.Fixed32:
                if (_position + 4 > _message.Length) throw new FormatException("truncated field");
                field = new ProtobufField(number, wire, BitConverter.ToUInt32(_message.Slice(_position, 4)), default);
                _position += 4;
                return true;
            case ProtobufWire.LengthDelimited:
                var length = (long)ProtobufWire.ReadVarint(_message, ref _position);
                if (length < 0 || _position + length > _message.Length) throw new FormatException("length out of range");
                field = new ProtobufField(number, wire, 0, _message.Slice(_position, (int)length));
                _position += (int)length;
                return true;
            default:
                throw new FormatException($"wire type {wire}");
        }
    }

    /// <summary>The values of a repeated int64/int32 field, packed (one length-delimited run) or not (one varint).</summary>
    public static void AddVarints(in ProtobufField field, List<long> values)
    {
        if (field.Wire == ProtobufWire.Varint)
        {
            values.Add(field.Int64);
            return;
        }
        var data = field.Bytes;
        var position = 0;
        while (position < data.Length) values.Add((long)ProtobufWire.ReadVarint(data, ref position));
    }

    /// <summary>The values of a repeated float field, packed or not.</summary>
    public static void AddFloats(in ProtobufField field, List<double> values)
    {
        if (field.Wire == ProtobufWire.Fixed32)
        {
            values.Add(field.Float);
            return;
        }
        var data = field.Bytes;
        if (data.Length % 4 != 0) throw new FormatException("packed floats of odd length");
        for (var i = 0; i < data.Length; i += 4) values.Add(BitConverter.ToSingle(data.Slice(i, 4)));
    }

    /// <summary>The values of a repeated double field, packed or not.</summary>
    public static void AddDoubles(in ProtobufField field, List<double> values)
    {
        if (field.Wire == ProtobufWire.Fixed64)
        {
            values.Add(BitConverter.Int64BitsToDouble((long)field.Scalar));
            return;
        }
        var data = field.Bytes;
        if (data.Length % 8 != 0) throw new FormatException("packed doubles of odd length");
        for (var i = 0; i < data.Length; i += 8) values.Add(BitConverter.ToDouble(data.Slice(i, 8)));
    }
}
