using OnePixel.Testing.Imaging;

namespace OnePixel.Testing.Tests.Imaging;

public class ImageFileTests
{
    [TestCase(1)]
    [TestCase(3)]
    public void A_png_should_round_trip_losslessly(int channels)
    {
        using var folder = new TempFolder();
        var shape = new ImageShape(5, 4, channels);
        var image = new ByteImage(shape, Enumerable.Range(0, shape.Length).Select(i => (byte)(i * 37 % 256)).ToArray());
        var path = folder.File("image.png");

        ImageFile.SavePng(image, path);
        var loaded = ImageFile.Load(path);

        // A 1-channel image is written as a grayscale PNG, so it loads back as 1 channel.
        loaded.Shape.Should().Be(shape);
        loaded.Pixels.ToArray().Should().Equal(image.Pixels.ToArray());
    }

    [Test]
    public void A_corrupt_png_should_be_named_in_the_error()
    {
        using var folder = new TempFolder();
        var path = folder.Write("broken.png", [0x89, 0x50, 0x4E, 0x47, 1, 2, 3]);

        var act = () => ImageFile.Load(path);

        act.Should().Throw<OnePixelException>().WithMessage($"{path}: *expected a*PNG*");
    }

    [Test]
    public void An_empty_file_should_be_named_in_the_error()
    {
        using var folder = new TempFolder();
        var path = folder.Write("empty.png", []);

        var act = () => ImageFile.Load(path);

        act.Should().Throw<OnePixelException>().WithMessage($"{path}: the image file is empty or cannot be read; expected a PNG or JPEG file.");
    }

    [Test]
    public void A_missing_image_should_be_named_in_the_error()
    {
        var act = () => ImageFile.Load("/nowhere/image.png");

        act.Should().Throw<OnePixelException>().WithMessage("/nowhere/image.png: image file not found.");
    }
}
