using OnePixel.Testing.Attacks;
using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;
using OnePixel.Testing.Reports;
using OnePixel.Testing.Tests.Fakes;

namespace OnePixel.Testing.Tests.Reports;

/// <summary>`onepixel compare`: a model that gets images wrong is a regression, not an improvement.</summary>
public class ReportComparisonTests
{
    private static readonly AttackOptions Options = AttackOptions.StrongSearch(AttackBudget.Queries(400));

    // Ten 8x8 images labelled 0: 0..5 dark, 6..9 mid-gray.
    private static ImageSet Set() => new("test images", Enumerable.Range(0, 10)
        .Select(i => new LabeledImage($"image-{i}", ByteImage.Filled(FunctionClassifier.Small, (byte)(i < 6 ? 10 : 120)), 0)).ToList());

    private static double Mean(ReadOnlySpan<byte> pixels)
    {
        var sum = 0;
        foreach (var p in pixels) sum += p;
        return (double)sum / pixels.Length;
    }

    private static AttackReport Run(IImageClassifier model, ModelIdentity? identity = null) => new AttackRunner(model, Options).Run(Set(), model: identity);

    [Test]
    public void Images_now_misclassified_make_after_regress_by_default()
    {
        // Before, the gray images are fooled through pixel (5, 2); after, the model calls them class 1 outright.
        // (A mean brightness, which no single pixel moves far, tells gray from dark.)
        var before = Run(new FunctionClassifier(FunctionClassifier.Small, 2, p => Mean(p) > 100 && p[2 * 8 + 5] > 200 ? [0.1f, 0.9f] : [0.9f, 0.1f]));
        var after = Run(new FunctionClassifier(FunctionClassifier.Small, 2, p => Mean(p) > 100 ? [0.1f, 0.9f] : [0.9f, 0.1f]));

        var comparison = ReportComparison.Of(before, after);

        comparison.SuccessRateChange.Should().BeApproximately(-0.4, 1e-12, "the success rate alone reads as an improvement: the misclassified images left its denominator");
        comparison.NowMisclassified.Select(f => f.After.Name).Should().Equal("image-6", "image-7", "image-8", "image-9");
        comparison.Regressed(0).Should().BeTrue();
        comparison.Regressions(0).Should().Equal("4 images classified correctly before are misclassified after");
        comparison.Regressions(0, allowNewlyMisclassified: true).Should().BeEmpty();
        comparison.ToMarkdown().Should().Contain("**REGRESSED**").And.Contain("#### Now misclassified (4)").And.Contain("| clean accuracy | 100.0 % | 60.0 % | -40.0 points |");
    }

    [Test]
    public void After_with_nothing_attacked_regresses()
    {
        var comparison = ReportComparison.Of(Run(FunctionClassifier.TriggerPixel()), Run(new FunctionClassifier(FunctionClassifier.Small, 2, _ => [0.1f, 0.9f])));

        comparison.Regressions(0, allowNewlyMisclassified: true).Should().Equal("nothing was attacked in after: no image was classified correctly, so no success rate can be measured");
    }

    [Test]
    public void Reports_that_fed_their_models_differently_are_refused_unless_allowed()
    {
        var p = new ModelPreprocessing
        {
            InputName = "image", OutputName = "logits", Layout = "nchw", Width = 8, Height = 8, Channels = 1,
            Scale = 255, Mean = [0f], Std = [1f], OutputKind = "logits", Backend = "onnxruntime",
        };
        var before = Run(FunctionClassifier.TriggerPixel(), new ModelIdentity("a.onnx", "aa") { Preprocessing = p });
        var after = Run(FunctionClassifier.TriggerPixel(), new ModelIdentity("b.onnx", "bb") { Preprocessing = p with { Layout = "nhwc", Mean = [0.5f] } });

        var act = () => ReportComparison.Of(before, after, "a.json", "b.json");

        act.Should().Throw<OnePixelException>().WithMessage("b.json: feeds its model differently than a.json: layout: nchw in a.json, nhwc in b.json; mean: [0] in a.json, [0.5] in b.json; expected the same preprocessing, or --allow-preprocessing-change*");
        ReportComparison.Of(before, after, "a.json", "b.json", allowPreprocessingChanges: true).PreprocessingChanges.Should().HaveCount(2);
    }
}
