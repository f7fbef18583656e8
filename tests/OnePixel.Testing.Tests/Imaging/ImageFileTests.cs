using OnePixel.Testing.Imaging;
using StbImageWriteSharp;

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
    public void An_rgba_png_should_load_as_rgb_with_its_colours_unchanged()
    {
        using var folder = new TempFolder();
        // Two pixels: opaque red, and a half-transparent green whose colour must not be premultiplied.
        byte[] rgba = [255, 0, 0, 255, 0, 200, 0, 128];
        using (var file = File.Create(folder.File("alpha.png")))
            new ImageWriter().WritePng(rgba, 2, 1, ColorComponents.RedGreenBlueAlpha, file);

        var loaded = ImageFile.Load(folder.File("alpha.png"));

        loaded.Shape.Should().Be(new ImageShape(2, 1, 3));
        loaded.Pixels.ToArray().Should().Equal(255, 0, 0, 0, 200, 0);
    }

    [Test]
    public void A_jpeg_should_load_as_rgb_close_to_what_was_written()
    {
        using var folder = new TempFolder();
        var shape = new ImageShape(16, 8, 3);
        var pixels = Enumerable.Range(0, shape.Length).Select(i => (byte)(i % 3 == 0 ? 200 : 40)).ToArray(); // flat reddish
        using (var file = File.Create(folder.File("photo.jpg")))
            new ImageWriter().WriteJpg(pixels, shape.Width, shape.Height, ColorComponents.RedGreenBlue, file, quality: 95);

        var loaded = ImageFile.Load(folder.File("photo.jpg"));

        loaded.Shape.Should().Be(shape);
        loaded.Pixels.ToArray().Zip(pixels, (a, b) => Math.Abs(a - b)).Max().Should().BeLessThan(8, "JPEG is lossy, but not on a flat colour");
    }

    [Test]
    public void A_truncated_png_should_be_named_as_damaged()
    {
        using var folder = new TempFolder();
        var image = new ByteImage(new ImageShape(20, 20, 1), Enumerable.Range(0, 400).Select(i => (byte)(i * 7)).ToArray());
        var png = ImageFile.EncodePng(image);
        var path = folder.Write("cut.png", png[..(png.Length / 2)]);

        var act = () => ImageFile.Load(path);

        act.Should().Throw<OnePixelException>().WithMessage($"{path}: the image data is damaged (*); expected a complete PNG or JPEG.");
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
