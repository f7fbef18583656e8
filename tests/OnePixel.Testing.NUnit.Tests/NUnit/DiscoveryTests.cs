using System.Text;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;
using OnePixel.Testing.NUnit.TestFixtures;
using OnePixel.Testing.NUnit.TestFixtures.Classifiers;

namespace OnePixel.Testing.NUnit.Tests.NUnit;

/// <summary>Discovery (an explorer's refresh, the start of every run) lists cases from names and labels: no pixel is read, no model loaded.</summary>
public class DiscoveryTests
{
    /// <summary>A CSV file of <paramref name="count"/> 8x8 images, labels 0 and 1; the last line's last value is 999, which only reading its pixels finds.</summary>
    private static void WriteCsv(string path, int count)
    {
        using var writer = new StreamWriter(path, append: false, Encoding.ASCII);
        var pixels = string.Join(",", Enumerable.Repeat("200", 63));
        for (var i = 0; i < count; i++)
            writer.WriteLine($"{i % 2},{pixels},{(i == count - 1 ? 999 : 0)}");
    }

    private static List<TestMethod> Discover(string images)
    {
        var declaration = ModelDeclaration.From(new RobustnessModelAttribute(typeof(BrightCountClassifier)) { Images = images }, typeof(GateHolds).Assembly);
        var method = new MethodWrapper(typeof(GateHolds), nameof(GateHolds.Resists_one_pixel_attacks));
        return RobustnessTestBuilder.Build(new RobustnessTestAttribute { Budget = 200, MaxSuccessRate = 0.5 }, method, null, () => declaration).ToList();
    }

    [Test]
    public void Discovering_a_method_on_10000_images_lists_them_from_names_and_labels_without_reading_pixels()
    {
        using var folder = new TempFolder();
        var csv = folder.File("large.csv");
        WriteCsv(csv, 10_000);
        Discover(csv); // JIT and NUnit's first-use costs, not discovery's

        var before = GC.GetAllocatedBytesForCurrentThread();
        var plan = RobustnessPlan.Create(new RobustnessTestAttribute { Budget = 200, MaxSuccessRate = 0.5 }, typeof(GateHolds).GetMethod(nameof(GateHolds.Resists_one_pixel_attacks))!, typeof(GateHolds),
            ModelDeclaration.From(new RobustnessModelAttribute(typeof(BrightCountClassifier)) { Images = csv }, typeof(GateHolds).Assembly));
        var entries = plan.Images.Entries().ToList();
        var planned = GC.GetAllocatedBytesForCurrentThread() - before;
        var cases = Discover(csv);
        var discovered = GC.GetAllocatedBytesForCurrentThread() - before - planned;

        TestContext.Out.WriteLine($"10,000 images: the plan and its image list {planned / 1024} KB; the plan and NUnit's 10,000 test cases {discovered / 1024} KB ({discovered / 10_000} bytes per case)");
        entries.Should().HaveCount(10_000);
        // The last image's pixels are unreadable: only a discovery that reads them would notice.
        cases.Should().HaveCount(10_000).And.OnlyContain(c => c.RunState == RunState.Runnable);
        cases[^1].Name.Should().Be("Resists_one_pixel_attacks(large.csv:10000)");
        // Decoding the set would allocate its pixels alone (10,000 x 64 bytes) and the text as strings (15 MB).
        planned.Should().BeLessThan(2L << 20);
    }

    [Test]
    public void A_filtered_out_robustness_method_reads_no_image_and_loads_no_model()
    {
        using var work = new TempFolder();
        var loads = LoadCountedClassifier.Instances;

        var run = FixtureRun.Of<BesideAnOrdinaryTest>(work.Path, only: "<not><cat>Robustness</cat></not>");

        run.Discovered.Select(t => (t.Name, t.RunState)).Should().BeEquivalentTo(new[]
        {
            ("Resists_one_pixel_attacks(dark.png)", RunState.Runnable),
            ("Resists_one_pixel_attacks(light.png)", RunState.Runnable),
            ("Resists_one_pixel_attacks(broken.png)", RunState.Runnable), // not a PNG, and nobody looked
            ("An_ordinary_test", RunState.Runnable),
        });
        run.Cases.Where(c => c.ResultState != ResultState.Skipped && c.ResultState.Status != TestStatus.Inconclusive)
            .Select(c => c.Name).Should().Equal("An_ordinary_test");
        LoadCountedClassifier.Instances.Should().Be(loads, "the model is loaded only for a robustness case that runs");
        run.ProgressLines.Should().BeEmpty();
        Directory.Exists(Path.Combine(work.Path, "onepixel")).Should().BeFalse("nothing was attacked, so nothing is attached");
    }

    [Test]
    public void A_damaged_image_fails_the_cases_when_the_attack_reads_it_naming_the_file()
    {
        using var work = new TempFolder();

        var run = FixtureRun.Of<BesideAnOrdinaryTest>(work.Path, only: "<cat>Robustness</cat>");

        run.Cases.Where(c => c.Name.StartsWith("Resists", StringComparison.Ordinal)).Should().HaveCount(3)
            .And.AllSatisfy(c =>
            {
                c.ResultState.Should().Be(ResultState.Error);
                c.Message.Should().Contain("broken.png");
            });
    }
}
