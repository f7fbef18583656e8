using System.Globalization;
using System.Text;

namespace OnePixel.Testing.Imaging;

/// <summary>
/// Positions of images in their source written as ranges, "0-9,20,31": how the command line's
/// --indices picks any selection of a set, so that a run on a selection no slice or shard describes
/// can still be repeated exactly.
/// </summary>
public static class ImageSelection
{
    /// <summary>Parses "0-9,20,31": positions 0-based, ascending, each once.</summary>
    public static int[] ParseIndices(string text, string what)
    {
        var positions = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            var dash = part.Length > 1 ? part.IndexOf('-', 1) : -1;
            var ok = int.TryParse(dash < 0 ? part : part[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var first);
            var end = first;
            if (ok && dash >= 0) ok = int.TryParse(part[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out end) && end >= first;
            if (!ok)
                throw new OnePixelException($"{what}: expected positions 0 or more and ranges such as 0-9,20,31; found '{part}' in '{text}'.");
            if (positions.Count > 0 && first <= positions[^1])
                throw new OnePixelException($"{what}: positions must ascend, each once; found {first} after {positions[^1]} in '{text}'.");
            for (var p = first; p <= end; p++) positions.Add(p);
        }
        return [.. positions];
    }

    /// <summary>Ascending positions as "0-9,20,31", the form <see cref="ParseIndices"/> reads.</summary>
    public static string FormatIndices(IReadOnlyList<int> positions)
    {
        var text = new StringBuilder();
        for (var i = 0; i < positions.Count;)
        {
            var j = i;
            while (j + 1 < positions.Count && positions[j + 1] == positions[j] + 1) j++;
            if (text.Length > 0) text.Append(',');
            text.Append(positions[i].ToString(CultureInfo.InvariantCulture));
            if (j > i) text.Append('-').Append(positions[j].ToString(CultureInfo.InvariantCulture));
            i = j + 1;
        }
        return text.ToString();
    }
}
