namespace OnePixel.Testing.Verification.Networks;

/// <summary>The graph uses an operator (or a form of one) the bound verifier cannot carry bounds through; the verifier falls back to enumeration, naming it.</summary>
internal sealed class UnsupportedGraphException(string node, string reason) : Exception($"{node}: {reason}")
{
    /// <summary>The node, as messages name it ("MaxPool node 'pool1'").</summary>
    public string Node { get; } = node;
    public string Reason { get; } = reason;
}
