using OnePixel.Testing.NUnit.TestFixtures;

namespace OnePixel.Testing.NUnit.Tests.NUnit;

public class ProgressTests
{
    [Test]
    public void Progress_is_written_to_TestContext_Progress_while_the_attack_runs()
    {
        using var work = new TempFolder();

        var run = FixtureRun.Of<ProgressReported>(work.Path);

        run.ProgressLines.Should().Contain(line => line.StartsWith("onepixel: BrightCountClassifier on 5 images from ", StringComparison.Ordinal))
            .And.Contain(line => line.EndsWith(": 5/5 attacked, 2 fooled", StringComparison.Ordinal));
    }
}
