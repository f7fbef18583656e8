using OnePixel.Testing.Attacks;
using OnePixel.Testing.Baselines;
using OnePixel.Testing.Models;
using OnePixel.Testing.NUnit.Tests.Fakes;
using OnePixel.Testing.NUnit.TestFixtures.Classifiers;

namespace OnePixel.Testing.NUnit.Tests.Assertions;

/// <summary>model.Should().NotRegressFrom(baseline): the bright-count classifier (edge-dark and edge-bright fooled now) against arranged baselines.</summary>
[NonParallelizable] // the update variable is the whole process's
public class NotRegressFromTests
{
    private TempFolder _folder = null!;
    private BaselineUpdateVariable _update = null!;
    private string _path = null!;

    [SetUp]
    public void Arrange()
    {
        _folder = new TempFolder();
        _path = _folder.File("bright-count.baseline.json");
        _update = new BaselineUpdateVariable(null);
    }

    [TearDown]
    public void Clean()
    {
        _update.Dispose();
        _folder.Dispose();
    }

    [Test]
    public void A_regression_should_fail_naming_the_newly_fooled_images()
    {
        BaselineFile.Write(BrightCountBaselines.Sturdier(), _path);
        using var model = new BrightCountClassifier();

        var act = () => model.Should().NotRegressFrom(_path, TestImages.BrightCount());

        act.Should().Throw<AssertionException>().Which.Message.Should()
            .StartWith("Expected model not to regress from its one-pixel robustness baseline, but it regressed: the success rate rose by 40.0 points (at most +0.0 allowed); 2 images that resisted in the baseline are fooled now.\nsuccess rate 0.0 % in the baseline, 40.0 % now (+40.0 points; at most +0.0 allowed), clean accuracy 100.0 % in the baseline, 100.0 % now; paired test: 2 newly fooled, 0 newly resisting: McNemar exact p = 0.5.".ReplaceLineEndings())
            .And.MatchRegex(@"Newly fooled images \(2\):\r?\n  - edge-bright\.png: bright -> dark, pixel \(\d, \d\) = \d+, confidence 80\.0 %\r?\n  - edge-dark\.png: dark -> bright");
    }

    [Test]
    public void With_a_significance_level_a_rise_the_paired_test_does_not_find_significant_should_pass()
    {
        BaselineFile.Write(BrightCountBaselines.Sturdier(), _path);
        using var model = new BrightCountClassifier();

        var comparison = model.Should().NotRegressFrom(_path, TestImages.BrightCount(), new BaselinePolicy { Significance = 0.05 }).Which!;

        comparison.NewlyFooled.Should().Equal("edge-bright.png", "edge-dark.png");
        comparison.Paired.PValue.Should().Be(0.5);
        comparison.InsignificantRise.Should().StartWith("the success rate rose by 40.0 points, but not significantly at level 0.05");
    }

    [Test]
    public void With_a_significance_level_a_significant_rise_should_fail_with_the_test_as_evidence()
    {
        BaselineFile.Write(BrightCountBaselines.Sturdier(), _path);
        using var model = new BrightCountClassifier();

        var act = () => model.Should().NotRegressFrom(_path, TestImages.BrightCount(), new BaselinePolicy { Significance = 0.6 });

        act.Should().Throw<AssertionException>().Which.Message.Should()
            .Contain("but it regressed: the success rate rose by 40.0 points (at most +0.0 allowed), significant at level 0.6 (2 newly fooled, 0 newly resisting: McNemar exact p = 0.5).");
    }

    [Test]
    public void An_improvement_should_pass_and_be_reported()
    {
        BaselineFile.Write(BrightCountBaselines.Weaker(), _path);
        using var model = new BrightCountClassifier();

        var comparison = model.Should().NotRegressFrom(_path, TestImages.BrightCount()).Which!;

        comparison.NewlyResisting.Should().Equal("dark.png", "light.png", "speckled.png");
        comparison.NewlyFooled.Should().BeEmpty();
    }

