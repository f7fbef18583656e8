using OnePixel.Testing.Verification.Bounds;

namespace OnePixel.Testing.Verification.Networks;

/// <summary>
/// One operator of the verifier's internal network: its exact forward pass in double precision, and
/// how it carries a one-pixel perturbation (sound affine bounds of each affected value's change).
/// Layers are held in topological order; a layer reads the outputs of earlier layers by index.
/// </summary>
internal abstract class Layer(string op, int[] inputs, long[] shape)
{
    /// <summary>The ONNX operator this layer comes from, for messages.</summary>
    public string Operator { get; } = op;

    /// <summary>The layers whose outputs this one reads.</summary>
    public int[] Inputs { get; } = inputs;

    /// <summary>The output's ONNX shape, the batch (1) first.</summary>
    public long[] Shape { get; } = shape;

    public int Size { get; } = (int)shape.Aggregate(1L, (a, d) => a * d);

    /// <summary>This layer's place in its network (set when the network is made).</summary>
    public int Index { get; set; }

    /// <summary>True when the output is an affine function of the inputs (so trailing affine layers can be folded into the margins).</summary>
    public virtual bool IsAffine => false;

    /// <summary>The exact output, from the outputs of the layers before it.</summary>
    public abstract void Forward(double[][] values, double[] output);

    /// <summary>The output's perturbation from the inputs' (in <paramref name="context"/>), written into <paramref name="output"/> (empty on entry).</summary>
    public abstract void Propagate(BoundContext context, Perturbation output);

    /// <summary>
    /// Back-substitution: adds to the inputs' coefficients what this layer's coefficients (in
    /// <paramref name="back"/>) mean for them, the relaxations' constants to the rows' constants.
    /// </summary>
    public abstract void Backward(BackSubstitution back);
}
