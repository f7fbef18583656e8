namespace OnePixel.Testing.Imaging;

/// <summary>Where an image set comes from, and what the loader needs to know about it.</summary>
public sealed record ImageSetSource(string Path)
{
    /// <summary>The IDX labels file that goes with an IDX images file.</summary>
    public string? LabelsPath { get; init; }

    /// <summary>The image size of a CSV file whose rows are not square grayscale or RGB images.</summary>
    public ImageShape? CsvShape { get; init; }

    /// <summary>Class names known from elsewhere (the model's), used to resolve labels given as names.</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }
}

/// <summary>
/// Loads an image set from a folder (labels.csv, or one sub-folder per class), an IDX images file
/// with its labels file, or a CSV file of label + pixel values.
/// </summary>
public static class ImageSetLoader
{
    public const string LabelsFileName = "labels.csv";
    public const string ClassesFileName = "classes.txt";

    private static readonly HashSet<string> ImageExtensions = new(StringComparer.OrdinalIgnoreCase) { ".png", ".jpg", ".jpeg" };
    private static readonly System.Buffers.SearchValues<char> InvalidPathChars = System.Buffers.SearchValues.Create([.. Path.GetInvalidPathChars(), '\0']);

    /// <summary>Reads every image into memory (small sets, and callers that need them all at once).</summary>
    public static ImageSet Load(ImageSetSource source) => Open(source).ToImageSet();

    public static ImageSet Load(string path, IReadOnlyList<string>? classNames = null) => Load(new ImageSetSource(path) { ClassNames = classNames });

