using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;
using OnePixel.Testing.Verification;

namespace OnePixel.Testing.Tests.Verification;

/// <summary>
/// A verification's time limit per image holds from its first colour box: on the residual network,
/// bounding every pixel's whole colour cube alone (before any split) takes about 13 s on one thread, so a
/// limit checked only between splits would let an image run for that long whatever the limit.
/// </summary>
public class TimeLimitTests
{
    [Test]
    public void A_time_limit_shorter_than_the_first_pass_over_the_pixels_ends_the_image_undecided_in_time()
    {
        using var model = LoadedModel.Load(Repository.File("models/fashion-colour32-resnet.onnx"));
        var images = ImageSetLoader.Load(model.Options.SampleImages!, model.Classifier.ClassNames);
        var one = new ImageSet(images.Source, [images.Images[1]], images.ClassNames);
        using var verifier = OnePixelVerifier.For(model, new VerificationOptions { Method = VerificationMethod.Bounds, MaxSeconds = 0.5, ThreadsPerImage = 1 });

        var result = verifier.Verify(one).Results.Single();

        result.Verdict.Should().Be(VerificationVerdict.Undecided, "test-00001 takes minutes to certify");
        result.Exact.Should().BeFalse();
        result.PositionsCertifiedByBounds.Should().BeLessThan(1024);
        result.Seconds.Should().BeLessThan(5, "the limit is half a second (slack for a loaded machine; the first pass alone takes about 13 s)");
    }
}
