namespace OnePixel.Testing.NUnit.Tests.NUnit;

/// <summary>Tests that run fixtures, each test in a fresh temporary work folder (NUnit's WorkDirectory, where attachments go).</summary>
public abstract class WorkFolderTests
{
    private TempFolder _work = null!;

    /// <summary>This test's work folder.</summary>
    protected string WorkPath => _work.Path;

    [SetUp]
    public void CreateWorkFolder() => _work = new TempFolder();

    [TearDown]
    public void DeleteWorkFolder() => _work.Dispose();
}
