using OnePixel.Testing.Imaging;

namespace OnePixel.Testing.Tests.Imaging;

public class TextLinesTests
{
    private static List<(int, string)> Lines(string path)
    {
        var lines = new List<(int, string)>();
        using var reader = new TextLines(path);
        while (reader.TryRead(out var line)) lines.Add((reader.Number, line.ToString()));
        return lines;
    }

    [TestCase("a\nb\n")]
    [TestCase("a\r\nb\r\n\r\nc")]
    [TestCase("a\rb\r\rc\r")]
    [TestCase("\n\n")]
    [TestCase("")]
    [TestCase("no line end")]
    [TestCase("\uFEFFbom,1\nx,2")]
    public void Lines_and_their_numbers_should_be_those_File_ReadLines_gives(string text)
    {
        using var folder = new TempFolder();
        var path = folder.Write("lines.txt", text);

        Lines(path).Should().Equal(File.ReadLines(path).Select((line, i) => (i + 1, line)));
    }

    [Test]
    public void Lines_longer_than_the_buffer_and_line_ends_split_across_reads_should_come_whole()
    {
        using var folder = new TempFolder();
        // 64 K characters is the first buffer: a \r\n lands on its edge, then a line of twice its size.
        var text = new string('a', 64 * 1024 - 1) + "\r\n" + new string('b', 130_000) + "\nc";
        var path = folder.Write("long.txt", text);

        Lines(path).Should().Equal(File.ReadLines(path).Select((line, i) => (i + 1, line)));
    }
}
