namespace OnePixel.Testing.Imaging;

/// <summary>Images, their true labels and the class names, held in memory.</summary>
public sealed class ImageSet : IImageSource
{
    public ImageSet(string source, IReadOnlyList<LabeledImage> images, IReadOnlyList<string>? classNames = null)
    {
        Source = source;
        // Images keep the index a loader gave them; a fresh set numbers them by position.
        Images = images.All(i => i.Index == 0) ? images.Select((image, i) => image with { Index = i }).ToList() : images;
        ClassNames = classNames;
        if (images.Count == 0)
            throw new OnePixelException($"{source}: the image set is empty; expected at least one image.");
        var shape = images[0].Image.Shape;
        foreach (var image in Images)
        {
            if (image.Image.Shape != shape)
                throw DifferentSize(source, image.Name, image.Image.Shape, images[0].Name, shape);
            if (image.Label < 0 || (classNames is not null && image.Label >= classNames.Count))
                throw new OnePixelException($"{source}: image '{image.Name}' has label {image.Label}, expected 0..{(classNames?.Count ?? int.MaxValue) - 1}.");
        }
        Shape = shape;
    }

    /// <summary>The error for an image whose size differs from the set's first (also raised by <see cref="ImageStream"/>).</summary>
    internal static OnePixelException DifferentSize(string source, string name, ImageShape shape, string firstName, ImageShape firstShape) =>
        new($"{source}: image '{name}' is {shape}, but '{firstName}' is {firstShape}; every image of a set must have the same size and channels.");

    /// <summary>Where the set came from (folder or file), for messages and reports.</summary>
    public string Source { get; }

    /// <summary>The IDX labels file that goes with an IDX images file; null for other sources.</summary>
    public string? LabelsPath { get; init; }

    public IReadOnlyList<LabeledImage> Images { get; }
    public IReadOnlyList<string>? ClassNames { get; }
    public ImageShape Shape { get; }
    public int Count => Images.Count;

    public IEnumerable<LabeledImage> Read() => Images;

    /// <summary>The images at these positions of the source (<see cref="LabeledImage.Index"/>, ascending), keeping their names.</summary>
    public ImageSet Only(IReadOnlyList<int> positions) => new(Source, SetSelection.Only(Images, positions, i => i.Index, Source), ClassNames) { LabelsPath = LabelsPath };

    /// <summary>Images skip..skip+count, keeping their names (and so their identity in reports).</summary>
    public ImageSet Slice(int skip, int? count) => new(Source, SetSelection.Slice(Images, skip, count, Source), ClassNames) { LabelsPath = LabelsPath };

    /// <summary>
    /// Shard <paramref name="shard"/> of this set: the images at positions p with p mod N = I - 1,
    /// keeping their names and indices. A shard with no image (more shards than images) is an error.
    /// </summary>
    public ImageSet Shard(ImageShard shard) => new(Source, SetSelection.Shard(Images, shard, Source), ClassNames) { LabelsPath = LabelsPath };

    /// <summary>Shard <paramref name="index"/> of <paramref name="count"/> (index counted from 1).</summary>
    public ImageSet Shard(int index, int count) => Shard(new ImageShard(index, count));

    public ImageSet WithClassNames(IReadOnlyList<string> classNames) => new(Source, Images, classNames) { LabelsPath = LabelsPath };
}
