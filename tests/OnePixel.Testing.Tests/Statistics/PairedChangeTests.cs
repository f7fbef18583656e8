using OnePixel.Testing.Baselines;
using OnePixel.Testing.Statistics;

namespace OnePixel.Testing.Tests.Statistics;

public class PairedChangeTests
{
    [Test]
    public void A_rise_is_significant_only_in_the_direction_of_more_newly_fooled_images()
    {
        var rise = new PairedChange(newlyFooled: 10, newlyResisting: 2);   // p = 0.0386
        var fall = new PairedChange(newlyFooled: 2, newlyResisting: 10);

        rise.SignificantRise(0.05).Should().BeTrue();
        rise.SignificantRise(0.01).Should().BeFalse();
        fall.SignificantRise(0.05).Should().BeFalse("the same p-value, the other way");
        fall.SignificantFall(0.05).Should().BeTrue();
    }

    [Test]
    public void It_should_read_as_the_counts_and_the_p_value()
    {
        new PairedChange(38, 1).ToString().Should().Be("38 newly fooled, 1 newly resisting: McNemar exact p = 1.5e-10");
        new PairedChange(0, 0).ToString().Should().Be("0 newly fooled, 0 newly resisting: McNemar exact p = 1");
        new PairedChange(10, 2).ToString().Should().EndWith("p = 0.0386");
        new PairedChange(20, 2).ToString().Should().EndWith("p = 0.000121");
        new PairedChange(12, 1).ToString().Should().EndWith("p = 0.00342");
    }

    [TestCase(0.0)]
    [TestCase(1.0)]
    [TestCase(-0.05)]
    [TestCase(double.NaN)]
    public void A_level_outside_0_to_1_should_be_refused(double alpha)
    {
        var act = () => new BaselinePolicy { Significance = alpha }.Validate();

        act.Should().Throw<OnePixelException>().WithMessage("significance: expected a significance level between 0 and 1*");
    }

    [Test]
    public void With_a_level_a_rise_fails_only_when_it_is_significant_and_beyond_the_allowed_increase()
    {
        var few = new PairedChange(3, 1);      // p = 0.625
        var many = new PairedChange(12, 1);    // p = 0.0034

        SuccessRateRule.Fails(0.02, 0, null, few).Should().BeTrue("without a level any rise fails");
        SuccessRateRule.Fails(0.02, 0, 0.05, few).Should().BeFalse();
        SuccessRateRule.NotSignificant(0.02, 0, 0.05, few).Should().StartWith("the success rate rose by 2.0 points, but not significantly at level 0.05 (3 newly fooled, 1 newly resisting: McNemar exact p = 0.625)");
        SuccessRateRule.Fails(0.11, 0, 0.05, many).Should().BeTrue();
        SuccessRateRule.Fails(0.11, 0.2, 0.05, many).Should().BeFalse("a significant rise within the allowed increase is allowed");
        SuccessRateRule.NotSignificant(0.11, 0, 0.05, many).Should().BeNull();
    }

    [Test]
    public void With_a_level_newly_fooled_images_fail_on_their_own_only_when_asked()
    {
        new BaselinePolicy().FailOnNewlyFooledImages.Should().BeTrue();
        new BaselinePolicy { Significance = 0.05 }.FailOnNewlyFooledImages.Should().BeFalse();
        new BaselinePolicy { Significance = 0.05, FailOnNewlyFooledImages = true }.FailOnNewlyFooledImages.Should().BeTrue();
        new BaselinePolicy { FailOnNewlyFooledImages = false }.FailOnNewlyFooledImages.Should().BeFalse();
    }
}
