using System.IO.Compression;
using OnePixel.Testing.Imaging;

namespace OnePixel.Testing.Tests.Imaging;

public class IdxFileTests
{
    internal static byte[] IdxImages(int count, int rows, int cols, Func<int, byte> pixel)
    {
        var bytes = new List<byte> { 0, 0, 8, 3 };
        foreach (var d in new[] { count, rows, cols }) bytes.AddRange(BitConverter.GetBytes(d).Reverse());
        for (var i = 0; i < count * rows * cols; i++) bytes.Add(pixel(i));
        return bytes.ToArray();
    }

    internal static byte[] IdxLabels(params byte[] labels)
    {
        var bytes = new List<byte> { 0, 0, 8, 1 };
        bytes.AddRange(BitConverter.GetBytes(labels.Length).Reverse());
        bytes.AddRange(labels);
        return bytes.ToArray();
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest)) gzip.Write(data);
        return output.ToArray();
    }

    [TestCase(false)]
    [TestCase(true)]
    public void It_should_read_images_and_labels_gzipped_or_not(bool gzipped)
    {
        using var folder = new TempFolder();
        var images = IdxImages(3, 2, 4, i => (byte)i);
        var labels = IdxLabels(7, 0, 9);
        var imagesPath = folder.Write("images.idx", gzipped ? Gzip(images) : images);
        var labelsPath = folder.Write("labels.idx", gzipped ? Gzip(labels) : labels);

        var set = ImageSetLoader.Load(new ImageSetSource(imagesPath) { LabelsPath = labelsPath });

        set.Count.Should().Be(3);
        set.Shape.Should().Be(new ImageShape(4, 2, 1));
        set.Images.Select(i => i.Label).Should().Equal(7, 0, 9);
        set.Images[1].Image[x: 1, y: 0, channel: 0].Should().Be(9);
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Opened_as_a_stream_it_should_check_the_data_first_and_read_the_same_images(bool gzipped)
    {
        using var folder = new TempFolder();
        var images = IdxImages(5, 3, 2, i => (byte)(i * 7));
        var imagesPath = folder.Write("images.idx", gzipped ? Gzip(images) : images);
        var labelsPath = folder.Write("labels.idx", IdxLabels(1, 2, 3, 4, 0));
        var truncatedPath = folder.Write("truncated.idx", gzipped ? Gzip(images[..^1]) : images[..^1]);

        var stream = ImageSetLoader.Open(new ImageSetSource(imagesPath) { LabelsPath = labelsPath });
        var opening = () => IdxFile.OpenImages(truncatedPath);

        stream.Count.Should().Be(5);
        stream.Read().Select(i => (i.Name, i.Label, i.Image.Pixels.ToArray())).Should().BeEquivalentTo(
            IdxFile.ReadImages(imagesPath).Select((image, i) => ($"images.idx#{i}", i == 4 ? 0 : i + 1, image.Pixels.ToArray())),
            o => o.WithStrictOrdering());
        opening.Should().Throw<OnePixelException>().WithMessage($"{truncatedPath}: the IDX data is truncated*needs 30 bytes, found 29.");
    }

    [Test]
    public void The_real_Fashion_MNIST_test_set_should_read_as_the_sample_images_made_from_it()
    {
        // Debian's dataset-fashion-mnist: the files the sample PNGs were written from (samples/images/README.md).
        const string folder = "/usr/share/datasets/fashion-mnist";
        var (imagesPath, labelsPath) = (Path.Combine(folder, "t10k-images-idx3-ubyte.gz"), Path.Combine(folder, "t10k-labels-idx1-ubyte.gz"));
        if (!File.Exists(imagesPath) || !File.Exists(labelsPath))
            Assert.Fail($"{folder}: the real Fashion-MNIST IDX files are not installed. Install them with: sudo apt-get install dataset-fashion-mnist (.ci/run installs it).");
        var samples = new[] { "samples/images/fashion-mnist", "samples/images/fashion-mnist-holdout" }
            .SelectMany(SamplesBySourceIndex).ToDictionary(s => s.SourceIndex, s => s.Image);

        var stream = ImageSetLoader.Open(new ImageSetSource(imagesPath) { LabelsPath = labelsPath });
        var read = stream.Read().Take(samples.Count).ToList();

        stream.Count.Should().Be(10_000);
        stream.Shape.Should().Be(new ImageShape(28, 28, 1));
        samples.Keys.Should().BeEquivalentTo(Enumerable.Range(0, 200), "the samples are test images 0..199");
        read.Select(i => i.Label).Should().Equal(samples.Keys.Order().Select(i => samples[i].Label));
        foreach (var (image, index) in read.Select((image, index) => (image, index)))
            image.Image.Pixels.ToArray().Should().Equal(samples[index].Image.Pixels.ToArray(), $"test image {index} is {samples[index].Name}");
    }

    /// <summary>A sample folder's images with the index in the source set its labels.csv gives (column sourceIndex).</summary>
    private static IEnumerable<(int SourceIndex, LabeledImage Image)> SamplesBySourceIndex(string folder)
    {
        var set = ImageSetLoader.Load(Repository.File(folder));
        var lines = File.ReadAllLines(Repository.File(Path.Combine(folder, ImageSetLoader.LabelsFileName)));
        lines[0].Should().Be("file,label,sourceIndex");
        var indexOf = lines.Skip(1).Select(l => l.Split(',')).ToDictionary(f => f[0], f => int.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture));
        return set.Images.Select(image => (indexOf[image.Name], image));
    }

    [Test]
    public void A_bad_magic_number_should_be_named_with_the_expected_one()
    {
        using var folder = new TempFolder();
        var bytes = IdxImages(1, 2, 2, _ => 0);
        bytes[3] = 2;
        var path = folder.Write("images.idx", bytes);

        var act = () => IdxFile.ReadImages(path);

        act.Should().Throw<OnePixelException>().WithMessage($"{path}: bad IDX magic number 0x00000802; expected 0x00000803*");
    }

    [Test]
    public void A_truncated_file_should_say_how_many_bytes_were_expected_and_found()
    {
        using var folder = new TempFolder();
        var bytes = IdxImages(2, 2, 2, _ => 0);
        var path = folder.Write("images.idx", bytes[..^3]);

        var act = () => IdxFile.ReadImages(path);

        act.Should().Throw<OnePixelException>().WithMessage($"{path}: the IDX data is truncated: the header [2, 2, 2] needs 8 bytes, found 5.");
    }

    [Test]
    public void Labels_that_do_not_match_the_image_count_should_be_refused()
    {
        using var folder = new TempFolder();
        var imagesPath = folder.Write("images.idx", IdxImages(3, 2, 2, _ => 0));
        var labelsPath = folder.Write("labels.idx", IdxLabels(1, 2));

        var act = () => ImageSetLoader.Load(new ImageSetSource(imagesPath) { LabelsPath = labelsPath });

        act.Should().Throw<OnePixelException>().WithMessage($"{labelsPath}: holds 2 labels, but {imagesPath} holds 3 images*");
    }
}
