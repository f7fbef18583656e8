using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;
using OnePixel.Testing.Randomness;
using OnePixel.Testing.Verification;
using OnePixel.Testing.Verification.Bounds;
using OnePixel.Testing.Verification.Networks;

namespace OnePixel.Testing.Tests.Verification;

/// <summary>
/// Threads that tighten one box's ranges together share out its chunks of values; each chunk is
/// back-substituted alone, so the bounds, and every verdict, query and split built on them, must be the
/// same for any number of threads, down to the last bit. Three threads leave the chunks unevenly shared.
/// </summary>
public class ThreadsPerImageTests
{
    [TestCase("models/fashion-colour32-resnet.onnx")]
    [TestCase("models/fashion-colour32-fire.onnx")]
    public void A_box_should_get_the_same_bounds_from_one_thread_or_three(string path)
    {
        using var model = LoadedModel.Load(Repository.File(path));
        using var network = NetworkModel.Open(model.Path, model.Options);
        var images = ImageSetLoader.Load(model.Options.SampleImages!, model.Classifier.ClassNames);
        var alone = new MarginBounds(network, threads: 1);
        var together = new MarginBounds(network, threads: 3);
        var random = new DeterministicRandom(5);
        var boxes = 0;
        foreach (var image in images.Images.Take(2))
        {
            var clean = network.CleanValues(image.Image.Pixels, out _)!;
            alone.SetImage(clean, image.Label);
            together.SetImage(clean, image.Label);
            for (var n = 0; n < 4; n++)
            {
                var pixel = random.NextInt(network.Shape.PixelCount);
                var own = image.Image.Pixels.Slice(pixel * 3, 3);
                foreach (var box in new[] { ColourBox.Full(3), new ColourBox([0, 64, 128], [127, 191, 255]) })
                {
                    var one = alone.Bound(pixel, own, box);
                    var three = together.Bound(pixel, own, box);
                    three.LowestMargin.Should().Be(one.LowestMargin, $"{image.Name}, pixel {pixel}, box {box}");
                    three.Class.Should().Be(one.Class);
                    three.Guess.Should().Equal(one.Guess);
                    boxes++;
                }
            }
        }
        boxes.Should().Be(16);
    }

    [Test]
    public void An_image_should_get_the_same_verdict_queries_and_splits_from_one_thread_or_two()
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
            verdicts.Add(one);
            TestContext.Out.WriteLine($"{image.Name}: {one}");
        }
        verdicts.Should().Contain(v => v.Contains("split") && !v.Contains("split 0 "), "the check means little unless some box was split");
    }
}
