using System.Text;
using OnePixel.Testing.Imaging;

namespace OnePixel.Testing.Tests.Imaging;

/// <summary>Listing a set's images (names, labels, positions) reads no pixels: what a test explorer needs from a large set.</summary>
public class ImageEntriesTests
{
    /// <summary>A CSV file of <paramref name="count"/> 28x28 images, labels 0..9; the last line's last value is 999, which only reading its pixels finds.</summary>
    internal static void WriteCsv(string path, int count)
    {
        using var writer = new StreamWriter(path, append: false, Encoding.ASCII);
        writer.WriteLine("label," + string.Join(",", Enumerable.Range(0, 784).Select(i => $"p{i}")));
        var pixels = string.Join(",", Enumerable.Repeat("0", 783));
        for (var i = 0; i < count; i++)
            writer.WriteLine($"{i % 10},{pixels},{(i == count - 1 ? 999 : 255)}");
    }

    [Test]
    public void Opening_a_10000_image_csv_file_should_list_every_image_without_reading_its_pixels_or_allocating_per_line()
    {
        using var folder = new TempFolder();
        var path = folder.File("large.csv");
        WriteCsv(path, 10_000);
        ImageSetLoader.Open(path).Entries().Count(); // JIT and first-use costs, not the listing's

        var before = GC.GetAllocatedBytesForCurrentThread();
        var stream = ImageSetLoader.Open(path);
        var entries = stream.Entries().ToList();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        TestContext.Out.WriteLine($"opened and listed 10,000 images ({new FileInfo(path).Length / 1024 / 1024} MB of CSV): {allocated / 1024} KB allocated");
        entries.Should().HaveCount(10_000);
        entries[0].Should().Be(new ImageEntry("large.csv:2", 0, 0));
        entries[^1].Should().Be(new ImageEntry("large.csv:10001", 9, 9_999));
        // The text is 15 MB (30 MB as .NET strings): what is allocated is the labels, line numbers and names.
        allocated.Should().BeLessThan(3L << 20);
        var reading = () => stream.Slice(9_999, 1).Read().ToList();
        reading.Should().Throw<OnePixelException>().WithMessage("*large.csv, line 10001: value 784 is '999'; expected an integer 0..255.");
    }

    [Test]
    public void Entries_should_be_the_names_labels_and_positions_reading_gives_for_every_kind_of_set()
    {
        using var folder = new TempFolder();
        var idx = folder.Write("images.idx", IdxFileTests.IdxImages(5, 2, 2, i => (byte)i));
        var labels = folder.Write("labels.idx", IdxFileTests.IdxLabels(3, 1, 4, 1, 5));
        var csv = folder.Write("images.csv", "label,a,b,c,d\n1,0,0,0,0\n\n0,9,9,9,9\r\n1,1,2,3,4\r0,5,5,5,5");
        ImageFile.SavePng(ByteImage.Filled(new ImageShape(2, 2, 1), 7), folder.File("images/a.png"));
        ImageFile.SavePng(ByteImage.Filled(new ImageShape(2, 2, 1), 8), folder.File("images/b.png"));
        folder.Write("images/labels.csv", "file,label\nb.png,1\na.png,0\n");
        var sources = new[]
        {
            ImageSetLoader.Open(new ImageSetSource(idx) { LabelsPath = labels }),
            ImageSetLoader.Open(csv),
            ImageSetLoader.Open(folder.File("images")),
        };

        foreach (var source in sources.Concat(sources.Select(s => s.Slice(1, 2))))
            source.Entries().Should().Equal(source.Read().Select(i => new ImageEntry(i.Name, i.Label, i.Index)), source.Source);
        sources[1].Entries().Select(e => e.Name).Should().Equal("images.csv:2", "images.csv:4", "images.csv:5", "images.csv:6");
    }

    [Test]
    public void An_image_damaged_after_opening_should_still_be_listed_and_fail_only_when_read()
    {
        using var folder = new TempFolder();
        ImageFile.SavePng(ByteImage.Filled(new ImageShape(2, 2, 1), 7), folder.File("a.png"));
        ImageFile.SavePng(ByteImage.Filled(new ImageShape(2, 2, 1), 8), folder.File("b.png"));
        folder.Write("labels.csv", "file,label\na.png,0\nb.png,1\n");
        var stream = ImageSetLoader.Open(folder.Path);
        folder.Write("b.png", [1, 2, 3]);

        stream.Entries().Select(e => e.Name).Should().Equal("a.png", "b.png");
        var reading = () => stream.Read().ToList();
        reading.Should().Throw<OnePixelException>().WithMessage("*b.png*");
    }
}
