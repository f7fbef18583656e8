using OnePixel.Testing.Attacks;
using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;
using OnePixel.Testing.Verification;
using OnePixel.Testing.Verification.Networks;

namespace OnePixel.Testing.Tests.Verification;

/// <summary>
/// The bound verifier's verdicts against independent evidence: every colour of a pixel scored by a
/// plain forward pass, the model's own scores of its counterexamples, and both searches at the paper's
/// budget on the images it certifies.
/// </summary>
public class BoundVerifierSoundnessTests
{
    private const string Tiny = "models/testing/tiny-rgb.onnx";
    private const string TinyGraph = "models/testing/tiny-rgb-graph.onnx";

    [Test]
    public void At_a_few_pixels_of_a_tiny_rgb_network_every_colour_agrees_with_the_bounds_verdict()
    {
        using var model = LoadedModel.Load(Repository.File(Tiny));
        using var network = NetworkModel.Open(model.Path, model.Options);
        var images = ImageSetLoader.Load(model.Options.SampleImages!, model.Classifier.ClassNames);
        var brute = new TinyRgbBruteForce(OnnxGraph.Read(model.Path));
        var verifier = new BoundVerifier(model.Classifier, network, new VerificationOptions());

        // Per pixel of the first images, the bounds' verdict; then every colour of the first two
        // certified pixels and the first two with a counterexample.
        var certified = new List<(LabeledImage Image, int Pixel)>();
        var vulnerable = new List<(LabeledImage Image, int Pixel, PixelChange Change)>();
        foreach (var image in images.Images.Take(4))
        for (var pixel = 0; pixel < 16; pixel++)
        {
            var verdict = Decide(verifier, network, model.Classifier, image, pixel);
            if (verdict.Vulnerable) vulnerable.Add((image, pixel, verdict.Counterexample!));
            else certified.Add((image, pixel));
        }
        certified.Should().HaveCountGreaterThanOrEqualTo(2, "the check is only worth something with both verdicts present");
        vulnerable.Should().HaveCountGreaterThanOrEqualTo(2);

        foreach (var (image, pixel) in certified.Take(2))
            brute.LowestMargin(image, pixel).Should().BeGreaterThan(0, $"the bounds certified pixel {pixel} of {image.Name}: no colour may change its class");
        foreach (var (image, pixel, change) in vulnerable.Take(2))
        {
            brute.LowestMargin(image, pixel).Should().BeLessThan(0, $"the bounds found {change} on {image.Name}");
            model.Classifier.Classify(image.Image.With([change])).Label.Should().NotBe(image.Label, "a counterexample is the model's own verdict");
        }
    }

    [TestCase(Tiny)]
    [TestCase(TinyGraph)]
    public void Every_counterexample_should_be_fooling_when_the_model_scores_it_again(string path)
    {
        using var model = LoadedModel.Load(Repository.File(path));
        var images = ImageSetLoader.Load(model.Options.SampleImages!, model.Classifier.ClassNames);
        using var verifier = OnePixelVerifier.For(model, new VerificationOptions { Method = VerificationMethod.Bounds });

        var report = verifier.Verify(images);

        report.Method.Should().Be(VerificationMethod.Bounds);
        report.Exact.Should().BeTrue();
        report.Results.Should().Contain(r => r.Vulnerable);
        foreach (var r in report.Results.Where(r => r.Vulnerable))
        {
            var scored = model.Classifier.Classify(images.Images[r.Index].Image.With([r.Counterexample!]));
            scored.Label.Should().Be(r.AdversarialLabel).And.NotBe(r.Label, $"{r.Name}: {r.Counterexample}");
        }
    }

    [Test]
    public void Images_it_certifies_should_not_be_fooled_by_either_search_at_the_paper_budget()
    {
        using var model = LoadedModel.Load(Repository.File(TinyGraph));
        var images = ImageSetLoader.Load(model.Options.SampleImages!, model.Classifier.ClassNames);
        using var verifier = OnePixelVerifier.For(model, new VerificationOptions { Method = VerificationMethod.Bounds });
        var report = verifier.Verify(images);
        var certified = report.Results.Where(r => r.Verdict == VerificationVerdict.Certified).Select(r => images.Images[r.Index]).ToList();
        certified.Should().NotBeEmpty();

        foreach (var options in new[] { AttackOptions.PaperSearch(AttackBudget.Paper), AttackOptions.StrongSearch(AttackBudget.Paper) })
        {
            var attack = new AttackRunner(model.Classifier, options).Run(new ImageSet(images.Source, certified, images.ClassNames));
            attack.Results.Should().OnlyContain(r => !r.Fooled, $"{options.Search} at the paper's budget must not fool an image the bounds certified");
        }
    }

    [Test]
    public void On_grayscale_images_it_should_give_the_verdicts_of_enumeration()
    {
        using var model = LoadedModel.Load(Repository.File("models/fashion-cnn-v2.onnx"));
        var images = ImageSetLoader.Load(model.Options.SampleImages!, model.Classifier.ClassNames);
        var some = new ImageSet(images.Source, [images.Images[1], images.Images[4], images.Images[6]], images.ClassNames);

        using var bounds = OnePixelVerifier.For(model, new VerificationOptions { Method = VerificationMethod.Bounds });
        var byBounds = bounds.Verify(some);
        var byEnumeration = new ExhaustiveVerifier(model.Classifier).Verify(some);

        byBounds.Results.Select(r => r.Vulnerable).Should().Equal(byEnumeration.Results.Select(r => r.Vulnerable));
        byBounds.Results.Should().Contain(r => r.Vulnerable).And.Contain(r => !r.Vulnerable);
        byBounds.Exact.Should().BeTrue();
        byBounds.Queries.Should().BeLessThan(byEnumeration.Queries / 10);
    }

    /// <summary>The bounds' verdict on one pixel alone.</summary>
    private static ImageVerification Decide(BoundVerifier verifier, NetworkModel network, IImageClassifier classifier, LabeledImage image, int pixel)
    {
        var clean = classifier.Probabilities(image.Image);
        var start = ExhaustiveVerifier.Unchecked(image, clean, new VerificationOptions());
        return verifier.VerifyImage(image, start, network.CleanValues(image.Image.Pixels, out _)!, CancellationToken.None, [pixel]);
    }
}
