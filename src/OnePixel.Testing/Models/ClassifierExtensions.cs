using OnePixel.Testing.Imaging;

namespace OnePixel.Testing.Models;

public static class ClassifierExtensions
{
    /// <summary>Scores one image: convenient for checks and re-scoring, not for the hot path.</summary>
    public static float[] Probabilities(this IImageClassifier classifier, ByteImage image)
    {
        if (image.Shape != classifier.InputShape)
            throw new OnePixelException($"image is {image.Shape}, but the model expects {classifier.InputShape}.");
        var probabilities = new float[classifier.ClassCount];
        classifier.Score(image.Pixels, 1, probabilities);
        return probabilities;
    }

    /// <summary>The top-1 class and its probability.</summary>
    public static (int Label, float Confidence) Classify(this IImageClassifier classifier, ByteImage image) =>
        Probability.TopOne(classifier.Probabilities(image));

    /// <summary>The check every <see cref="IImageClassifier.Score"/> makes first: the spans hold <paramref name="count"/> images and their probabilities.</summary>
    internal static void CheckScoreArguments(this IImageClassifier classifier, ReadOnlySpan<byte> images, int count, Span<float> probabilities)
    {
        var imageLength = classifier.InputShape.Length;
        if (images.Length < count * imageLength)
            throw new ArgumentException($"{count} images need {count * imageLength} bytes, got {images.Length}.", nameof(images));
        if (probabilities.Length < count * classifier.ClassCount)
            throw new ArgumentException($"{count} images need {count * classifier.ClassCount} probabilities, got {probabilities.Length}.", nameof(probabilities));
    }
}
