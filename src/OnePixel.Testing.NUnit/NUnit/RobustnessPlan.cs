using System.Collections.Concurrent;
using System.Reflection;
using OnePixel.Testing.Assertions;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.Baselines;
using OnePixel.Testing.Imaging;
using OnePixel.Testing.Verification;

namespace OnePixel.Testing.NUnit;

/// <summary>How a test method's parameters are filled: the run's report, its image's result, the baseline comparison, or the verification's report or image verdict.</summary>
internal enum ParameterRole { Report, ImageResult, Comparison, Verification, ImageVerification }

/// <summary>What a [RobustnessTest] method checks: a fixed gate on an attack, a baseline, or an exhaustive verification.</summary>
internal enum RobustnessKind { Gate, Baseline, Verification }

/// <summary>
/// Everything a [RobustnessTest] method needs, settled at discovery: the model declaration, the images,
/// the attack settings and the gate (or baseline, or verification), and how its parameters are filled.
/// Any problem here is a configuration error, reported as a not-runnable test.
/// </summary>
internal sealed class RobustnessPlan
{
    private static readonly ConcurrentDictionary<(string Model, string Images, int Count, AttackOptions Options), Lazy<AttackReport>> Runs = new();
    private static readonly ConcurrentDictionary<(string Model, string Images, int Count), Lazy<VerificationReport>> Verifications = new();

    private readonly Lazy<BaselineResult>? _baselineResult;
    private readonly Lazy<string>? _historyNote;

