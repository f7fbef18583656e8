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

    public static ImageSet Load(ImageSetSource source)
    {
        var path = source.Path;
        if (Directory.Exists(path))
            return LoadFolder(path, source.ClassNames);
        if (!File.Exists(path))
            throw new OnePixelException($"{path}: image source not found; expected a folder (with {LabelsFileName} or one sub-folder per class), an IDX images file or a CSV file.");
        if (path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
            return CsvImageFile.Load(path, source.CsvShape, source.ClassNames);
        if (source.LabelsPath is null)
            throw new OnePixelException($"{path}: an IDX images file needs its labels file (--labels FILE).");
        return LoadIdx(path, source.LabelsPath, source.ClassNames);
    }

    public static ImageSet Load(string path, IReadOnlyList<string>? classNames = null) => Load(new ImageSetSource(path) { ClassNames = classNames });

    private static ImageSet LoadIdx(string imagesPath, string labelsPath, IReadOnlyList<string>? classNames)
    {
        var images = IdxFile.ReadImages(imagesPath);
        var labels = IdxFile.ReadLabels(labelsPath);
        if (images.Count != labels.Count)
            throw new OnePixelException($"{labelsPath}: holds {labels.Count} labels, but {imagesPath} holds {images.Count} images; expected one label per image.");
        var width = images.Count.ToString().Length;
        var labeled = images.Select((image, i) => new LabeledImage($"{Path.GetFileName(imagesPath)}#{i.ToString().PadLeft(width, '0')}", image, labels[i])).ToList();
        return new ImageSet(imagesPath, labeled, classNames);
    }

    private static ImageSet LoadFolder(string folder, IReadOnlyList<string>? classNames)
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
        return File.Exists(labelsFile)
            ? LoadLabelsCsv(folder, labelsFile, classNames)
            : LoadClassFolders(folder, classNames);
    }

    private static ImageSet LoadLabelsCsv(string folder, string labelsFile, IReadOnlyList<string>? classNames)
    {
        var root = Path.GetFullPath(folder);
        var images = new List<LabeledImage>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var rawLine in File.ReadLines(labelsFile))
        {
            lineNumber++;
            var line = rawLine.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var fields = line.Split(',').Select(f => f.Trim()).ToArray();
            if (lineNumber == 1 && fields[0].Equals("file", StringComparison.OrdinalIgnoreCase)) continue;
            var where = $"{labelsFile}, line {lineNumber}";
            if (fields.Length < 2 || fields[0].Length == 0 || fields[1].Length == 0)
                throw new OnePixelException($"{where}: expected 'file,label', found '{line}'.");
            if (fields[0].IndexOfAny(Path.GetInvalidPathChars()) >= 0 || fields[0].Contains('\0'))
                throw new OnePixelException($"{where}: the file name '{fields[0].Replace("\0", "\\0")}' holds characters a path cannot have.");
            var file = Path.GetFullPath(Path.Combine(root, fields[0]));
            if (!file.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                throw new OnePixelException($"{where}: the path '{fields[0]}' leads outside the folder {folder}; expected a file inside it.");
            if (!seen.Add(file))
                throw new OnePixelException($"{where}: '{fields[0]}' is listed twice; expected each image once.");
            if (!File.Exists(file))
                throw new OnePixelException($"{where}: the image '{fields[0]}' does not exist in {folder}.");
            var label = ResolveLabel(fields[1], classNames, where);
            images.Add(new LabeledImage(fields[0], ImageFile.Load(file), label));
        }
        if (images.Count == 0)
            throw new OnePixelException($"{labelsFile}: lists no image; expected lines of 'file,label'.");
        return new ImageSet(folder, images, classNames);
    }

    private static ImageSet LoadClassFolders(string folder, IReadOnlyList<string>? classNames)
    {
        var classFolders = Directory.GetDirectories(folder).Select(Path.GetFileName).OfType<string>()
            .Where(name => !name.StartsWith('.')).Order(StringComparer.Ordinal).ToList();
        if (classFolders.Count == 0)
            throw new OnePixelException($"{folder}: holds neither {LabelsFileName} nor class sub-folders; expected one of them.");
        // Without class names from the model or classes.txt, folders are classes in sorted order (as torchvision's ImageFolder does).
        classNames ??= classFolders.All(n => int.TryParse(n, out _)) ? null : classFolders;
        var images = new List<LabeledImage>();
        foreach (var classFolder in classFolders)
        {
            var label = ResolveLabel(classFolder, classNames, Path.Combine(folder, classFolder));
            var files = Directory.GetFiles(Path.Combine(folder, classFolder))
                .Where(f => ImageExtensions.Contains(Path.GetExtension(f))).Order(StringComparer.Ordinal);
            images.AddRange(files.Select(f => new LabeledImage($"{classFolder}/{Path.GetFileName(f)}", ImageFile.Load(f), label)));
        }
        if (images.Count == 0)
            throw new OnePixelException($"{folder}: the class sub-folders hold no PNG or JPEG image.");
        return new ImageSet(folder, images, classNames);
    }

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
