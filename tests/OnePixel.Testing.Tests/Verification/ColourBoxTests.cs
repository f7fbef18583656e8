using OnePixel.Testing.Verification.Bounds;

namespace OnePixel.Testing.Tests.Verification;

/// <summary>Branch and bound is complete only if splitting a box loses no colour and invents none.</summary>
public class ColourBoxTests
{
    [TestCase(new[] { 0, 0, 0 }, new[] { 15, 15, 15 }, 8)]
    [TestCase(new[] { 3, 7, 7 }, new[] { 4, 7, 9 }, 4)]
    [TestCase(new[] { 10, 20, 30 }, new[] { 12, 20, 30 }, 2)]
    [TestCase(new[] { 0 }, new[] { 255 }, 2)]
    [TestCase(new[] { 9 }, new[] { 9 }, 1)]
    public void Halves_should_hold_every_colour_of_the_box_exactly_once(int[] low, int[] high, int expectedParts)
    {
        var box = new ColourBox(low, high);
        var parts = box.Halves();

        parts.Should().HaveCount(expectedParts);
        parts.Sum(p => p.Count).Should().Be(box.Count);
        var colours = parts.SelectMany(p => p.Colours()).Select(c => string.Join(",", c)).ToList();
        colours.Should().OnlyHaveUniqueItems();
        colours.Should().BeEquivalentTo(box.Colours().Select(c => string.Join(",", c)));
    }

    [TestCase(new[] { 0, 0, 0 }, new[] { 15, 15, 15 }, 0)]
    [TestCase(new[] { 0, 0, 0 }, new[] { 7, 31, 7 }, 1)]
    [TestCase(new[] { 3, 7, 7 }, new[] { 4, 7, 9 }, 2)]
    [TestCase(new[] { 0 }, new[] { 255 }, 0)]
    public void Halves_across_one_channel_should_hold_every_colour_of_the_box_exactly_once(int[] low, int[] high, int channel)
    {
        var box = new ColourBox(low, high);
        var parts = box.Halves(channel);

        parts.Should().HaveCount(2);
        parts.Should().AllSatisfy(p => (p.High[channel] - p.Low[channel]).Should().BeLessThan(high[channel] - low[channel]));
        var colours = parts.SelectMany(p => p.Colours()).Select(c => string.Join(",", c)).ToList();
        colours.Should().OnlyHaveUniqueItems();
        colours.Should().BeEquivalentTo(box.Colours().Select(c => string.Join(",", c)));
    }

    [Test]
    public void The_steepest_channel_is_where_the_function_changes_most_across_the_box_and_never_a_single_value()
    {
        var box = new ColourBox([0, 0, 5], [255, 15, 5]);

        box.Steepest([0.01, -1.0, 100.0, 3.0]).Should().Be(1, "1 x 15 beats 0.01 x 255, and channel 2 holds one value");
        box.Steepest([-0.1, 1.0, 0.0, 3.0]).Should().Be(0, "0.1 x 255 beats 1 x 15");
        box.Steepest([0.0, 0.0, 0.0, 1.0]).Should().Be(0, "a flat function: the widest channel");
    }
}