    [Test]
    public void A_rise_within_the_tolerance_should_pass_when_newly_fooled_images_are_allowed()
    {
        BaselineFile.Write(BrightCountBaselines.Sturdier(), _path);
        using var model = new BrightCountClassifier();

        var comparison = model.Should().NotRegressFrom(_path, TestImages.BrightCount(), maxSuccessRateIncrease: 0.4, failOnNewlyFooledImages: false).Which!;

        comparison.NewlyFooled.Should().Equal("edge-bright.png", "edge-dark.png");
    }

    [Test]
    public void Settings_other_than_the_baselines_should_be_refused_with_the_reason()
    {
        BaselineFile.Write(BrightCountBaselines.Measured(), _path);
        using var model = new BrightCountClassifier();

        var act = () => model.Should().NotRegressFrom(_path, TestImages.BrightCount(), options: BrightCountBaselines.Options with { Seed = 7 });

        act.Should().Throw<AssertionException>().Which.Message.Should()
            .Contain("does not match this run, so it is not compared:").And.Contain("seed 2019").And.Contain("seed 7")
            .And.Contain("Refresh it, if the change is intended: run the tests with ONEPIXEL_UPDATE_BASELINES=1.");
    }

    [Test]
    public void A_missing_baseline_should_fail_saying_how_to_make_one()
    {
        using var model = new BrightCountClassifier();

        var act = () => model.Should().NotRegressFrom(_path, TestImages.BrightCount(), because: "the release replaces {0}", becauseArgs: ["v1"]);

        act.Should().Throw<AssertionException>().WithMessage(
            $"Expected model not to regress from its one-pixel robustness baseline because the release replaces v1, but baseline {_path} does not exist.*Make one: run the tests with ONEPIXEL_UPDATE_BASELINES=1.");
        File.Exists(_path).Should().BeFalse();
    }

    [Test]
    public void A_missing_baseline_of_an_onnx_model_should_give_the_command_that_makes_it_with_the_same_search()
    {
        using var model = LoadedModel.Load(Repository.File("models/testing/single-pixel-trigger.onnx"));
        var options = AttackOptions.StrongSearch(AttackBudget.Queries(300)) with { Fitness = FitnessKind.Probability };

        var act = () => model.Should().NotRegressFrom(_path, options: options);

        act.Should().Throw<AssertionException>().WithMessage(
            $"*Make one: run the tests with ONEPIXEL_UPDATE_BASELINES=1, or: onepixel baseline update --model *single-pixel-trigger.onnx --baseline {_path} --input image --output-name logits --layout nchw --size 8x8x1 --scale 255 --mean 0 --std 1 --output logits --backend onnxruntime --budget 300 --population 7 --seed 2019 --search extremes-de --fitness probability.");
    }

    [Test]
    public void With_the_update_variable_set_it_should_write_the_baseline_of_an_onnx_model_which_then_holds()
    {
        using var model = LoadedModel.Load(Repository.File("models/testing/single-pixel-trigger.onnx"));
        var options = new AttackOptions { Budget = AttackBudget.Queries(300) };

        using (new BaselineUpdateVariable("true"))
            model.Should().NotRegressFrom(_path, options: options).Which.Should().BeNull("a baseline written is not compared");
        var comparison = model.Should().NotRegressFrom(_path).Which!;

        var written = BaselineFile.Read(_path);
        written.Model.Path.Should().Be("single-pixel-trigger.onnx");
        written.Model.Sha256.Should().Be(model.Identity.Sha256);
        written.Model.Preprocessing.Should().BeEquivalentTo(model.Classifier.Preprocessing, "a baseline records how the model was fed");
        written.Settings.Budget.Should().Be(300);
        comparison.Comparable.Should().BeTrue();
        comparison.SuccessRateChange.Should().Be(0);
    }

    [Test]
    public void Without_the_update_variable_a_failing_check_should_leave_the_baseline_as_it_was()
    {
        BaselineFile.Write(BrightCountBaselines.Sturdier(), _path);
        var before = File.ReadAllBytes(_path);
        using var model = new BrightCountClassifier();

        var act = () => model.Should().NotRegressFrom(_path, TestImages.BrightCount());

        act.Should().Throw<AssertionException>();
        File.ReadAllBytes(_path).Should().Equal(before);
    }
}
