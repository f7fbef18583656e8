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
}
