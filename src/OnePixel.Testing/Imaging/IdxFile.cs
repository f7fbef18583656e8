using System.Buffers.Binary;
using System.IO.Compression;

namespace OnePixel.Testing.Imaging;

/// <summary>
/// The IDX format of MNIST and Fashion-MNIST (gzipped or not): a big-endian magic number
/// 0x0000TTDD (TT = 0x08 for unsigned bytes, DD = number of dimensions), the dimensions, then the data.
/// </summary>
public static class IdxFile
{
    private const byte UnsignedByteType = 0x08;

    /// <summary>Reads an images file (3 dimensions: count, rows, columns) as grayscale images.</summary>
    public static IReadOnlyList<ByteImage> ReadImages(string path)
    {
        var (dimensions, data) = Read(path, expectedRank: 3);
        var shape = new ImageShape(dimensions[2], dimensions[1], 1);
        var images = new ByteImage[dimensions[0]];
        for (var i = 0; i < images.Length; i++)
            images[i] = new ByteImage(shape, data.AsSpan(i * shape.Length, shape.Length).ToArray());
        return images;
    }

    /// <summary>Reads a labels file (1 dimension).</summary>
    public static IReadOnlyList<int> ReadLabels(string path)
    {
        var (_, data) = Read(path, expectedRank: 1);
        return data.Select(b => (int)b).ToArray();
    }

    private static (int[] Dimensions, byte[] Data) Read(string path, int expectedRank)
    {
        if (!File.Exists(path))
            throw new OnePixelException($"{path}: IDX file not found.");
        byte[] bytes;
        try
        {
            bytes = ReadMaybeGzipped(path);
        }
        catch (InvalidDataException e)
        {
            throw new OnePixelException($"{path}: the gzip stream is damaged ({e.Message}); expected a gzipped IDX file.", e);
        }
        if (bytes.Length < 4)
            throw new OnePixelException($"{path}: expected an IDX header of at least 4 bytes, found {bytes.Length} bytes.");
        var magic = BinaryPrimitives.ReadUInt32BigEndian(bytes);
        var type = (byte)(magic >> 8);
        var rank = (int)(magic & 0xFF);
        if (magic >> 16 != 0 || type != UnsignedByteType || rank != expectedRank)
            throw new OnePixelException($"{path}: bad IDX magic number 0x{magic:X8}; expected 0x{0x800 | expectedRank:X8} (unsigned bytes, {expectedRank} dimension{(expectedRank == 1 ? "" : "s")}).");
        var headerLength = 4 + 4 * rank;
        if (bytes.Length < headerLength)
            throw new OnePixelException($"{path}: the IDX header is truncated: expected {headerLength} bytes, found {bytes.Length}.");
        var dimensions = new int[rank];
        long expected = 1;
        for (var d = 0; d < rank; d++)
        {
            var size = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(4 + 4 * d));
            if (size == 0 || size > int.MaxValue)
                throw new OnePixelException($"{path}: IDX dimension {d} is {size}; expected a positive size.");
            dimensions[d] = (int)size;
            expected *= size;
        }
        if (bytes.Length - headerLength != expected)
            throw new OnePixelException($"{path}: the IDX data is {(bytes.Length - headerLength < expected ? "truncated" : "longer than its header says")}: the header [{string.Join(", ", dimensions)}] needs {expected} bytes, found {bytes.Length - headerLength}.");
        return (dimensions, bytes[headerLength..]);
    }

    private static byte[] ReadMaybeGzipped(string path)
    {
        var raw = File.ReadAllBytes(path);
        if (raw.Length < 2 || raw[0] != 0x1F || raw[1] != 0x8B)
            return raw;
        using var gzip = new GZipStream(new MemoryStream(raw), CompressionMode.Decompress);
        using var output = new MemoryStream();
        gzip.CopyTo(output);
        return output.ToArray();
    }
}
