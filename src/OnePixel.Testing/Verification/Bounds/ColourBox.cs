namespace OnePixel.Testing.Verification.Bounds;

/// <summary>
/// The colours one pixel may take: an integer interval per channel (raw 8-bit values). Affine
/// functions of the colour are held as C + 1 coefficients (one per channel, then the constant);
/// their extremes over the box are at its corners.
/// </summary>
internal sealed class ColourBox
{
    public ColourBox(int[] low, int[] high)
    {
        Low = low;
        High = high;
    }

    public int[] Low { get; }
    public int[] High { get; }
    public int Channels => Low.Length;

    /// <summary>Colours in the box.</summary>
    public long Count
    {
        get
        {
            long n = 1;
            for (var c = 0; c < Low.Length; c++) n *= High[c] - Low[c] + 1;
            return n;
        }
    }

    public static ColourBox Full(int channels) => new(new int[channels], Enumerable.Repeat(255, channels).ToArray());

    /// <summary>The least value of the affine function <paramref name="f"/> over the box.</summary>
    public double Min(ReadOnlySpan<double> f)
    {
        var sum = f[Low.Length];
        for (var c = 0; c < Low.Length; c++) sum += f[c] >= 0 ? f[c] * Low[c] : f[c] * High[c];
        return sum;
    }

    /// <summary>The greatest value of the affine function <paramref name="f"/> over the box.</summary>
    public double Max(ReadOnlySpan<double> f)
    {
        var sum = f[Low.Length];
        for (var c = 0; c < Low.Length; c++) sum += f[c] >= 0 ? f[c] * High[c] : f[c] * Low[c];
        return sum;
    }

    /// <summary>The corner where <paramref name="f"/> is least: the relaxation's best guess at a counterexample.</summary>
    public byte[] ArgMin(ReadOnlySpan<double> f)
    {
        var colour = new byte[Low.Length];
        for (var c = 0; c < Low.Length; c++) colour[c] = (byte)(f[c] > 0 ? Low[c] : f[c] < 0 ? High[c] : (Low[c] + High[c]) / 2);
        return colour;
    }

    /// <summary>
    /// The channel, among those holding more than one value, along which <paramref name="f"/> changes
    /// most across the box (|coefficient| times width); the widest such channel when f is flat.
    /// </summary>
    public int Steepest(ReadOnlySpan<double> f)
    {
        int best = -1;
        double most = -1;
        for (var c = 0; c < Low.Length; c++)
        {
            var width = High[c] - Low[c];
            if (width == 0) continue;
            var change = Math.Abs(f[c]) * width + width * 1e-12; // ties (a flat f): the widest
            if (change > most) (best, most) = (c, change);
        }
        return Math.Max(best, 0);
    }

    /// <summary>The box cut in half across channel <paramref name="channel"/> (which must hold more than one value).</summary>
    public List<ColourBox> Halves(int channel)
    {
        var middle = (Low[channel] + High[channel]) / 2;
        var lowerHigh = (int[])High.Clone();
        lowerHigh[channel] = middle;
        var upperLow = (int[])Low.Clone();
        upperLow[channel] = middle + 1;
        return [new ColourBox(Low, lowerHigh), new ColourBox(upperLow, High)];
    }

    /// <summary>
    /// The box cut in half across every channel that holds more than one value: 2^C parts for a box
    /// wide in all C channels (octants of a colour cube), the first channel slowest. A colour box is
    /// only 1 or 3 wide dimensions, and bounds tighten fast as a box narrows in every one of them: one
    /// cut into octants costs 8 bounds where cutting one channel at a time costs 14 for the same
    /// octants (the halves and quarters in between, the widest and so the dearest boxes, rarely certify).
    /// </summary>
    public List<ColourBox> Halves()
    {
        var parts = new List<ColourBox> { this };
        for (var c = 0; c < Channels; c++)
        {
            if (High[c] == Low[c]) continue;
            var middle = (Low[c] + High[c]) / 2;
            var next = new List<ColourBox>(parts.Count * 2);
            foreach (var part in parts)
            {
                var lowerHigh = (int[])part.High.Clone();
                lowerHigh[c] = middle;
                var upperLow = (int[])part.Low.Clone();
                upperLow[c] = middle + 1;
                next.Add(new ColourBox(part.Low, lowerHigh));
                next.Add(new ColourBox(upperLow, part.High));
            }
            parts = next;
        }
        return parts;
    }

    /// <summary>Every colour of the box, the first channel slowest.</summary>
    public IEnumerable<byte[]> Colours()
    {
        var colour = Low.Select(v => (byte)v).ToArray();
        while (true)
        {
            yield return (byte[])colour.Clone();
            var c = Low.Length - 1;
            while (c >= 0 && colour[c] == High[c])
            {
                colour[c] = (byte)Low[c];
                c--;
            }
            if (c < 0) yield break;
            colour[c]++;
        }
    }

    public override string ToString() => string.Join(" x ", Low.Select((l, c) => $"{l}..{High[c]}"));
}
