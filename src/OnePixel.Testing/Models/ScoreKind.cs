namespace OnePixel.Testing.Models;

/// <summary>What the model's output holds.</summary>
public enum ScoreKind
{
    /// <summary>Decide from the model: outputs that are probability distributions on probe images are taken as probabilities.</summary>
    Auto,

    /// <summary>Raw scores: softmax is applied before the attack sees them.</summary>
    Logits,

    /// <summary>Already probabilities (softmax inside the graph).</summary>
    Probabilities,
}
