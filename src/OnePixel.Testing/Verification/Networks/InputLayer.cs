using OnePixel.Testing.Verification.Bounds;

namespace OnePixel.Testing.Verification.Networks;

/// <summary>The model's input tensor (preprocessed values in the model's layout); its perturbation is set by the verifier per pixel.</summary>
internal sealed class InputLayer(long[] shape) : Layer("input", [], shape)
{
    public override void Forward(double[][] values, double[] output) { } // set from the image

    public override void Propagate(BoundContext context, Perturbation output) { } // set by the verifier

    public override void Backward(BackSubstitution back) => throw new InvalidOperationException("the input is bounded by its own affine bounds, not carried further back");
}

/// <summary>A constant tensor the graph combines with computed ones (in a Concat, say): never perturbed.</summary>
internal sealed class ConstantLayer(double[] values, long[] shape) : Layer("constant", [], shape)
{
    public override bool IsAffine => true;

    public override void Forward(double[][] values1, double[] output) => values.CopyTo(output, 0);

    public override void Propagate(BoundContext context, Perturbation output) { }

    public override void Backward(BackSubstitution back) { } // never perturbed, so never given coefficients
}
