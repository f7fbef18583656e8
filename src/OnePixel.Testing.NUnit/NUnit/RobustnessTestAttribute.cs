using NUnit.Framework;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;
using NUnit.Framework.Internal.Commands;
using OnePixel.Testing.Attacks;

namespace OnePixel.Testing.NUnit;

/// <summary>
/// Turns a method into a robustness test: the one-pixel attack runs on the declared model's images
/// (see <see cref="RobustnessModelAttribute"/>) and the test fails when the success rate exceeds
/// <see cref="MaxSuccessRate"/>. The method may take an <see cref="AttackReport"/> (the whole run) and,
/// per image, an <see cref="ImageAttackResult"/> (its image's result) for further assertions; it runs
/// only when the gate holds for it.
/// </summary>
/// <remarks>
/// By default there is one test case per image, named after the image, so CI shows which images are
/// fooled: while the gate holds every case passes (a fooled image says so in its output and attachments);
/// when it fails, the cases of the fooled images fail with the full evidence. The attack itself runs once
/// and is shared by all cases. Every case is in the <c>Robustness</c> category, gets a PNG per fooled image
/// and the JSON report as attachments, and reports progress through <see cref="TestContext.Progress"/>.
/// A configuration error (no model declared, a missing file, bad images) becomes a not-runnable test with
/// the reason rather than a failure of test discovery.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class RobustnessTestAttribute : NUnitAttribute, ITestBuilder, IImplyFixture, IWrapTestMethod
{
    /// <summary>The category every robustness test is in: <c>dotnet test --filter TestCategory=Robustness</c>.</summary>
    public const string Category = "Robustness";

    /// <summary>Model queries per image; 0 means <see cref="AttackBudget.DefaultQueries"/>. Scaled by ONEPIXEL_BUDGET_SCALE.</summary>
    public int Budget { get; set; }

    /// <summary>DE population; 0 means budget / 40 (see <see cref="AttackBudget.Queries"/>).</summary>
    public int Population { get; set; }

    /// <summary>The paper's budget (population 400, 100 generations) instead of <see cref="Budget"/>.</summary>
    public bool Paper { get; set; }

    /// <summary>The largest fraction of attacked images that may be fooled; default <see cref="RobustnessGate.DefaultMaxSuccessRate"/>.</summary>
    public double MaxSuccessRate { get; set; } = RobustnessGate.DefaultMaxSuccessRate;

    /// <summary>Pixels changed per candidate.</summary>
    public int Pixels { get; set; } = 1;

    /// <summary>Attack every other class in turn (the paper's targeted setting).</summary>
    public bool Targeted { get; set; }

    /// <summary>Attack towards this one class: its name or index.</summary>
    public string? Target { get; set; }

    /// <summary>Fixes the whole search.</summary>
    public ulong Seed { get; set; } = AttackOptions.DefaultSeed;

    /// <summary>Attack only the first N images; 0 means all.</summary>
    public int ImageCount { get; set; }

    /// <summary>One test case per image (default), or a single test for the whole run.</summary>
    public bool PerImage { get; set; } = true;

    public IEnumerable<TestMethod> BuildFrom(IMethodInfo method, Test? suite) => RobustnessTestBuilder.Build(this, method, suite);

    public TestCommand Wrap(TestCommand command) => new RobustnessCommand(command);
}
