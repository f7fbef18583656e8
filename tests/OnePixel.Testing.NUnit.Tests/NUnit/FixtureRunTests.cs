namespace OnePixel.Testing.NUnit.Tests.NUnit;

/// <summary>Tests of what one fixture class gives: the fixture runs once, in a temporary work folder, for all of them.</summary>
public abstract class FixtureRunTests<TFixture>
{
    private TempFolder _work = null!;

    /// <summary>The fixture's run: its cases, output and attachments.</summary>
    internal FixtureRun Run { get; private set; } = null!;

    /// <summary>The work folder, for other fixtures these tests run.</summary>
    protected string WorkPath => _work.Path;

    [OneTimeSetUp]
    public void RunTheFixture()
    {
        _work = new TempFolder();
        Run = FixtureRun.Of<TFixture>(_work.Path);
    }

    [OneTimeTearDown]
    public void Clean() => _work.Dispose();
}
