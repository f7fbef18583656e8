namespace OnePixel.Testing.Tests.Robustness;

public class AtomicWriteTests
{
    [Test]
    public void A_write_should_replace_the_file_whole_and_leave_no_temporary_file()
    {
        using var folder = new TempFolder();
        var path = folder.Write("report.json", "old");

        AtomicFile.WriteAllText(path, "new");

        File.ReadAllText(path).Should().Be("new");
        Directory.GetFiles(folder.Path).Should().ContainSingle();
    }

    [Test]
    public void A_write_that_fails_should_leave_the_folder_as_it_was()
    {
        using var folder = new TempFolder();
        var existing = folder.Write("baseline.json", "keep me");
        var blocked = Path.Combine(folder.Path, "report.json");
        Directory.CreateDirectory(blocked); // the target is a folder: the final rename fails

        var act = () => AtomicFile.WriteAllText(blocked, "{}");

        act.Should().Throw<IOException>();
        File.ReadAllText(existing).Should().Be("keep me");
        Directory.GetFiles(folder.Path).Should().Equal(existing);
    }
}
