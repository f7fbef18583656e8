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

    /// <summary>The two halves of the box split across its widest channel (the first of equals).</summary>
    public (ColourBox Lower, ColourBox Upper) Split()
    {
        var widest = 0;
        for (var c = 1; c < Low.Length; c++)
            if (High[c] - Low[c] > High[widest] - Low[widest]) widest = c;
        var middle = (Low[widest] + High[widest]) / 2;
        var lowerHigh = (int[])High.Clone();
        lowerHigh[widest] = middle;
        var upperLow = (int[])Low.Clone();
        upperLow[widest] = middle + 1;
        return (new ColourBox(Low, lowerHigh), new ColourBox(upperLow, High));
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
