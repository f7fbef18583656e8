namespace OnePixel.Testing.Verification;

/// <summary>How one-pixel verification decides.</summary>
public enum VerificationMethod
{
    /// <summary>Bounds where the model's graph is supported and matches ONNX Runtime; otherwise enumeration, with a note saying why.</summary>
    Auto,

    /// <summary>
    /// Bound propagation with branch and bound: each pixel's whole colour box is bounded at once and
    /// split until certified or a counterexample is found (exact for grayscale and RGB). Refused, with
    /// the reason, when the graph is not supported.
    /// </summary>
    Bounds,

    /// <summary>Every position times every value (exact for 8-bit grayscale; a colour grid for RGB, not exact).</summary>
    Enumerate,
}

/// <summary>The outcome for one image.</summary>
public enum VerificationVerdict
{
    /// <summary>The image is already misclassified: nothing to verify.</summary>
    Misclassified,

    /// <summary>Proved: no single-pixel change alters the top-1 class.</summary>
    Certified,

    /// <summary>A single-pixel change that alters the top-1 class, confirmed by the model itself.</summary>
    Counterexample,

    /// <summary>RGB by enumeration: no counterexample on the colour grid, which proves nothing about other colours.</summary>
    NoneFoundOnGrid,

    /// <summary>The time limit ended the search before a certificate or a counterexample.</summary>
    Undecided,
}
