using OnePixel.Testing.Imaging;
using OnePixel.Testing.Tests.Fakes;

namespace OnePixel.Testing.Tests.Imaging;

public class ImageSelectionTests
{
    [TestCase("0-3,7,9-10", new[] { 0, 1, 2, 3, 7, 9, 10 })]
    [TestCase("5", new[] { 5 })]
    [TestCase(" 2 , 4-4 ", new[] { 2, 4 })]
    public void Positions_and_ranges_are_read_and_written_back_alike(string text, int[] positions)
    {
        ImageSelection.ParseIndices(text, "--indices").Should().Equal(positions);
        ImageSelection.ParseIndices(ImageSelection.FormatIndices(positions), "--indices").Should().Equal(positions);
    }

    [TestCase("3,1", "--indices: positions must ascend, each once; found 1 after 3 in '3,1'.")]
    [TestCase("2,2", "--indices: positions must ascend, each once; found 2 after 2 in '2,2'.")]
    [TestCase("a", "--indices: expected positions 0 or more and ranges such as 0-9,20,31; found 'a' in 'a'.")]
    [TestCase("-1", "--indices: expected positions 0 or more and ranges such as 0-9,20,31; found '-1' in '-1'.")]
    [TestCase("4-2", "--indices: expected positions 0 or more and ranges such as 0-9,20,31; found '4-2' in '4-2'.")]
    public void A_bad_selection_is_refused_naming_the_part(string text, string message)
    {
        var act = () => ImageSelection.ParseIndices(text, "--indices");

        act.Should().Throw<OnePixelException>().WithMessage(message);
    }

    [Test]
    public void A_set_keeps_the_images_at_the_positions_asked_for_and_names_those_it_lacks()
    {
        var set = Images.Uniform(6, gray: 10, label: 0);

        set.Only([1, 4]).Images.Select(i => i.Name).Should().Equal("image-01", "image-04");
        set.Slice(2, 2).Only([3]).Images.Single().Index.Should().Be(3);
        var act = () => set.Slice(2, 2).Only([1, 3]);
        act.Should().Throw<OnePixelException>().WithMessage("test images: --indices names position 1, but the set holds positions 2-3.");
    }
}
