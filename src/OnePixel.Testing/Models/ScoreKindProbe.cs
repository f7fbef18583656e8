namespace OnePixel.Testing.Models;

/// <summary>Decides what a model's output holds, the same way for every backend.</summary>
internal static class ScoreKindProbe
{
    /// <summary>
    /// The declared kind, or, when none (or Auto) is declared, the kind the probe rows show: rows
    /// that are all probability distributions mean probabilities, anything else logits. What was
    /// inferred is added to <paramref name="notes"/>, naming <paramref name="output"/>.
    /// </summary>
    public static ScoreKind Resolve(ScoreKind? declared, ReadOnlySpan<float> probeRows, int classCount, string output, List<string> notes)
    {
        if (declared is { } kind && kind != ScoreKind.Auto) return kind;
        var distributions = true;
        for (var row = 0; row + classCount <= probeRows.Length; row += classCount)
            distributions &= Probability.IsDistribution(probeRows.Slice(row, classCount));
        var inferred = distributions ? ScoreKind.Probabilities : ScoreKind.Logits;
        notes.Add($"{output} holds {(inferred == ScoreKind.Logits ? "logits (softmax applied)" : "probabilities")}, inferred by probing");
        return inferred;
    }
}