    /// <summary>
    /// Opens a set to be read one image at a time: names, labels and the image size are checked now,
    /// pixels are read as an attack reaches each image (see <see cref="ImageStream"/>).
    /// </summary>
    public static ImageStream Open(ImageSetSource source)
    {
        var path = source.Path;
        if (Directory.Exists(path))
            return OpenFolder(path, source.ClassNames);
        if (!File.Exists(path))
            throw new OnePixelException($"{path}: image source not found; expected a folder (with {LabelsFileName} or one sub-folder per class), an IDX images file or a CSV file.");
        if (path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
            return CsvImageFile.Open(path, source.CsvShape, source.ClassNames);
        if (source.LabelsPath is null)
            throw new OnePixelException($"{path}: an IDX images file needs its labels file (--labels FILE).");
        return OpenIdx(path, source.LabelsPath, source.ClassNames);
    }

    public static ImageStream Open(string path, IReadOnlyList<string>? classNames = null) => Open(new ImageSetSource(path) { ClassNames = classNames });

    private static ImageStream OpenIdx(string imagesPath, string labelsPath, IReadOnlyList<string>? classNames)
    {
        var images = IdxFile.OpenImages(imagesPath);
        var labels = IdxFile.ReadLabels(labelsPath);
        if (images.Count != labels.Count)
            throw new OnePixelException($"{labelsPath}: holds {labels.Count} labels, but {imagesPath} holds {images.Count} images; expected one label per image.");
        var width = images.Count.ToString().Length;
        string NameOf(int i) => $"{Path.GetFileName(imagesPath)}#{i.ToString().PadLeft(width, '0')}";
        for (var i = 0; i < labels.Count; i++)
            if (classNames is not null && labels[i] >= classNames.Count)
                throw new OnePixelException($"{imagesPath}: image '{NameOf(i)}' has label {labels[i]}, expected 0..{classNames.Count - 1}.");
        return new ImageStream(imagesPath, images.Shape, images.Count, classNames,
            i => new ImageEntry(NameOf(i), labels[i], i),
            () => images.Read().Select(image => (Func<ByteImage>)(() => image))) { LabelsPath = labelsPath };
    }

    /// <summary>An image of a folder: its name in reports (its path inside the folder) and its label.</summary>
    private sealed record FolderImage(string Name, int Label);

    private static ImageStream OpenFolder(string folder, IReadOnlyList<string>? classNames)
    {
        var classesFile = Path.Combine(folder, ClassesFileName);
        if (File.Exists(classesFile))
        {
            var fromFile = File.ReadAllLines(classesFile).Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
            if (classNames is not null && !classNames.SequenceEqual(fromFile))
                throw new OnePixelException($"{classesFile}: lists the classes [{string.Join(", ", fromFile)}], but the model's are [{string.Join(", ", classNames)}]; expected the same names in the same order.");
            classNames = fromFile;
        }
        var labelsFile = Path.Combine(folder, LabelsFileName);
        var images = File.Exists(labelsFile)
            ? ListLabelsCsv(folder, labelsFile, classNames)
            : ListClassFolders(folder, ref classNames);
        // The first image gives the set's size; the others are checked against it as they are read.
        // A file's path is made again when it is read (not kept for each image of a large set).
        var shape = ImageFile.Load(Path.Combine(folder, images[0].Name)).Shape;
        return new ImageStream(folder, shape, images.Count, classNames,
            i => new ImageEntry(images[i].Name, images[i].Label, i),
            () => images.Select(i => (Func<ByteImage>)(() => ImageFile.Load(Path.Combine(folder, i.Name)))));
    }

    // Listing a large set allocates little per line (spans, messages built only for a bad line), so
    // opening 10,000 images leaves the garbage collector little to do before the attack starts.
    private static List<FolderImage> ListLabelsCsv(string folder, string labelsFile, IReadOnlyList<string>? classNames)
    {
        var root = Path.GetFullPath(folder);
        var inside = root + Path.DirectorySeparatorChar;
        var images = new List<FolderImage>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var lineNumber = 0;
        string Where() => $"{labelsFile}, line {lineNumber}";
        foreach (var rawLine in File.ReadLines(labelsFile))
        {
            lineNumber++;
            var line = rawLine.AsSpan().Trim();
            if (line.IsEmpty || line[0] == '#') continue;
            var comma = line.IndexOf(',');
            var fileField = (comma < 0 ? line : line[..comma]).Trim();
            var rest = comma < 0 ? [] : line[(comma + 1)..];
            var labelField = (rest.IndexOf(',') is var next and >= 0 ? rest[..next] : rest).Trim();
            if (lineNumber == 1 && fileField.Equals("file", StringComparison.OrdinalIgnoreCase)) continue;
            if (comma < 0 || fileField.IsEmpty || labelField.IsEmpty)
                throw new OnePixelException($"{Where()}: expected 'file,label', found '{line}'.");
            var name = fileField.ToString();
            if (name.AsSpan().IndexOfAny(InvalidPathChars) >= 0)
                throw new OnePixelException($"{Where()}: the file name '{name.Replace("\0", "\\0")}' holds characters a path cannot have.");
            var file = Path.GetFullPath(name, root);
            if (!file.StartsWith(inside, StringComparison.Ordinal))
                throw new OnePixelException($"{Where()}: the path '{name}' leads outside the folder {folder}; expected a file inside it.");
            if (!seen.Add(file))
                throw new OnePixelException($"{Where()}: '{name}' is listed twice; expected each image once.");
            if (!File.Exists(file))
                throw new OnePixelException($"{Where()}: the image '{name}' does not exist in {folder}.");
            images.Add(new FolderImage(name, ResolveLabel(labelField, classNames, labelsFile, lineNumber)));
        }
        if (images.Count == 0)
            throw new OnePixelException($"{labelsFile}: lists no image; expected lines of 'file,label'.");
        return images;
    }

    private static List<FolderImage> ListClassFolders(string folder, ref IReadOnlyList<string>? classNames)
    {
        var classFolders = Directory.GetDirectories(folder).Select(Path.GetFileName).OfType<string>()
            .Where(name => !name.StartsWith('.')).Order(StringComparer.Ordinal).ToList();
        if (classFolders.Count == 0)
            throw new OnePixelException($"{folder}: holds neither {LabelsFileName} nor class sub-folders; expected one of them.");
        // Without class names from the model or classes.txt, folders are classes in sorted order (as torchvision's ImageFolder does).
        classNames ??= classFolders.All(n => int.TryParse(n, out _)) ? null : classFolders;
        var images = new List<FolderImage>();
        foreach (var classFolder in classFolders)
        {
            var label = ResolveLabel(classFolder, classNames, Path.Combine(folder, classFolder));
            var files = Directory.GetFiles(Path.Combine(folder, classFolder))
                .Where(f => ImageExtensions.Contains(Path.GetExtension(f))).Order(StringComparer.Ordinal);
            images.AddRange(files.Select(f => new FolderImage($"{classFolder}/{Path.GetFileName(f)}", label)));
        }
        if (images.Count == 0)
            throw new OnePixelException($"{folder}: the class sub-folders hold no PNG or JPEG image.");
        return images;
    }

    /// <summary>
    /// The label field of line <paramref name="lineNumber"/> of <paramref name="file"/>, as
    /// <see cref="ResolveLabel(string, IReadOnlyList{string}?, string)"/>; a class index in range (the
    /// common case when listing a large set) allocates nothing.
    /// </summary>
    internal static int ResolveLabel(ReadOnlySpan<char> text, IReadOnlyList<string>? classNames, string file, int lineNumber) =>
        int.TryParse(text, out var index) && index >= 0 && (classNames is null || index < classNames.Count)
            ? index
            : ResolveLabel(text.ToString(), classNames, $"{file}, line {lineNumber}");

    /// <summary>A label is a class index, or a class name when class names are known.</summary>
    public static int ResolveLabel(string text, IReadOnlyList<string>? classNames, string where)
    {
        if (int.TryParse(text, out var index))
        {
            if (index < 0 || (classNames is not null && index >= classNames.Count))
                throw new OnePixelException($"{where}: label {index} is out of range; expected 0..{(classNames is null ? "" : classNames.Count - 1)}{(classNames is null ? "(a class index)" : "")}.");
            return index;
        }
        if (classNames is null)
            throw new OnePixelException($"{where}: label '{text}' is not a class index, and no class names are known to resolve it (add {ClassesFileName} or give the model's classes).");
        var found = classNames.ToList().FindIndex(n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase));
        if (found < 0)
            throw new OnePixelException($"{where}: unknown label '{text}'; expected a class index or one of [{string.Join(", ", classNames)}].");
        return found;
    }
}
