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
    /// value count (keeping only the labels and line numbers), pixels are parsed when an attack
    /// reaches each line. The first pass reads the lines into one reused buffer and fields as spans,
    /// so opening allocates nothing per line: a 784-value line is not made a string, let alone 785.
    /// </summary>
    public static ImageStream Open(string path, ImageShape? shape, IReadOnlyList<string>? classNames)
    {
        ImageShape? setShape = null;
        var labels = new List<int>();
        var lineNumbers = new List<int>();
        using (var lines = new TextLines(path))
        {
            while (lines.TryRead(out var text))
            {
                var line = text.Trim();
                var lineNumber = lines.Number;
                if (line.IsEmpty || (lineNumber == 1 && IsHeader(line, classNames))) continue;
                var values = line.Count(',');
                var lineShape = shape ?? InferShape(values, path, lineNumber);
                if (values != lineShape.Length)
                    throw new OnePixelException($"{path}, line {lineNumber}: expected a label and {lineShape.Length} pixel values for {lineShape} images, found {values} values.");
                labels.Add(ImageSetLoader.ResolveLabel(LabelField(line).Trim(), classNames, path, lineNumber));
                lineNumbers.Add(lineNumber);
                setShape ??= lineShape;
            }
        }
        if (setShape is not { } found)
            throw new OnePixelException($"{path}: holds no image line; expected lines of a label followed by pixel values.");
        return new ImageStream(path, found, labels.Count, classNames,
            i => new ImageEntry(NameOf(path, lineNumbers[i]), labels[i], i),
            () => DataLines(path, classNames).Select(line => (Func<ByteImage>)(() => Pixels(path, line.Number, line.Text, shape))));
    }

    private static string NameOf(string path, int lineNumber) => $"{Path.GetFileName(path)}:{lineNumber}";

    /// <summary>The lines that hold an image, trimmed: blank lines and a header are skipped.</summary>
    private static IEnumerable<(int Number, string Text)> DataLines(string path, IReadOnlyList<string>? classNames)
    {
        var lineNumber = 0;
        foreach (var rawLine in File.ReadLines(path))
        {
            lineNumber++;
            var line = rawLine.Trim();
            if (line.Length == 0 || (lineNumber == 1 && IsHeader(line, classNames))) continue;
            yield return (lineNumber, line);
        }
    }

    /// <summary>A first line whose first field is neither a number nor a class name is a header.</summary>
    private static bool IsHeader(ReadOnlySpan<char> line, IReadOnlyList<string>? classNames)
    {
        var first = LabelField(line);
        return !int.TryParse(first, out _) && !(classNames?.Contains(first.Trim().ToString()) ?? false);
    }

    private static ReadOnlySpan<char> LabelField(ReadOnlySpan<char> line) => line[..(line.IndexOf(',') is var comma and >= 0 ? comma : line.Length)];

    private static ByteImage Pixels(string path, int lineNumber, string line, ImageShape? shape)
    {
        var text = line.AsSpan();
        var values = text.Count(',');
        var pixels = new byte[values];
        var i = -1; // the label comes first
        foreach (var range in text.Split(','))
        {
            if (i >= 0)
            {
                var field = text[range];
                if (!int.TryParse(field, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) || v is < 0 or > 255)
                    throw new OnePixelException($"{path}, line {lineNumber}: value {i + 1} is '{field.Trim()}'; expected an integer 0..255.");
                pixels[i] = (byte)v;
            }
            i++;
        }
        // The value count was checked against the size when the file was opened.
        return new ByteImage(shape ?? InferShape(values, path, lineNumber), pixels);
    }

    /// <summary>Square images only: 784 values = 28x28x1, 3072 = 32x32x3; anything else needs --size.</summary>
    private static ImageShape InferShape(int values, string path, int lineNumber)
    {
        var side = (int)Math.Round(Math.Sqrt(values));
        if (side * side == values) return new ImageShape(side, side, 1);
        side = (int)Math.Round(Math.Sqrt(values / 3.0));
        if (values % 3 == 0 && side * side * 3 == values) return new ImageShape(side, side, 3);
        throw new OnePixelException($"{path}, line {lineNumber}: {values} pixel values are neither a square grayscale nor a square RGB image; give the size (--size WIDTHxHEIGHTxCHANNELS).");
    }
}
