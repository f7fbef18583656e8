namespace OnePixel.Testing.Models;

/// <summary>Small numeric helpers on rows of class scores.</summary>
public static class Probability
{
    /// <summary>In-place softmax, shifted by the maximum so large logits do not overflow.</summary>
    public static void Softmax(Span<float> row)
    {
        var max = float.NegativeInfinity;
        foreach (var v in row) max = Math.Max(max, v);
        double sum = 0;
        for (var i = 0; i < row.Length; i++)
        {
            var e = Math.Exp(row[i] - max);
            row[i] = (float)e;
            sum += e;
        }
        for (var i = 0; i < row.Length; i++) row[i] = (float)(row[i] / sum);
    }

    /// <summary>
    /// A model's raw output rows (<paramref name="rowLength"/> values each) to probability rows: the
    /// first <paramref name="classCount"/> scores of each row, checked finite (an error names the file
    /// and output otherwise), with softmax applied when the model gives logits.
    /// </summary>
    internal static void FromScores(ReadOnlySpan<float> scores, int count, int rowLength, int classCount, bool softmax, string path, string output, Span<float> probabilities)
    {
        for (var i = 0; i < count; i++)
        {
            var row = probabilities.Slice(i * classCount, classCount);
            scores.Slice(i * rowLength, classCount).CopyTo(row);
            foreach (var value in row)
                if (!float.IsFinite(value))
                    throw new OnePixelException($"{path}: output '{output}' holds {value}; expected finite class scores. The model is numerically broken for this input.");
            if (softmax) Softmax(row);
        }
    }

    /// <summary>The index of the largest value (the first on ties, so results are deterministic) and the value.</summary>
    public static (int Label, float Confidence) TopOne(ReadOnlySpan<float> row)
    {
        var best = 0;
        for (var i = 1; i < row.Length; i++)
            if (row[i] > row[best]) best = i;
        return (best, row[best]);
    }

    /// <summary>The largest value among all classes but one.</summary>
    public static float BestOther(ReadOnlySpan<float> row, int except)
    {
        var best = float.NegativeInfinity;
        for (var i = 0; i < row.Length; i++)
            if (i != except && row[i] > best) best = row[i];
        return best;
    }

    /// <summary>True when every value is in 0..1 and the row sums to 1 (within float rounding).</summary>
    public static bool IsDistribution(ReadOnlySpan<float> row)
    {
        double sum = 0;
        foreach (var v in row)
        {
            if (v is < 0f or > 1f || float.IsNaN(v)) return false;
            sum += v;
        }
        return Math.Abs(sum - 1) < 1e-3;
    }
}
