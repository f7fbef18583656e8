using System.CommandLine;
using OnePixel.Testing;
using OnePixel.Testing.Baselines;

namespace OnePixel.Cli.Commands;

/// <summary>
/// The options that say when a run regressed from a recorded one: shared by `baseline check` and
/// `history check`, which judge alike (<see cref="BaselinePolicy"/>).
/// </summary>
internal sealed class ComparisonPolicyOptions
{
    public Option<double> MaxIncrease { get; } = new("--max-increase") { Description = "Allowed rise of the success rate (a fraction: 0.02 = 2 points). Default 0.", DefaultValueFactory = _ => 0 };
    public Option<double?> Significance { get; } = AttackSettings.Significance();
    public Option<bool> AllowNewlyFooled { get; } = new("--allow-newly-fooled") { Description = "Do not fail when images that resisted are fooled now, as long as the success rate stays within --max-increase." };
    public Option<bool> FailOnNewlyFooled { get; } = new("--fail-on-newly-fooled") { Description = "With --significance: still fail on any image that resisted and is fooled now (without --significance that is the default)." };
    public Option<bool> AllowNewlyMisclassified { get; } = new("--allow-newly-misclassified") { Description = "Do not fail when images classified correctly before are misclassified now (by default they fail the check: they would leave the success rate's denominator)." };
    public Option<bool> AllowPreprocessing { get; } = new("--allow-preprocessing-change") { Description = "Compare even when the model is fed differently than recorded (input or output name, layout, size, scale, mean, std, output kind, backend): for a new version that takes other input. Default: refused (exit 2)." };
    public Option<double?> MinAccuracy { get; } = AttackSettings.MinAccuracy("Fail (exit 1) when the model's clean accuracy now, images classified correctly / images, is below this fraction.");

    public ComparisonPolicyOptions()
    {
        AttackSettings.CheckIncrease(MaxIncrease);
    }

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { MaxIncrease, Significance, AllowNewlyFooled, FailOnNewlyFooled, AllowNewlyMisclassified, AllowPreprocessing, MinAccuracy })
            command.Options.Add(option);
    }

    public BaselinePolicy PolicyOf(ParseResult parse)
    {
        if (parse.GetValue(AllowNewlyFooled) && parse.GetValue(FailOnNewlyFooled))
            throw new OnePixelException("--allow-newly-fooled, --fail-on-newly-fooled: say opposite things; give one of them.");
        if (parse.GetValue(FailOnNewlyFooled) && parse.GetValue(Significance) is null)
            throw new OnePixelException("--fail-on-newly-fooled: is the default without --significance; give --significance ALPHA, or leave it out.");
        var policy = new BaselinePolicy
        {
            MaxSuccessRateIncrease = parse.GetValue(MaxIncrease),
            Significance = parse.GetValue(Significance),
            FailOnNewlyMisclassifiedImages = !parse.GetValue(AllowNewlyMisclassified),
            AllowPreprocessingChanges = parse.GetValue(AllowPreprocessing),
            MinAccuracy = parse.GetValue(MinAccuracy),
        };
        // Given, either flag decides; otherwise the policy's default (fail on newly fooled images unless a level is set).
        if (parse.GetValue(AllowNewlyFooled)) policy = policy with { FailOnNewlyFooledImages = false };
        if (parse.GetValue(FailOnNewlyFooled)) policy = policy with { FailOnNewlyFooledImages = true };
        policy.Validate();
        return policy;
    }
}
