namespace OnePixel.Testing.Verification.Bounds;

/// <summary>What bound propagation for one colour box reads: every layer's clean values and perturbation so far, and the box.</summary>
internal sealed class BoundContext(double[][] clean, Perturbation[] states, ColourBox box, Scratch scratch)
{
    /// <summary>Dense work arrays a layer may use while it runs (one set per thread).</summary>
    public Scratch Scratch { get; } = scratch;

    public double[][] Clean { get; } = clean;
    public Perturbation[] States { get; } = states;
    public ColourBox Box { get; set; } = box;

    /// <summary>The lower and upper bound of value <paramref name="index"/> of layer <paramref name="layer"/> over the box.</summary>
    public (double Low, double High) Range(int layer, int index)
    {
        var clean = Clean[layer][index];
        var state = States[layer];
        var slot = state.SlotOf(index);
        if (slot < 0) return (clean, clean);
        return state.HasRanges ? (state.Low(slot), state.High(slot)) : (clean + Box.Min(state.Lower(slot)), clean + Box.Max(state.Upper(slot)));
    }
}

/// <summary>
/// Dense accumulators for layers that scatter many small contributions (a convolution): summing into
/// a plain array and gathering the touched values once costs far less than finding each value's slot
/// for every contribution. Zero between uses: whoever writes clears what it touched.
/// </summary>
internal sealed class Scratch
{
    private double[] _lower = [], _upper = [];
    private bool[] _touched = [];
    private int[] _list = [];

    public (double[] Lower, double[] Upper) Accumulators(int length)
    {
        if (_lower.Length < length)
        {
            _lower = new double[length];
            _upper = new double[length];
        }
        return (_lower, _upper);
    }

    /// <summary>Flags per position, all false, and a list to record the positions set.</summary>
    public (bool[] Flags, int[] List) Touched(int length)
    {
        if (_touched.Length < length)
        {
            _touched = new bool[length];
            _list = new int[length];
        }
        return (_touched, _list);
    }
}
