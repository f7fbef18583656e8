namespace OnePixel.Testing.Verification.Bounds;

/// <summary>What bound propagation for one colour box reads: every layer's clean values and perturbation so far, and the box.</summary>
internal sealed class BoundContext(double[][] clean, Perturbation[] states, ColourBox box)
{
    public double[][] Clean { get; } = clean;
    public Perturbation[] States { get; } = states;
    public ColourBox Box { get; set; } = box;

    /// <summary>The lower and upper bound of value <paramref name="index"/> of layer <paramref name="layer"/> over the box.</summary>
    public (double Low, double High) Range(int layer, int index)
    {
        var clean = Clean[layer][index];
        var state = States[layer];
        var slot = state.SlotOf(index);
        return slot < 0 ? (clean, clean) : (clean + Box.Min(state.Lower(slot)), clean + Box.Max(state.Upper(slot)));
    }
}
