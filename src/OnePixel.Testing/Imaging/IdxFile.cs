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

    /// <summary>The largest rank read here (images: count, rows, columns).</summary>
    private const int MaxRank = 3;

    /// <summary>Reads an images file (3 dimensions: count, rows, columns) as grayscale images, all into memory.</summary>
    public static IReadOnlyList<ByteImage> ReadImages(string path) => OpenImages(path).Read().ToArray();

    /// <summary>
    /// Opens an images file to be read one image at a time. The header and the data's length are
    /// checked now (one pass that keeps nothing), so a damaged file fails before any image is used.
    /// </summary>
    public static IdxImages OpenImages(string path)
    {
        var (dimensions, headerLength) = Inspect(path, expectedRank: 3);
        return new IdxImages(path, dimensions[0], new ImageShape(dimensions[2], dimensions[1], 1), headerLength);
    }

    /// <summary>Reads a labels file (1 dimension).</summary>
    public static IReadOnlyList<int> ReadLabels(string path)
    {
        var (dimensions, headerLength) = Inspect(path, expectedRank: 1);
        var labels = new byte[dimensions[0]];
        Guarded(path, () =>
        {
            using var stream = OpenData(path, headerLength);
            stream.ReadExactly(labels);
        });
        return labels.Select(b => (int)b).ToArray();
    }

    /// <summary>An IDX images file whose header was checked: its images are read in order, one at a time.</summary>
    public sealed class IdxImages
    {
        private readonly int _headerLength;

        internal IdxImages(string path, int count, ImageShape shape, int headerLength)
        {
            Path = path;
            Count = count;
            Shape = shape;
            _headerLength = headerLength;
        }

        public string Path { get; }
        public int Count { get; }
        public ImageShape Shape { get; }

        /// <summary>The images in order; the file is open while the enumeration runs.</summary>
        public IEnumerable<ByteImage> Read()
        {
            using var stream = Guarded(Path, () => OpenData(Path, _headerLength));
            for (var i = 0; i < Count; i++)
            {
                var pixels = new byte[Shape.Length];
                Guarded(Path, () => stream.ReadExactly(pixels));
                yield return new ByteImage(Shape, pixels);
            }
        }
    }

    /// <summary>The file's dimensions and header length, after checking the magic number, the dimensions and that the data is exactly as long as they say.</summary>
    private static (int[] Dimensions, int HeaderLength) Inspect(string path, int expectedRank)
    {
        if (!File.Exists(path))
            throw new OnePixelException($"{path}: IDX file not found.");
        var head = new byte[4 + 4 * MaxRank];
        var (headRead, total) = Guarded(path, () =>
        {
            using var stream = OpenDecompressed(path);
            var read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            long length = read;
            var scratch = new byte[81920];
            int n;
            while ((n = stream.Read(scratch)) > 0) length += n;
            return (read, length);
        });
        if (total < 4)
            throw new OnePixelException($"{path}: expected an IDX header of at least 4 bytes, found {total} bytes.");
        var magic = BinaryPrimitives.ReadUInt32BigEndian(head);
        var type = (byte)(magic >> 8);
        var rank = (int)(magic & 0xFF);
        if (magic >> 16 != 0 || type != UnsignedByteType || rank != expectedRank)
            throw new OnePixelException($"{path}: bad IDX magic number 0x{magic:X8}; expected 0x{0x800 | expectedRank:X8} (unsigned bytes, {expectedRank} dimension{(expectedRank == 1 ? "" : "s")}).");
        var headerLength = 4 + 4 * rank;
        if (headRead < headerLength)
            throw new OnePixelException($"{path}: the IDX header is truncated: expected {headerLength} bytes, found {total}.");
        var dimensions = new int[rank];
        long expected = 1;
        for (var d = 0; d < rank; d++)
        {
            var size = BinaryPrimitives.ReadUInt32BigEndian(head.AsSpan(4 + 4 * d));
            if (size == 0 || size > int.MaxValue)
                throw new OnePixelException($"{path}: IDX dimension {d} is {size}; expected a positive size.");
            dimensions[d] = (int)size;
            expected *= size;
        }
        if (total - headerLength != expected)
            throw new OnePixelException($"{path}: the IDX data is {(total - headerLength < expected ? "truncated" : "longer than its header says")}: the header [{string.Join(", ", dimensions)}] needs {expected} bytes, found {total - headerLength}.");
        return (dimensions, headerLength);
    }

    /// <summary>The file's bytes, decompressed when it is gzipped (its first two bytes say so).</summary>
    private static Stream OpenDecompressed(string path)
    {
        var file = File.OpenRead(path);
        Span<byte> magic = stackalloc byte[2];
        var read = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        file.Position = 0;
        return read == 2 && magic[0] == 0x1F && magic[1] == 0x8B ? new GZipStream(file, CompressionMode.Decompress) : file;
    }

    /// <summary>The data after the header.</summary>
    private static Stream OpenData(string path, int headerLength)
    {
        var stream = OpenDecompressed(path);
        Span<byte> header = stackalloc byte[headerLength];
        stream.ReadExactly(header);
        return stream;
    }

    /// <summary>Runs a read, turning a damaged gzip stream or a file that changed since it was checked into an error that names the file.</summary>
    private static T Guarded<T>(string path, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (InvalidDataException e)
        {
            throw new OnePixelException($"{path}: the gzip stream is damaged ({e.Message}); expected a gzipped IDX file.", e);
        }
        catch (EndOfStreamException e)
        {
            throw new OnePixelException($"{path}: the file ended early; it was complete when opened, so it changed during the run.", e);
        }
    }

    private static void Guarded(string path, Action read) => Guarded(path, () =>
    {
        read();
        return 0;
    });
}
