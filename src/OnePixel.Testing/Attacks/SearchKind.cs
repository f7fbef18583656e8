namespace OnePixel.Testing.Attacks;

/// <summary>Which search looks for the pixels.</summary>
public enum SearchKind
{
    /// <summary>The paper's differential evolution, DE/rand/1 (the reference setting).</summary>
    DifferentialEvolution,

    /// <summary>
    /// Extreme colours first, then evolution: a seeded random pass over pixels set to the corners of
    /// the colour cube (0 or 255 per channel), the candidates Sparse-RS samples (Croce et al., AAAI
    /// 2022), then DE/rand/1 seeded with the best of them to explore the values in between.
    /// </summary>
    ExtremesThenEvolution,
}
