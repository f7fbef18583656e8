namespace OnePixel.Testing.Imaging;

/// <summary>
/// An image set read from its files as it is attacked: names and labels are known when it is
/// opened (so a bad label or a missing file fails before any attack, and <see cref="Entries"/> lists
/// them without reading pixels), pixels are read when the enumeration reaches each image and dropped after. Attacking 10,000 images then costs the memory
/// of the few in flight, not of the set. Slices and shards choose positions without reading pixels.
/// </summary>
public sealed class ImageStream : IImageSource
{
    private readonly Func<int, ImageEntry> _entryAt;                 // the name and label at a position of the source
    private readonly Func<IEnumerable<Func<ByteImage>>> _pixels;     // every image of the source, in order; each reads its pixels when called
    private readonly int[] _positions;                               // the chosen positions in the source, ascending
    private readonly int _total;

    // entryAt: names and labels, known when the source was opened (no pixels are read for them).
    // pixels: a reader per image, to be called before the enumeration moves on.
    internal ImageStream(string source, ImageShape shape, int total, IReadOnlyList<string>? classNames, Func<int, ImageEntry> entryAt, Func<IEnumerable<Func<ByteImage>>> pixels, int[]? positions = null)
    {
        if (total == 0)
            throw new OnePixelException($"{source}: the image set is empty; expected at least one image.");
        Source = source;
        Shape = shape;
        ClassNames = classNames;
        _total = total;
        _entryAt = entryAt;
        _pixels = pixels;
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
        foreach (var load in _pixels())
        {
            if (next == _positions.Length) yield break;
            if (position == _positions[next])
            {
                var entry = _entryAt(position);
                var image = load();
                if (image.Shape != Shape)
                    throw ImageSet.DifferentSize(Source, entry.Name, image.Shape, _entryAt(0).Name, Shape);
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

    /// <summary>
    /// The chosen images' names, labels and positions, in order, without reading any pixels: what a
    /// test explorer lists. Each call starts again from the first.
    /// </summary>
    public IEnumerable<ImageEntry> Entries() => _positions.Select(_entryAt);

    /// <summary>Images skip..skip+count, keeping their names and positions (as <see cref="ImageSet.Slice"/>).</summary>
    public ImageStream Slice(int skip, int? count) => With(SetSelection.Slice(_positions, skip, count, Source));

    /// <summary>Shard <paramref name="shard"/>: the chosen images at positions p with p mod N = I - 1 (as <see cref="ImageSet.Shard(ImageShard)"/>).</summary>
    public ImageStream Shard(ImageShard shard) => With(SetSelection.Shard(_positions, shard, Source));

    /// <summary>Shard <paramref name="index"/> of <paramref name="count"/> (index counted from 1).</summary>
    public ImageStream Shard(int index, int count) => Shard(new ImageShard(index, count));

    /// <summary>Every chosen image read into memory.</summary>
    public ImageSet ToImageSet() => new(Source, Read().ToList(), ClassNames) { LabelsPath = LabelsPath };

    private ImageStream With(List<int> positions) => new(Source, Shape, _total, ClassNames, _entryAt, _pixels, [.. positions]) { LabelsPath = LabelsPath };
}
