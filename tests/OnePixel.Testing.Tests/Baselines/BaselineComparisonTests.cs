using OnePixel.Testing.Attacks;
using OnePixel.Testing.Baselines;
using OnePixel.Testing.Imaging;
using OnePixel.Testing.Tests.Fakes;

namespace OnePixel.Testing.Tests.Baselines;

public class BaselineComparisonTests
{
    private static readonly AttackOptions Options = new() { Budget = AttackBudget.Queries(2_000) };
    private static readonly ModelIdentity Identity = new("/somewhere/model.onnx", "abc123");

    // Images 0..5 are dark, 6..9 mid-gray (labels all 0).
    private static ImageSet Set() => new("test images", Enumerable.Range(0, 10)
        .Select(i => new LabeledImage($"image-{i}", ByteImage.Filled(FunctionClassifier.Small, (byte)(i < 6 ? 10 : 120)), 0)).ToList());

    /// <summary>Fooled by a bright pixel (5, 2) only on images whose background is darker than <paramref name="threshold"/>.</summary>
    private static FunctionClassifier Model(byte threshold) => new(FunctionClassifier.Small, 2, p =>
        p[0] < threshold && p[2 * 8 + 5] > 200 ? [0.1f, 0.9f] : [0.9f, 0.1f]);

    private static RobustnessBaseline BaselineOf(FunctionClassifier model, ImageSet images, AttackOptions? options = null) =>
        BaselineFile.FromReport(new AttackRunner(model, options ?? Options).Run(images, model: Identity), images);

    private static BaselineComparison CompareWith(RobustnessBaseline baseline, FunctionClassifier model, ImageSet images, BaselinePolicy? policy = null) =>
        BaselineComparison.Compare(baseline, new AttackRunner(model, BaselineComparison.OptionsFor(baseline)).Run(images, model: Identity), images, policy);

    [Test]
    public void A_regression_should_fail_and_name_the_flipped_images()
    {
        var images = Set();
        var baseline = BaselineOf(Model(threshold: 5), images); // nothing fooled

        var comparison = CompareWith(baseline, Model(threshold: 50), images); // the dark images now fooled

        comparison.Comparable.Should().BeTrue();
        comparison.Regressed.Should().BeTrue();
        comparison.NewlyFooled.Should().Equal("image-0", "image-1", "image-2", "image-3", "image-4", "image-5");
        comparison.SuccessRateChange.Should().BeApproximately(0.6, 1e-9);
    }

    [Test]
    public void An_improvement_should_pass_and_be_reported()
    {
        var images = Set();
        var baseline = BaselineOf(Model(threshold: 200), images); // everything fooled

        var comparison = CompareWith(baseline, Model(threshold: 50), images); // the mid-gray images now resist

        comparison.Regressed.Should().BeFalse();
        comparison.NewlyResisting.Should().Equal("image-6", "image-7", "image-8", "image-9");
        comparison.NewlyFooled.Should().BeEmpty();
    }

    [Test]
    public void A_rise_within_the_tolerance_should_pass_when_newly_fooled_images_are_allowed()
    {
        var images = Set();
        var baseline = BaselineOf(Model(threshold: 5), images);
        var policy = new BaselinePolicy { MaxSuccessRateIncrease = 0.7, FailOnNewlyFooledImages = false };

        var comparison = CompareWith(baseline, Model(threshold: 50), images, policy);

        comparison.Regressed.Should().BeFalse();
        comparison.NewlyFooled.Should().HaveCount(6);
    }

    [Test]
    public void A_baseline_made_with_another_budget_or_seed_should_be_refused_with_the_reason()
    {
        var images = Set();
        var baseline = BaselineOf(Model(5), images, Options with { Seed = 99 });
        var report = new AttackRunner(Model(5), Options).Run(images, model: Identity);

        var comparison = BaselineComparison.Compare(baseline, report, images);

        comparison.Comparable.Should().BeFalse();
        comparison.Regressed.Should().BeFalse();
        comparison.Mismatches.Should().ContainSingle().Which.Should().Contain("seed 99").And.Contain("seed 2019");
    }

    [Test]
    public void A_baseline_made_on_other_images_should_be_refused_naming_them()
    {
        var images = Set();
        var baseline = BaselineOf(Model(5), images);
        var changed = new ImageSet("test images", images.Images.Select(i => i.Name == "image-3" ? i with { Image = ByteImage.Filled(FunctionClassifier.Small, 11) } : i).ToList());

        var comparison = CompareWith(baseline, Model(5), changed);

        comparison.Mismatches.Should().ContainSingle().Which.Should().Be("images whose content or label changed: image-3");
    }

    [Test]
    public void A_baseline_should_round_trip_through_its_file_atomically()
    {
        using var folder = new TempFolder();
        var path = folder.File("model.baseline.json");
        var baseline = BaselineOf(Model(50), Set());

        BaselineFile.Write(baseline, path);
        var read = BaselineFile.Read(path);

        read.Should().BeEquivalentTo(baseline);
        read.Model.Path.Should().Be("model.onnx", "a committed baseline must not carry one machine's folders");
        Directory.GetFiles(folder.Path).Should().ContainSingle("no temporary file is left behind");
    }

