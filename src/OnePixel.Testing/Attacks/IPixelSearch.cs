using OnePixel.Testing.Imaging;

namespace OnePixel.Testing.Attacks;

/// <summary>A search for the pixels that fool a model on one image, within the options' budget.</summary>
public interface IPixelSearch
{
    /// <summary>
    /// Attacks one image whose unchanged scores (<paramref name="clean"/>, 1 query) are known.
    /// <paramref name="target"/> is null for an untargeted attack; <paramref name="seed"/> fixes the search.
    /// </summary>
    ImageAttackResult Run(LabeledImage image, ReadOnlySpan<float> clean, int? target, ulong seed);
}
