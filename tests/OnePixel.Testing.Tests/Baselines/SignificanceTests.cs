using OnePixel.Testing.Baselines;
using OnePixel.Testing.Reports;
using OnePixel.Testing.Tests.Fakes;

namespace OnePixel.Testing.Tests.Baselines;

/// <summary>--significance in baseline comparisons and compare: a rise fails only when the paired test finds it significant.</summary>
public class SignificanceTests
{
    private static BaselineComparison Compare(int before, int after, BaselinePolicy policy) =>
        BaselineComparison.Compare(BaselineFile.FromReport(ModelVersions.Run(before), ModelVersions.Images()), ModelVersions.Run(after), ModelVersions.Images(), policy);

    [Test]
    public void Every_comparison_reports_the_discordant_images_and_their_p_value()
    {
        var comparison = Compare(20, 40, new BaselinePolicy());

        comparison.Paired.NewlyFooled.Should().Be(2);
        comparison.Paired.NewlyResisting.Should().Be(0);
        comparison.Paired.PValue.Should().Be(0.5);
    }

    [Test]
    public void Without_a_level_two_newly_fooled_images_are_a_regression()
    {
        var comparison = Compare(20, 40, new BaselinePolicy());

        comparison.Regressions.Should().Equal(
            "the success rate rose by 20.0 points (at most +0.0 allowed)",
            "2 images that resisted in the baseline are fooled now");
    }

    [Test]
    public void With_a_level_a_rise_the_paired_test_does_not_find_significant_is_no_regression_and_says_why()
    {
        var comparison = Compare(20, 40, new BaselinePolicy { Significance = 0.05 });

        comparison.Regressed.Should().BeFalse("2 images one way and none the other happens by chance half the time (p = 0.5)");
        comparison.InsignificantRise.Should().Be("the success rate rose by 20.0 points, but not significantly at level 0.05 (2 newly fooled, 0 newly resisting: McNemar exact p = 0.5), so it is within the policy");
    }

    [Test]
    public void With_a_level_a_significant_rise_is_a_regression_with_the_test_as_evidence()
    {
        var comparison = Compare(0, 60, new BaselinePolicy { Significance = 0.05 });

        comparison.Regressions.Should().Equal(
            "the success rate rose by 60.0 points (at most +0.0 allowed), significant at level 0.05 (6 newly fooled, 0 newly resisting: McNemar exact p = 0.0313)");
        comparison.InsignificantRise.Should().BeNull();
    }

    [Test]
    public void With_a_stricter_level_the_same_rise_passes()
    {
        Compare(0, 60, new BaselinePolicy { Significance = 0.01 }).Regressed.Should().BeFalse("p = 0.0313 is not below 0.01");
    }

    [Test]
    public void With_a_level_newly_fooled_images_fail_on_their_own_only_when_asked()
    {
        var comparison = Compare(20, 40, new BaselinePolicy { Significance = 0.05, FailOnNewlyFooledImages = true });

        comparison.Regressions.Should().Equal("2 images that resisted in the baseline are fooled now");
    }

    [Test]
    public void With_a_level_newly_misclassified_images_still_fail()
    {
        // The after model calls the two brightest images class 1 outright (by their mean, which one pixel moves by at
        // most 4): they were classified correctly before.
        var images = ModelVersions.Images();
        var before = BaselineFile.FromReport(ModelVersions.Run(20), images);
        var after = new OnePixel.Testing.Attacks.AttackRunner(new FunctionClassifier(FunctionClassifier.Small, 2, p =>
            Mean(p) >= 75 || (p[0] < 20 && p[2 * 8 + 5] > 200) ? [0.1f, 0.9f] : [0.9f, 0.1f]), ModelVersions.Options)
            .Run(images, model: new OnePixel.Testing.Attacks.ModelIdentity("/models/broken.onnx", "sha"));

        var comparison = BaselineComparison.Compare(before, after, images, new BaselinePolicy { Significance = 0.05 });

        comparison.Regressions.Should().Equal("2 images classified correctly in the baseline are misclassified now");
    }

    private static double Mean(ReadOnlySpan<byte> pixels)
    {
        var sum = 0;
        foreach (var p in pixels) sum += p;
        return (double)sum / pixels.Length;
    }

    [Test]
    public void Compare_judges_a_rise_with_the_same_rule()
    {
        var few = ReportComparison.Of(ModelVersions.Run(20), ModelVersions.Run(40));
        var many = ReportComparison.Of(ModelVersions.Run(0), ModelVersions.Run(60));

        few.Regressions(0).Should().Equal("after's success rate is 20.0 points above before's (allowed 0.0)");
        few.Regressions(0, false, 0.05).Should().BeEmpty();
        many.Regressions(0, false, 0.05).Should().Equal(
            "after's success rate is 60.0 points above before's (allowed 0.0), significant at level 0.05 (6 newly fooled, 0 newly resisting: McNemar exact p = 0.0313)");
        few.ToMarkdown(0, false, 0.05).Should().Contain("Paired test on the images attacked in both: 2 newly fooled, 0 newly resisting: McNemar exact p = 0.5.")
            .And.Contain("**OK**").And.Contain("- the success rate rose by 20.0 points, but not significantly at level 0.05");
    }

    [Test]
    public void A_level_outside_0_to_1_is_refused_by_compare()
    {
        var comparison = ReportComparison.Of(ModelVersions.Run(20), ModelVersions.Run(40));

        comparison.Invoking(c => c.Regressions(0, false, 1.5)).Should().Throw<OnePixelException>().WithMessage("significance: expected a significance level between 0 and 1 (such as 0.05), found 1.5.");
    }
}
