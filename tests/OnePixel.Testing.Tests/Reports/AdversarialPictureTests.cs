using OnePixel.Testing.Attacks;
using OnePixel.Testing.Imaging;
using OnePixel.Testing.Reports;

namespace OnePixel.Testing.Tests.Reports;

public class AdversarialPictureTests
{
    private static readonly ByteImage Gray = ByteImage.Filled(new ImageShape(4, 3, 1), 50);

    private static ImageAttackResult FooledAt(int x, int y, byte value) => new()
    {
        Index = 0, Name = "gray.png", Label = 0, Predicted = 0, PredictedConfidence = 0.9f, Attacked = true,
        Fooled = true, AdversarialLabel = 1, AdversarialConfidence = 0.6f, Pixels = [new PixelChange(x, y, [value])],
        Queries = 10, StopReason = StopReason.TopOneChanged,
    };

    [Test]
    public void The_picture_holds_both_images_enlarged_side_by_side_with_margins()
    {
        var picture = AdversarialPicture.Render(Gray, FooledAt(1, 1, 255), zoom: 8);

        // Each panel: 4x3 pixels times 8, plus a 2-pixel margin on each side; 8 pixels between panels.
        picture.Shape.Should().Be(new ImageShape(2 * (32 + 4) + 8, 24 + 4, 3));
    }

    [Test]
    public void The_changed_pixel_is_enlarged_without_blending_in_the_adversarial_half_only()
    {
        var picture = AdversarialPicture.Render(Gray, FooledAt(1, 1, 255), zoom: 8);
        var adversarialLeft = 36 + 8 + 2;

        for (var dy = 0; dy < 8; dy++)
        for (var dx = 0; dx < 8; dx++)
        {
            picture[adversarialLeft + 8 + dx, 2 + 8 + dy, 0].Should().Be(255);
            picture[2 + 8 + dx, 2 + 8 + dy, 0].Should().Be(50, "the original keeps its value");
        }
    }

    [Test]
    public void The_changed_pixel_is_outlined_in_red_around_it_in_both_halves()
    {
        var picture = AdversarialPicture.Render(Gray, FooledAt(1, 1, 255), zoom: 8);

        // Just left of the enlarged pixel (x = 1 -> columns 8..15 inside the panel), in each half.
        foreach (var left in new[] { 2, 36 + 8 + 2 })
        {
            var x = left + 8 - 1;
            (picture[x, 2 + 12, 0], picture[x, 2 + 12, 1], picture[x, 2 + 12, 2]).Should().Be(((byte)230, (byte)25, (byte)35));
        }
    }

    [Test]
    public void The_PNG_decodes_to_the_rendered_picture()
    {
        var result = FooledAt(3, 2, 0);
        using var folder = new TempFolder();

        var decoded = ImageFile.Load(folder.Write("picture.png", AdversarialPicture.Png(Gray, result)));

        decoded.Pixels.ToArray().Should().Equal(AdversarialPicture.Render(Gray, result).Pixels.ToArray());
    }

    [Test]
    public void A_pixel_outside_the_image_is_refused_with_its_position()
    {
        var act = () => AdversarialPicture.Render(Gray, FooledAt(9, 1, 255));

        act.Should().Throw<OnePixelException>().WithMessage("pixel (9, 1) is outside the 4x3 image.");
    }
}