    private RobustnessPlan(ModelDeclaration model, ImageSet images, RobustnessCheck check, IReadOnlyList<ParameterRole> parameters, bool perImage, int? imageCount, RobustnessKind kind, BaselineCheck? baseline, string? history)
    {
        Model = model;
        Images = images;
        Check = check;
        Parameters = parameters;
        PerImage = perImage;
        ImageCount = imageCount;
        Kind = kind;
        Baseline = baseline;
        if (baseline is not null)
            _baselineResult = new Lazy<BaselineResult>(CompareWithBaseline, LazyThreadSafetyMode.ExecutionAndPublication);
        History = history;
        if (history is not null)
            _historyNote = new Lazy<string>(RecordInHistory, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public ModelDeclaration Model { get; }
    public ImageSet Images { get; }
    public RobustnessCheck Check { get; }
    public IReadOnlyList<ParameterRole> Parameters { get; }
    public bool PerImage { get; }
    public int? ImageCount { get; }
    public RobustnessKind Kind { get; }

    /// <summary>The baseline the test compares with, its path resolved (for <see cref="RobustnessKind.Baseline"/>).</summary>
    public BaselineCheck? Baseline { get; }

    /// <summary>The history file the run belongs to, its path resolved; null when the test names none.</summary>
    public string? History { get; }

    public static RobustnessPlan Create(RobustnessTestAttribute test, MethodInfo method, Type fixture)
    {
        var model = ModelDeclaration.For(method, fixture);
        if (test.ImageCount < 0)
            throw new OnePixelException($"[RobustnessTest] ImageCount: expected 0 (all images) or more, found {test.ImageCount}.");
        int? count = test.ImageCount == 0 ? null : test.ImageCount;
        var images = model.LoadImages();
        if (count is { } n) images = images.Slice(0, n);
        var kind = test.Verify ? RobustnessKind.Verification : test.Baseline is not null ? RobustnessKind.Baseline : RobustnessKind.Gate;
        CheckCombinations(test, kind);

        if (test.Paper && (test.Budget != 0 || test.Population != 0))
            throw new OnePixelException("[RobustnessTest] Paper: sets the budget and population itself; leave out Budget and Population.");
        if (test.Budget < 0 || test.Population < 0)
            throw new OnePixelException($"[RobustnessTest] Budget and Population: expected 0 (the default) or more, found {test.Budget} and {test.Population}.");
        var budget = test.Paper
            ? AttackBudget.Paper
            : AttackBudget.Queries(test.Budget == 0 ? AttackBudget.DefaultQueries : test.Budget, test.Population == 0 ? null : test.Population);
        if (test.Targeted && test.Target is not null)
            throw new OnePixelException($"[RobustnessTest] Targeted: attacks every other class in turn; leave out Target (\"{test.Target}\"), or Targeted to attack one class.");
        int? target = test.Target is { } t ? ImageSetLoader.ResolveLabel(t, model.ClassNames ?? images.ClassNames, "[RobustnessTest] Target") : null;
        var options = new AttackOptions
        {
            Budget = budget,
            Pixels = test.Pixels,
            Seed = test.Seed,
            Mode = test.Targeted ? AttackMode.EveryTarget : target is not null ? AttackMode.Targeted : AttackMode.Untargeted,
            Target = target,
            Search = test.Search,
            Fitness = test.Fitness,
        };
        if (options.Pixels < 1)
            throw new OnePixelException($"[RobustnessTest] Pixels: expected 1 or more, found {options.Pixels}.");

        // A baseline records the very settings it was made with, so its run is never rescaled by the environment.
        if (test.MinAccuracyGiven is { } floor && (floor is < 0 or > 1 || double.IsNaN(floor)))
            throw new OnePixelException($"[RobustnessTest] MinAccuracy: expected a fraction 0..1 (0.8 for 80%), found {floor.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        var check = kind == RobustnessKind.Baseline
            ? new RobustnessCheck(options, new EffectiveBudget(budget, budget, null), test.MaxSuccessRate, test.MinAccuracyGiven)
            : RobustnessCheck.From(options, test.MaxSuccessRate, test.MinAccuracyGiven);
        BaselineCheck? baseline = null;
        if (kind == RobustnessKind.Baseline)
        {
            var policy = new BaselinePolicy
            {
                MaxSuccessRateIncrease = test.MaxSuccessRateIncrease,
                Significance = test.Significance == 0 ? null : test.Significance,
                FailOnNewlyMisclassifiedImages = test.FailOnNewlyMisclassifiedImages,
                AllowPreprocessingChanges = test.AllowPreprocessingChanges,
                MinAccuracy = test.MinAccuracyGiven,
            };
            // Given, the rule is the test's; otherwise the policy's default (newly fooled images fail unless a level is set).
            if (test.FailOnNewlyFooledImagesGiven is { } failOnNewlyFooled) policy = policy with { FailOnNewlyFooledImages = failOnNewlyFooled };
            try { policy.Validate(); }
            catch (OnePixelException e) { throw new OnePixelException($"[RobustnessTest] {(e.Message.StartsWith("significance", StringComparison.Ordinal) ? "Significance" : "MaxSuccessRateIncrease")}: {e.Message}", e); }
            baseline = new BaselineCheck(TestPaths.ResolveOrPlace(test.Baseline!, fixture.Assembly, "[RobustnessTest] Baseline"), policy, options);
        }

        var parameters = method.GetParameters().Select(p => RoleOf(p, test, kind)).ToList();
        var history = test.History is { } h ? TestPaths.ResolveOrPlace(h, fixture.Assembly, "[RobustnessTest] History") : null;
        return new RobustnessPlan(model, images, check, parameters, test.PerImage, count, kind, baseline, history);
    }

    /// <summary>Settings that mean nothing for the kind of test chosen are errors, not silently ignored.</summary>
    private static void CheckCombinations(RobustnessTestAttribute test, RobustnessKind kind)
    {
        if (kind != RobustnessKind.Baseline && (test.MaxSuccessRateIncrease != 0 || test.FailOnNewlyFooledImagesGiven is false || !test.FailOnNewlyMisclassifiedImages || test.AllowPreprocessingChanges || test.Significance != 0))
            throw new OnePixelException("[RobustnessTest] MaxSuccessRateIncrease, Significance, FailOnNewlyFooledImages, FailOnNewlyMisclassifiedImages and AllowPreprocessingChanges: apply to a comparison with a baseline; add Baseline = \"file.baseline.json\", or leave them out.");
        if (test.History is not null && string.IsNullOrWhiteSpace(test.History))
            throw new OnePixelException("[RobustnessTest] History: the path is empty; expected a history file such as \"models/model.history.jsonl\".");
        if (kind == RobustnessKind.Baseline)
        {
            if (string.IsNullOrWhiteSpace(test.Baseline))
                throw new OnePixelException("[RobustnessTest] Baseline: the path is empty; expected a baseline file such as \"models/model.baseline.json\".");
            if (test.MaxSuccessRateGiven)
                throw new OnePixelException("[RobustnessTest] MaxSuccessRate: a baseline test compares with its baseline instead of a fixed maximum; leave out MaxSuccessRate (use MaxSuccessRateIncrease), or write a second test for the fixed gate.");
            if (test.Targeted)
                throw new OnePixelException("[RobustnessTest] Baseline: runs that attack every target are not baselined; leave out Targeted, or name one Target.");
        }
        if (kind == RobustnessKind.Verification)
        {
            var attackSettings = new List<string>();
            if (test.Baseline is not null) attackSettings.Add("Baseline");
            if (test.History is not null) attackSettings.Add("History");
            if (test.Budget != 0) attackSettings.Add("Budget");
            if (test.Population != 0) attackSettings.Add("Population");
            if (test.Paper) attackSettings.Add("Paper");
            if (test.Pixels != 1) attackSettings.Add("Pixels");
            if (test.Targeted) attackSettings.Add("Targeted");
            if (test.Target is not null) attackSettings.Add("Target");
            if (test.Seed != AttackOptions.DefaultSeed) attackSettings.Add("Seed");
            if (test.Search != SearchKind.DifferentialEvolution) attackSettings.Add("Search");
            if (test.FitnessGiven) attackSettings.Add("Fitness");
            if (attackSettings.Count > 0)
                throw new OnePixelException($"[RobustnessTest] Verify: tries every single-pixel change instead of searching, so {string.Join(", ", attackSettings)} {(attackSettings.Count == 1 ? "has" : "have")} no meaning; leave {(attackSettings.Count == 1 ? "it" : "them")} out, or Verify.");
        }
    }

    private static ParameterRole RoleOf(ParameterInfo parameter, RobustnessTestAttribute test, RobustnessKind kind)
    {
        var type = parameter.ParameterType;
        if (kind == RobustnessKind.Verification)
        {
            if (type == typeof(VerificationReport)) return ParameterRole.Verification;
            if (type == typeof(ImageVerification))
                return test.PerImage
                    ? ParameterRole.ImageVerification
                    : throw new OnePixelException($"parameter '{parameter.Name}': an ImageVerification needs one test case per image; leave PerImage at true, or take the VerificationReport.");
            throw new OnePixelException($"parameter '{parameter.Name}' ({type.Name}): a verification test can take a VerificationReport and, per image, an ImageVerification; expected only those.");
        }
        if (type == typeof(AttackReport)) return ParameterRole.Report;
        if (type == typeof(BaselineComparison))
            return kind == RobustnessKind.Baseline
                ? ParameterRole.Comparison
                : throw new OnePixelException($"parameter '{parameter.Name}': a BaselineComparison needs a baseline; add Baseline = \"file.baseline.json\", or take the AttackReport.");
        if (type == typeof(ImageAttackResult))
        {
            if (!test.PerImage)
                throw new OnePixelException($"parameter '{parameter.Name}': an ImageAttackResult needs one test case per image; leave PerImage at true, or take the AttackReport.");
            if (test.Targeted)
                throw new OnePixelException($"parameter '{parameter.Name}': with Targeted, an image has one result per target; take the AttackReport instead.");
            return ParameterRole.ImageResult;
        }
        throw new OnePixelException($"parameter '{parameter.Name}' ({type.Name}): a robustness test can take an AttackReport and, per image, an ImageAttackResult (with a Baseline also the BaselineComparison); expected only those.");
    }

    /// <summary>
    /// The attack over all the plan's images, run once however many cases (and methods with the same
    /// settings) ask for it; the first case to ask runs it and reports progress.
    /// </summary>
    public AttackReport Report() => Report(Check.Options);

    private AttackReport Report(AttackOptions options)
    {
        var key = (Model.Key, Model.Images, ImageCount ?? 0, options);
        return Runs.GetOrAdd(key, _ => new Lazy<AttackReport>(() => Attack(options), LazyThreadSafetyMode.ExecutionAndPublication)).Value;
    }

    /// <summary>The comparison with the baseline (or the baseline written, on request), made once for all the method's cases.</summary>
    public BaselineResult BaselineResult() => _baselineResult?.Value ?? throw new InvalidOperationException("This plan has no baseline.");

    /// <summary>
    /// What became of the run in its history, in words, once for all the method's cases: appended (only with
    /// ONEPIXEL_UPDATE_HISTORY=1), already recorded, or the trend with this run at its end.
    /// </summary>
    public string HistoryNote() => _historyNote?.Value ?? throw new InvalidOperationException("This plan has no history.");

    /// <summary>The exhaustive verification of the plan's images, run once however many cases ask for it.</summary>
    public VerificationReport Verification()
    {
        var key = (Model.Key, Model.Images, ImageCount ?? 0);
        return Verifications.GetOrAdd(key, _ => new Lazy<VerificationReport>(Verify, LazyThreadSafetyMode.ExecutionAndPublication)).Value;
    }

    private AttackReport Attack(AttackOptions options)
    {
        var model = SharedModels.Get(Model);
        var progress = new TestProgress($"{Path.GetFileName(model.Description)} on {Images.Count} image{(Images.Count == 1 ? "" : "s")} from {Images.Source}");
        return new RobustnessCheck(options, Check.Budget, Check.MaxSuccessRate, Check.MinAccuracy).Run(model.Classifier, Images, model.Identity, progress);
    }

    private BaselineResult CompareWithBaseline()
    {
        var model = SharedModels.Get(Model);
        return Baseline!.Run(Report, Images, BaselineCheck.IdentityOf(model.Classifier, model.Identity));
    }

    private string RecordInHistory()
    {
        var report = Kind == RobustnessKind.Baseline ? BaselineResult().Report : Report();
        if (report is null) return $"History {History}: not updated: there is no run to record (the baseline is missing).";
        var model = SharedModels.Get(Model);
        if (report.Model is null) report = report with { Model = BaselineCheck.IdentityOf(model.Classifier, model.Identity) };
        return HistoryEntry.Record(History!, report, Images);
    }

    private VerificationReport Verify()
    {
        var model = SharedModels.Get(Model);
        var progress = new VerificationProgress($"{Path.GetFileName(model.Description)} on {Images.Count} image{(Images.Count == 1 ? "" : "s")} from {Images.Source}", Images.Count);
        return new ExhaustiveVerifier(model.Classifier).Verify(Images, progress, identity: model.Identity) with
        {
            ClassNames = model.Classifier.ClassNames ?? Model.ClassNames ?? Images.ClassNames,
        };
    }
}
