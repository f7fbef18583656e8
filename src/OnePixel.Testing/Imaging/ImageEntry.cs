namespace OnePixel.Testing.Imaging;

/// <summary>
/// An image of a set before its pixels are read: its name, true label and position in the source.
/// What a test explorer lists (<see cref="ImageStream.Entries"/>): listing a large set reads names and
/// labels only.
/// </summary>
public sealed record ImageEntry(string Name, int Label, int Index);
