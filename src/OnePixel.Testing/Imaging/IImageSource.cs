namespace OnePixel.Testing.Imaging;

/// <summary>
/// Images that are read one at a time, in order: what an attack runs over. An <see cref="ImageSet"/>
/// holds its images in memory; an <see cref="ImageStream"/> reads each from its file only when it is
/// reached, so a set of any size is attacked in the memory of a few images.
/// </summary>
public interface IImageSource
{
    /// <summary>Where the images come from (folder or file), for messages and reports.</summary>
    string Source { get; }

    /// <summary>How many images <see cref="Read"/> gives.</summary>
    int Count { get; }

    /// <summary>The size and channels of every image.</summary>
    ImageShape Shape { get; }

    IReadOnlyList<string>? ClassNames { get; }

    /// <summary>
    /// The images in order, each read when the enumeration reaches it. A damaged image or one of
    /// another size fails here, with an error that names it. Each call starts again from the first.
    /// </summary>
    IEnumerable<LabeledImage> Read();
}
