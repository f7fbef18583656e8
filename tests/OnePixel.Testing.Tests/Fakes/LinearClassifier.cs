using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;
using OnePixel.Testing.Randomness;

namespace OnePixel.Testing.Tests.Fakes;

/// <summary>
/// A random linear softmax classifier with seeded weights: small enough to search exhaustively by
/// hand, rich enough that some images are vulnerable to one pixel and others are not.
/// </summary>
internal sealed class LinearClassifier : FunctionClassifier
{
    public LinearClassifier(ImageShape shape, int classes, ulong seed, double weightScale = 0.05)
        : base(shape, classes, pixels => Scores(pixels, Weights(shape, classes, seed, weightScale), classes)) { }

    private static double[] Weights(ImageShape shape, int classes, ulong seed, double scale)
    {
        var random = new DeterministicRandom(seed);
        return Enumerable.Range(0, shape.Length * classes).Select(_ => random.NextGaussian(0, scale)).ToArray();
    }

    private static float[] Scores(ReadOnlySpan<byte> pixels, double[] weights, int classes)
    {
        var logits = new float[classes];
        for (var k = 0; k < classes; k++)
        {
            double sum = 0;
            for (var i = 0; i < pixels.Length; i++) sum += weights[k * pixels.Length + i] * (pixels[i] / 255.0 - 0.5);
            logits[k] = (float)sum;
        }
        Probability.Softmax(logits);
        return logits;
    }

    /// <summary>Images labelled with the model's own prediction, so every one is attacked.</summary>
    public ImageSet SelfLabelledImages(int count, ulong seed)
    {
        var random = new DeterministicRandom(seed);
        var images = new List<LabeledImage>();
        for (var i = 0; i < count; i++)
        {
            var pixels = Enumerable.Range(0, InputShape.Length).Select(_ => (byte)random.NextInt(256)).ToArray();
            var image = new ByteImage(InputShape, pixels);
            images.Add(new LabeledImage($"random-{i:D2}", image, this.Classify(image).Label));
        }
        return new ImageSet("random images", images);
    }
}
