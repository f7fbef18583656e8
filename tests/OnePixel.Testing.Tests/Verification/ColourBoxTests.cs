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
}
