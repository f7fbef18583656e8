using System.Collections.Concurrent;
using NUnit.Framework.Api;
using FrameworkPackageSettings = NUnit.FrameworkPackageSettings;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;

namespace OnePixel.Testing.NUnit.Tests.NUnit;

/// <summary>
/// Runs fixtures of the OnePixel.Testing.NUnit.TestFixtures assembly through NUnit's own runner
/// (NUnitTestAssemblyRunner, as the test adapter does) and keeps what a runner would show: each
/// case's result, category, message, output and attachments, and the progress lines.
/// </summary>
internal sealed class FixtureRun : ITestListener
{
    private readonly ConcurrentQueue<TestOutput> _output = new();

    private FixtureRun(string workDirectory) => WorkDirectory = workDirectory;

    public string WorkDirectory { get; }

    /// <summary>Results of the test cases (leaves), in the order NUnit built them.</summary>
    public IReadOnlyList<ITestResult> Cases { get; private set; } = [];

    /// <summary>Tests discovered for the fixture, as an explorer would list them.</summary>
    public IReadOnlyList<ITest> Discovered { get; private set; } = [];

    public IReadOnlyList<TestOutput> Output => _output.ToList();

    public IEnumerable<string> ProgressLines => Output.Where(o => o.Stream == "Progress").Select(o => o.Text.TrimEnd());

    public ITestResult Case(string name) => Cases.Single(c => c.Name == name);

    /// <param name="only">An NUnit filter's XML that narrows the run (such as <c>&lt;not&gt;&lt;cat&gt;Robustness&lt;/cat&gt;&lt;/not&gt;</c>), as dotnet test --filter does; discovery still lists the whole fixture.</param>
    /// <param name="stopAfter">Stops the run this long after it starts, as an IDE's Stop button does (NUnit's StopRun).</param>
    public static FixtureRun Of<TFixture>(string workDirectory, string? only = null, TimeSpan? stopAfter = null) =>
        Runs<TFixture>(workDirectory, 1, only, stopAfter)[0];

    /// <summary>The fixture loaded once and run twice, as a long-lived test host (an IDE) runs the tests it loaded again.</summary>
    public static IReadOnlyList<FixtureRun> Twice<TFixture>(string workDirectory) => Runs<TFixture>(workDirectory, 2, null, null);

    private static IReadOnlyList<FixtureRun> Runs<TFixture>(string workDirectory, int times, string? only, TimeSpan? stopAfter)
    {
        var runner = new NUnitTestAssemblyRunner(new DefaultTestAssemblyBuilder());
        runner.Load(typeof(TFixture).Assembly, new Dictionary<string, object>
        {
            [FrameworkPackageSettings.WorkDirectory] = workDirectory,
            [FrameworkPackageSettings.NumberOfTestWorkers] = 2,
        });
        var filter = TestFilter.FromXml($"<filter><class>{typeof(TFixture).FullName}</class></filter>");
        var discovered = Leaves(runner.ExploreTests(filter)).ToList();
        if (only is not null)
            filter = TestFilter.FromXml($"<filter><and><class>{typeof(TFixture).FullName}</class>{only}</and></filter>");
        var runs = new List<FixtureRun>();
        for (var i = 0; i < times; i++)
        {
            var run = new FixtureRun(workDirectory) { Discovered = discovered };
            using var stop = stopAfter is { } delay ? new Timer(_ => runner.StopRun(), null, delay, Timeout.InfiniteTimeSpan) : null;
            run.Cases = Leaves(runner.Run(run, filter)).ToList();
            runs.Add(run);
        }
        return runs;
    }

    private static IEnumerable<ITest> Leaves(ITest test) =>
        test.HasChildren ? test.Tests.SelectMany(Leaves) : [test];

    private static IEnumerable<ITestResult> Leaves(ITestResult result) =>
        result.HasChildren ? result.Children.SelectMany(Leaves) : [result];

    void ITestListener.TestStarted(ITest test) { }
    void ITestListener.TestFinished(ITestResult result) { }
    void ITestListener.TestOutput(TestOutput output) => _output.Enqueue(output);
    void ITestListener.SendMessage(TestMessage message) { }
}
