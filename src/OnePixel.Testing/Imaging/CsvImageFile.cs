using System.Globalization;

namespace OnePixel.Testing.Imaging;

/// <summary>
/// A CSV file whose lines are a label followed by the pixel values 0..255 in row-major HWC order
/// (the Kaggle MNIST layout). A header line is skipped.
/// </summary>
public static class CsvImageFile
{
    public static ImageSet Load(string path, ImageShape? shape, IReadOnlyList<string>? classNames) => Open(path, shape, classNames).ToImageSet();

    /// <summary>
    /// Opens the file to be read one image at a time: a first pass checks every line's label and
    /// value count (keeping only the labels), pixels are parsed when an attack reaches each line.
    /// </summary>
    public static ImageStream Open(string path, ImageShape? shape, IReadOnlyList<string>? classNames)
    {
        ImageShape? setShape = null;
        string? firstName = null;
        var labels = new List<int>();
        foreach (var (lineNumber, fields) in DataLines(path, classNames))
        {
            var where = $"{path}, line {lineNumber}";
            var values = fields.Length - 1;
            var lineShape = shape ?? InferShape(values, where);
            if (values != lineShape.Length)
                throw new OnePixelException($"{where}: expected a label and {lineShape.Length} pixel values for {lineShape} images, found {values} values.");
            labels.Add(ImageSetLoader.ResolveLabel(fields[0].Trim(), classNames, where));
            setShape ??= lineShape;
            firstName ??= NameOf(path, lineNumber);
        }
        if (setShape is not { } found)
            throw new OnePixelException($"{path}: holds no image line; expected lines of a label followed by pixel values.");
        return new ImageStream(path, found, firstName!, labels.Count, classNames,
            () => DataLines(path, classNames).Select((line, i) => new ImageStream.Entry(NameOf(path, line.Number), labels[i], () => Pixels(path, line.Number, line.Fields, shape))));
    }

    private static string NameOf(string path, int lineNumber) => $"{Path.GetFileName(path)}:{lineNumber}";

    /// <summary>The lines that hold an image, split into fields: blank lines and a header are skipped.</summary>
    private static IEnumerable<(int Number, string[] Fields)> DataLines(string path, IReadOnlyList<string>? classNames)
    {
        var lineNumber = 0;
        foreach (var rawLine in File.ReadLines(path))
        {
            lineNumber++;
            var line = rawLine.Trim();
            if (line.Length == 0) continue;
            var fields = line.Split(',');
            if (lineNumber == 1 && !int.TryParse(fields[0], out _) && !(classNames?.Contains(fields[0].Trim()) ?? false)) continue; // header
            yield return (lineNumber, fields);
        }
    }

    private static ByteImage Pixels(string path, int lineNumber, string[] fields, ImageShape? shape)
    {
        var values = fields.Length - 1;
        var pixels = new byte[values];
        for (var i = 0; i < values; i++)
        {
            if (!int.TryParse(fields[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) || v is < 0 or > 255)
                throw new OnePixelException($"{path}, line {lineNumber}: value {i + 1} is '{fields[i + 1].Trim()}'; expected an integer 0..255.");
            pixels[i] = (byte)v;
        }
        // The value count was checked against the size when the file was opened.
        return new ByteImage(shape ?? InferShape(values, $"{path}, line {lineNumber}"), pixels);
    }

    /// <summary>Square images only: 784 values = 28x28x1, 3072 = 32x32x3; anything else needs --size.</summary>
    private static ImageShape InferShape(int values, string where)
    {
        var side = (int)Math.Round(Math.Sqrt(values));
        if (side * side == values) return new ImageShape(side, side, 1);
        side = (int)Math.Round(Math.Sqrt(values / 3.0));
        if (values % 3 == 0 && side * side * 3 == values) return new ImageShape(side, side, 3);
        throw new OnePixelException($"{where}: {values} pixel values are neither a square grayscale nor a square RGB image; give the size (--size WIDTHxHEIGHTxCHANNELS).");
    }
}