    [Test]
    public void A_damaged_baseline_should_be_refused_naming_the_file()
    {
        using var folder = new TempFolder();
        var path = folder.Write("broken.json", "{ \"schema\": 1, \"modle\": {} }");

        var act = () => BaselineFile.Read(path);

        act.Should().Throw<OnePixelException>().WithMessage($"{path}: not a valid baseline*");
    }

    [Test]
    public void A_missing_baseline_should_say_how_to_make_one()
    {
        var act = () => BaselineFile.Read("/nowhere/model.baseline.json");

        act.Should().Throw<OnePixelException>().WithMessage("*not found. Make one by running with ONEPIXEL_UPDATE_BASELINES=1*");
    }
    /// <summary>Misclassifies the mid-gray images (6..9): a model that got worse at its job, not easier to fool.</summary>
    private static FunctionClassifier Blind(byte threshold) => new(FunctionClassifier.Small, 2, p =>
        p[0] > 100 ? [0.2f, 0.8f] : p[0] < threshold && p[2 * 8 + 5] > 200 ? [0.1f, 0.9f] : [0.9f, 0.1f]);

    [Test]
    public void Images_that_resisted_and_are_misclassified_now_fail_the_check_instead_of_reading_as_an_improvement()
    {
        var images = Set();
        var baseline = BaselineOf(Model(threshold: 200), images); // every image fooled: 100 %

        var comparison = CompareWith(baseline, Blind(threshold: 200), images); // the gray images are misclassified now

        comparison.CurrentSuccessRate.Should().Be(1, "the misclassified images left the denominator, the rest are still fooled");
        comparison.NewlyMisclassified.Should().Equal("image-6", "image-7", "image-8", "image-9");
        comparison.CurrentAccuracy.Should().BeApproximately(0.6, 1e-12);
        comparison.BaselineAccuracy.Should().Be(1);
        comparison.Regressed.Should().BeTrue();
        comparison.Regressions.Should().Equal("4 images classified correctly in the baseline are misclassified now");
        CompareWith(baseline, Blind(200), images, new BaselinePolicy { FailOnNewlyMisclassifiedImages = false }).Regressed.Should().BeFalse("the policy allows it");
    }

    [Test]
    public void A_run_that_attacks_nothing_regresses_whatever_the_policy_allows()
    {
        var images = Set();
        var baseline = BaselineOf(Model(threshold: 5), images);
        var broken = new FunctionClassifier(FunctionClassifier.Small, 2, _ => [0.1f, 0.9f]); // every image labelled 0 is called 1

        var comparison = CompareWith(baseline, broken, images, new BaselinePolicy { FailOnNewlyMisclassifiedImages = false });

        comparison.CurrentAttacked.Should().Be(0);
        comparison.Regressions.Should().Equal("nothing was attacked now: no image was classified correctly, so no success rate can be measured");
    }

    [Test]
    public void A_floor_on_clean_accuracy_fails_the_check_below_it()
    {
        var images = Set();
        var baseline = BaselineOf(Model(threshold: 5), images);

        var comparison = CompareWith(baseline, Model(threshold: 5), images, new BaselinePolicy { MinAccuracy = 1.0 });
        var below = CompareWith(BaselineOf(Blind(5), images), Blind(5), images, new BaselinePolicy { MinAccuracy = 0.7 });

        comparison.Regressed.Should().BeFalse();
        below.Regressions.Should().Equal("clean accuracy 60.0 % is below the minimum 70.0 %");
    }

    [Test]
    public void A_baseline_made_with_other_preprocessing_is_refused_naming_each_field_and_both_values()
    {
        var images = Set();
        var fedAt255 = Identity with { Preprocessing = Preprocessing(scale: 255) };
        var fedAt1 = Identity with { Preprocessing = Preprocessing(scale: 1) };
        var baseline = BaselineFile.FromReport(new AttackRunner(Model(5), Options).Run(images, model: fedAt1), images);
        var run = new AttackRunner(Model(5), Options).Run(images, model: fedAt255);

        var refused = BaselineComparison.Compare(baseline, run, images);
        var allowed = BaselineComparison.Compare(baseline, run, images, new BaselinePolicy { AllowPreprocessingChanges = true });

        refused.Comparable.Should().BeFalse();
        refused.Mismatches.Should().Equal("the model is fed differently: scale: 1 in the baseline, 255 now");
        allowed.Comparable.Should().BeTrue();
        allowed.PreprocessingChanges.Should().Equal("scale: 1 in the baseline, 255 now");
    }

    [Test]
    public void A_baseline_that_records_no_preprocessing_is_refused_when_the_run_records_it()
    {
        var images = Set();
        var baseline = BaselineOf(Model(5), images); // made by a classifier without a record, as version 0.1 made every baseline
        var run = new AttackRunner(Model(5), Options).Run(images, model: Identity with { Preprocessing = Preprocessing(scale: 255) });

        var comparison = BaselineComparison.Compare(baseline, run, images);

        comparison.Mismatches.Should().ContainSingle().Which.Should().StartWith("the model is fed differently: preprocessing: not recorded in the baseline (made before runs recorded it");
    }

    private static OnePixel.Testing.Models.ModelPreprocessing Preprocessing(float scale) => new()
    {
        InputName = "image", OutputName = "logits", Layout = "nchw", Width = 8, Height = 8, Channels = 1,
        Scale = scale, Mean = [0f], Std = [1f], OutputKind = "probabilities", Backend = "onnxruntime",
    };
}
