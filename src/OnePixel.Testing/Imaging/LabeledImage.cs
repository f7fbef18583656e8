namespace OnePixel.Testing.Imaging;

/// <summary>An image with its true class and a name a person can find it by (file name or index).</summary>
public sealed record LabeledImage(string Name, ByteImage Image, int Label)
{
    /// <summary>Position in the source the image came from; kept when a set is sliced or sharded.</summary>
    public int Index { get; init; }
}
