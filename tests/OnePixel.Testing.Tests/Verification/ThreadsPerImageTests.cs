using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;
using OnePixel.Testing.Verification;
using OnePixel.Testing.Verification.Networks;

namespace OnePixel.Testing.Tests.Verification;

/// <summary>
/// The threads that verify one image bound different boxes at once, each on its own copy of the bounds,
/// and the verifier takes their results in the boxes' order; so every verdict, query and split must be the
/// same for any number of threads, down to the last bit. Three threads share the eight parts of a box
/// unevenly.
/// </summary>
public class ThreadsPerImageTests
{
    [Test]
    public void An_image_should_get_the_same_verdict_queries_and_splits_from_one_thread_two_or_three()
    {
        using var model = LoadedModel.Load(Repository.File("models/fashion-colour32-resnet.onnx"));
        using var network = NetworkModel.Open(model.Path, model.Options);
        var images = ImageSetLoader.Load(model.Options.SampleImages!, model.Classifier.ClassNames);
        // A few pixels around the garment's middle: boxes that need splitting, so ranges are tightened many times.
        int[] pixels = [15 * 32 + 15, 16 * 32 + 16, 10 * 32 + 12];
        var verdicts = new List<string>();
        foreach (var image in images.Images.Take(2))
        {
            var clean = model.Classifier.Probabilities(image.Image);
            var start = ExhaustiveVerifier.Unchecked(image, clean, new VerificationOptions());
            var values = network.CleanValues(image.Image.Pixels, out _)!;
            string Run(int threads)
            {
                var r = new BoundVerifier(model.Classifier, network, new VerificationOptions(), threads).VerifyImage(image, start, values, CancellationToken.None, pixels);
                return $"{r.Verdict} {r.Counterexample} {r.AdversarialLabel} queries {r.Queries} split {r.BoxesSplit} certified by bounds {r.PositionsCertifiedByBounds}";
            }
            var one = Run(1);
            Run(2).Should().Be(one, image.Name);
            Run(3).Should().Be(one, image.Name);
            verdicts.Add(one);
            TestContext.Out.WriteLine($"{image.Name}: {one}");
        }
        verdicts.Should().Contain(v => v.Contains("split") && !v.Contains("split 0 "), "the check means little unless some box was split");
    }
}
