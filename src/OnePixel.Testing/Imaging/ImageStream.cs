namespace OnePixel.Testing.Imaging;

/// <summary>
/// An image set read from its files as it is attacked: names and labels are known when it is
/// opened (so a bad label or a missing file fails before any attack), pixels are read when the
/// enumeration reaches each image and dropped after. Attacking 10,000 images then costs the memory
/// of the few in flight, not of the set. Slices and shards choose positions without reading pixels.
/// </summary>
public sealed class ImageStream : IImageSource
{
    /// <summary>An image of the source before its pixels are read; <see cref="Load"/> reads them (call it before the enumeration moves on).</summary>
    internal readonly record struct Entry(string Name, int Label, Func<ByteImage> Load);

    private readonly Func<IEnumerable<Entry>> _entries;   // every image of the source, in order
    private readonly int[] _positions;                    // the chosen positions in the source, ascending
    private readonly int _total;
    private readonly string _firstName;

    // firstName: the image the shape was read from, named when another image differs.
    internal ImageStream(string source, ImageShape shape, string firstName, int total, IReadOnlyList<string>? classNames, Func<IEnumerable<Entry>> entries, int[]? positions = null)
    {
        if (total == 0)
            throw new OnePixelException($"{source}: the image set is empty; expected at least one image.");
        Source = source;
        Shape = shape;
        ClassNames = classNames;
        _firstName = firstName;
        _total = total;
        _entries = entries;
        _positions = positions ?? Enumerable.Range(0, total).ToArray();
    }

    public string Source { get; }

    /// <summary>The IDX labels file that goes with an IDX images file; null for other sources.</summary>
    public string? LabelsPath { get; init; }

    public ImageShape Shape { get; }
    public IReadOnlyList<string>? ClassNames { get; }
    public int Count => _positions.Length;

    public IEnumerable<LabeledImage> Read()
    {
        var next = 0;
        var position = 0;
        foreach (var entry in _entries())
        {
            if (next == _positions.Length) yield break;
            if (position == _positions[next])
            {
                var image = entry.Load();
                if (image.Shape != Shape)
                    throw ImageSet.DifferentSize(Source, entry.Name, image.Shape, _firstName, Shape);
                yield return new LabeledImage(entry.Name, image, entry.Label) { Index = position };
                next++;
            }
            position++;
        }
        if (next < _positions.Length)
            throw new OnePixelException($"{Source}: holds {position} images now, but {_total} when it was opened; expected the images not to change during the run.");
    }

    /// <summary>The images at these positions of the source (ascending), keeping their names and positions.</summary>
    public ImageStream Only(IReadOnlyList<int> positions) => With(SetSelection.Only(_positions, positions, p => p, Source));

    /// <summary>Images skip..skip+count, keeping their names and positions (as <see cref="ImageSet.Slice"/>).</summary>
    public ImageStream Slice(int skip, int? count) => With(SetSelection.Slice(_positions, skip, count, Source));

    /// <summary>Shard <paramref name="shard"/>: the chosen images at positions p with p mod N = I - 1 (as <see cref="ImageSet.Shard(ImageShard)"/>).</summary>
    public ImageStream Shard(ImageShard shard) => With(SetSelection.Shard(_positions, shard, Source));

    /// <summary>Shard <paramref name="index"/> of <paramref name="count"/> (index counted from 1).</summary>
    public ImageStream Shard(int index, int count) => Shard(new ImageShard(index, count));

    /// <summary>Every chosen image read into memory.</summary>
    public ImageSet ToImageSet() => new(Source, Read().ToList(), ClassNames) { LabelsPath = LabelsPath };

    private ImageStream With(List<int> positions) => new(Source, Shape, _firstName, _total, ClassNames, _entries, [.. positions]) { LabelsPath = LabelsPath };
}
