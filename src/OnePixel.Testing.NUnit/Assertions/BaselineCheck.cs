using OnePixel.Testing.Attacks;
using OnePixel.Testing.Baselines;
using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;

namespace OnePixel.Testing.Assertions;

/// <summary>What a baseline check came to.</summary>
internal enum BaselineVerdict
{
    /// <summary>ONEPIXEL_UPDATE_BASELINES was set: the baseline was (re)written and nothing compared.</summary>
    Written,

    /// <summary>No baseline file, and no update asked for.</summary>
    Missing,

    /// <summary>The baseline was made differently (other images, settings or engine), so it is not compared.</summary>
    Refused,

    /// <summary>Compared, and within the policy.</summary>
    Holds,

    /// <summary>Compared, and worse than the policy allows.</summary>
    Regressed,
}

/// <summary>The outcome of a <see cref="BaselineCheck"/>: the verdict with the run, the comparison or the record written behind it.</summary>
internal sealed record BaselineResult(BaselineVerdict Verdict, BaselineCheck Check, ModelIdentity Model)
{
    public AttackReport? Report { get; init; }
    public BaselineComparison? Comparison { get; init; }
    public RobustnessBaseline? Written { get; init; }

    /// <summary>The settings the run used, or would have used: what a refreshed baseline is made with.</summary>
    public AttackOptions? Options { get; init; }

    public bool Passed => Verdict is BaselineVerdict.Written or BaselineVerdict.Holds;

    /// <summary>How the model is fed now: what a refreshed baseline records.</summary>
    public ModelPreprocessing? Preprocessing => Report?.Model?.Preprocessing ?? Model.Preprocessing;
}

/// <summary>
/// A fresh attack compared with a committed baseline, shared by the FluentAssertions and NUnit adapters.
/// The attack uses the settings the test names (<see cref="Options"/>), or else the baseline's own
/// (<see cref="BaselineComparison.OptionsFor"/>), never scaled by ONEPIXEL_BUDGET_SCALE: a scaled run
/// could not be compared with the baseline. The baseline is written only when ONEPIXEL_UPDATE_BASELINES
/// asks for it (<see cref="BaselineUpdate.Requested"/>), atomically, and then nothing is compared.
/// </summary>
internal sealed record BaselineCheck(string Path, BaselinePolicy Policy, AttackOptions? Options)
{
    /// <param name="attack">Runs the attack with the given settings (the NUnit adapter shares one run among cases).</param>
    /// <param name="images">The images attacked, for their content hashes.</param>
    /// <param name="model">Names the model in a baseline; a classifier made in code has no file, so the caller names it.</param>
    public BaselineResult Run(Func<AttackOptions, AttackReport> attack, IImageSource images, ModelIdentity model)
    {
        Policy.Validate();
        if (BaselineUpdate.Requested)
        {
            var options = Options ?? (File.Exists(Path) ? BaselineComparison.OptionsFor(BaselineFile.Read(Path)) : new AttackOptions());
            var report = Identified(attack(options), model);
            var record = BaselineFile.FromReport(report, images);
            BaselineFile.Write(record, Path);
            return new BaselineResult(BaselineVerdict.Written, this, model) { Report = report, Written = record, Options = options };
        }

        if (!File.Exists(Path))
            return new BaselineResult(BaselineVerdict.Missing, this, model) { Options = Options ?? new AttackOptions() };

        var baseline = BaselineFile.Read(Path);
        var settings = Options ?? BaselineComparison.OptionsFor(baseline);
        var run = Identified(attack(settings), model);
        var comparison = BaselineComparison.Compare(baseline, run, images, Policy);
        var verdict = !comparison.Comparable ? BaselineVerdict.Refused : comparison.Regressed ? BaselineVerdict.Regressed : BaselineVerdict.Holds;
        return new BaselineResult(verdict, this, model) { Report = run, Comparison = comparison, Options = settings };
    }

    /// <summary>A classifier made in code is named by its type and, for information, its assembly file's sha256.</summary>
    public static ModelIdentity IdentityOf(IImageClassifier classifier, ModelIdentity? known) =>
        known ?? new ModelIdentity(classifier.GetType().FullName ?? classifier.GetType().Name,
            classifier.GetType().Assembly.Location is { Length: > 0 } file ? LoadedModel.Sha256Of(file) : "");

    private static AttackReport Identified(AttackReport report, ModelIdentity model) => report.Model is null ? report with { Model = model } : report;
}
