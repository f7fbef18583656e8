using System.Reflection;
using OnePixel.Testing.Assertions;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.Baselines;
using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;
using OnePixel.Testing.Verification;

namespace OnePixel.Testing.NUnit;

/// <summary>How a test method's parameters are filled: the run's report, its image's result, the baseline comparison, or the verification's report or image verdict.</summary>
internal enum ParameterRole { Report, ImageResult, Comparison, Verification, ImageVerification }

/// <summary>What a [RobustnessTest] method checks: a fixed gate on an attack, a baseline, or a one-pixel verification.</summary>
internal enum RobustnessKind { Gate, Baseline, Verification }

/// <summary>
/// Everything a [RobustnessTest] method needs, settled at discovery: the model declaration, the images,
/// the attack settings and the gate (or baseline, or verification), and how its parameters are filled.
/// Any problem here is a configuration error, reported as a not-runnable test. Discovery reads the
/// images' names and labels only (an explorer refreshing a 10,000-image suite decodes nothing); pixels
/// are read when the attack runs.
/// </summary>
internal sealed class RobustnessPlan
{
    // The method's runs, shared by its cases (see SharedRun); one of them is used, by the plan's kind.
    private readonly SharedRun<AttackReport> _report = new();
    private readonly SharedRun<BaselineResult> _baselineResult = new();
    private readonly SharedRun<VerificationReport> _verification = new();
    private readonly SharedRun<string> _historyNote = new();
    private readonly SharedRun<string> _preprocessingNote = new();

    // How far the run under way is (attacks or images done, of how many), for a case that stops waiting for it.
    private int _done;
    private int _total;

    private void Track(int done, int total)
    {
        Volatile.Write(ref _total, total);
        Volatile.Write(ref _done, done);
    }

    private RobustnessPlan(ModelDeclaration model, ImageStream images, RobustnessCheck check, IReadOnlyList<ParameterRole> parameters, bool perImage, int? imageCount, RobustnessKind kind, BaselineCheck? baseline, string? history)
    {
        History = history;
        Model = model;
        Images = images;
        Check = check;
        Parameters = parameters;
        PerImage = perImage;
        ImageCount = imageCount;
        Kind = kind;
        Baseline = baseline;
    }

    public ModelDeclaration Model { get; }

    /// <summary>For a verification: its settings from the attribute (the time limit per image).</summary>
    public VerificationOptions VerificationOptions { get; private init; } = new();
    public ImageStream Images { get; }
    public RobustnessCheck Check { get; }
    public IReadOnlyList<ParameterRole> Parameters { get; }
    public bool PerImage { get; }
    public int? ImageCount { get; }
    public RobustnessKind Kind { get; }

    /// <summary>The baseline the test compares with, its path resolved (for <see cref="RobustnessKind.Baseline"/>).</summary>
    public BaselineCheck? Baseline { get; }

    /// <summary>The history file the run belongs to, its path resolved; null when the test names none.</summary>
    public string? History { get; }

    public static RobustnessPlan Create(RobustnessTestAttribute test, MethodInfo method, Type fixture, ModelDeclaration model)
    {
        if (test.ImageCount < 0)
            throw new OnePixelException($"[RobustnessTest] ImageCount: expected 0 (all images) or more, found {test.ImageCount}.");
        int? count = test.ImageCount == 0 ? null : test.ImageCount;
        var images = model.OpenImages();
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
        return new RobustnessPlan(model, images, check, parameters, test.PerImage, count, kind, baseline, history)
        {
            VerificationOptions = new VerificationOptions { MaxSeconds = test.MaxSeconds == 0 ? null : test.MaxSeconds },
        };
    }

    /// <summary>Settings that mean nothing for the kind of test chosen are errors, not silently ignored.</summary>
    private static void CheckCombinations(RobustnessTestAttribute test, RobustnessKind kind)
    {
        if (kind != RobustnessKind.Baseline && (test.MaxSuccessRateIncrease != 0 || test.FailOnNewlyFooledImagesGiven is false || !test.FailOnNewlyMisclassifiedImages || test.AllowPreprocessingChanges || test.Significance != 0))
            throw new OnePixelException("[RobustnessTest] MaxSuccessRateIncrease, Significance, FailOnNewlyFooledImages, FailOnNewlyMisclassifiedImages and AllowPreprocessingChanges: apply to a comparison with a baseline; add Baseline = \"file.baseline.json\", or leave them out.");
        if (kind != RobustnessKind.Verification && test.MaxSeconds != 0)
            throw new OnePixelException("[RobustnessTest] MaxSeconds: the time limit per image of a verification; add Verify = true, or leave it out.");
        if (test.MaxSeconds < 0 || double.IsNaN(test.MaxSeconds) || double.IsInfinity(test.MaxSeconds))
            throw new OnePixelException($"[RobustnessTest] MaxSeconds: expected a positive number of seconds (0 for no limit), found {test.MaxSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
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
    /// The attack over all the plan's images, run once however many cases ask for it: the first case to
    /// ask runs it and reports progress. Stopped by that case's time limit or the stop of the run, it ends
    /// in a <see cref="CaseCancelledException"/> for every case; a case whose own limit ends its wait gets one too.
    /// </summary>
    /// <param name="cancellation">The asking case's limits and the run's stop.</param>
    /// <param name="models">The models of the case's declaring suite (<see cref="ModelScope.Of"/>).</param>
    public AttackReport Report(CaseCancellation cancellation, ModelScope models) => Shared(_report, cancellation, token =>
    {
        using var model = models.Use(Model);
        return Attack(model.Model, Check.Options, token);
    });

    /// <summary>The comparison with the baseline (or the baseline written, on request), made once for all the method's cases.</summary>
    public BaselineResult BaselineResult(CaseCancellation cancellation, ModelScope models) =>
        Baseline is null ? throw new InvalidOperationException("This plan has no baseline.") : Shared(_baselineResult, cancellation, token =>
        {
            using var model = models.Use(Model);
            return CompareWithBaseline(model.Model, token);
        });

    /// <summary>
    /// What became of the run in its history, in words, once for all the method's cases: appended (only with
    /// ONEPIXEL_UPDATE_HISTORY=1), already recorded, or the trend with this run at its end.
    /// </summary>
    public string HistoryNote(CaseCancellation cancellation, ModelScope models) =>
        History is null ? throw new InvalidOperationException("This plan has no history.") : Shared(_historyNote, cancellation, _ =>
        {
            var report = Kind == RobustnessKind.Baseline ? BaselineResult(cancellation, models).Report : Report(cancellation, models);
            if (report is null) return $"History {History}: not updated: there is no run to record (the baseline is missing).";
            using var model = models.Use(Model);
            if (report.Model is null) report = report with { Model = BaselineCheck.IdentityOf(model.Model.Classifier, model.Model.Identity) };
            return HistoryEntry.Record(History, report, Images);
        });

    /// <summary>
    /// "onepixel hint: ..." when fewer than half the images were classified correctly (<paramref name="accuracy"/>)
    /// and a usual other way of feeding the model file's pixels classifies far more of them
    /// (<see cref="PreprocessingCheck"/>), made once for all the method's cases; empty otherwise, for a
    /// classifier made in code, and when the model cannot be opened another way (the hint is only a hint).
    /// </summary>
    public string PreprocessingNote(double accuracy, CaseCancellation cancellation, ModelScope models) =>
        accuracy >= PreprocessingCheck.LowAccuracy ? "" : Shared(_preprocessingNote, cancellation, _ =>
        {
            using var lease = models.Use(Model);
            var model = lease.Model;
            if (model.Path is not { } path || model.Classifier is not IModelClassifier classifier) return "";
            var current = classifier.Preprocessing;
            try
            {
                return PreprocessingCheck.Suggest(path, model.Options ?? new ModelOptions(), classifier, current, Images.Read()) is { } suggestion
                    ? "onepixel hint: " + PreprocessingCheck.Describe(suggestion, current, path, $"set {suggestion.Better.AttributeFrom(current)} on [RobustnessModel]")
                    : "";
            }
            catch (OnePixelException)
            {
                return "";
            }
        });

    /// <summary>The verification of the plan's images, run once however many cases ask for it.</summary>
    public VerificationReport Verification(CaseCancellation cancellation, ModelScope models) => Shared(_verification, cancellation, token =>
    {
        using var model = models.Use(Model);
        return Verify(model.Model, token);
    });

    /// <summary>Forgets the method's runs once its cases are done, so the next run of the tests makes them again.</summary>
    public void EndOfMethod()
    {
        _report.Reset();
        _baselineResult.Reset();
        _verification.Reset();
        _historyNote.Reset();
        Track(0, 0);
        lock (_fooledLock) (_fooledOf, _fooledImages) = (null, []);
    }

    private T Shared<T>(SharedRun<T> run, CaseCancellation cancellation, Func<CancellationToken, T> make) where T : class
    {
        try
        {
            return run.Get(token =>
            {
                try
                {
                    return make(token);
                }
                catch (RunCancelledException e)
                {
                    var found = e is AttackCancelledException attack ? $" ({attack.Partial.Summary.Fooled} fooled so far)" : "";
                    throw cancellation.Stopped($"{What()} was cancelled after {e.Done} of {e.Total} image{(e.Total == 1 ? "" : "s")}{found}.", e);
                }
            }, cancellation.Token);
        }
        catch (OperationCanceledException e) when (e is not CaseCancelledException)
        {
            // This case stopped waiting for the run another case makes.
            var (done, total) = (Volatile.Read(ref _done), Volatile.Read(ref _total));
            throw cancellation.Stopped($"{What()}, run by another case, was cancelled for this case after {done} of {total} {(Kind == RobustnessKind.Verification ? "images" : "attacks")}.", e);
        }
    }

    private string What() => $"the {(Kind == RobustnessKind.Verification ? "verification" : "one-pixel attack")} of {Model.Path ?? Model.ClassifierType?.Name} on {Images.Count} image{(Images.Count == 1 ? "" : "s")}";

    private readonly Lock _fooledLock = new();
    private object? _fooledOf;
    private Dictionary<string, ByteImage> _fooledImages = [];

    /// <summary>
    /// The unchanged pixels of an image <paramref name="report"/> found fooled, for its picture. The
    /// first call reads the images once more and keeps the fooled ones only, as the HTML report does.
    /// </summary>
    public ByteImage FooledImage(AttackReport report, string name) =>
        Kept(report, () => report.FooledResults.Select(r => r.Name), name);

    /// <summary>The unchanged pixels of an image the verification found a counterexample for, kept as <see cref="FooledImage"/> keeps them.</summary>
    public ByteImage CounterexampleImage(VerificationReport report, string name) =>
        Kept(report, () => report.Results.Where(r => r.Vulnerable).Select(r => r.Name), name);

    private ByteImage Kept(object run, Func<IEnumerable<string>> names, string name)
    {
        lock (_fooledLock)
        {
            if (!ReferenceEquals(_fooledOf, run))
            {
                var wanted = names().ToHashSet(StringComparer.Ordinal);
                var images = new Dictionary<string, ByteImage>(StringComparer.Ordinal);
                foreach (var image in Images.Read())
                    if (wanted.Contains(image.Name)) images.TryAdd(image.Name, image.Image);
                (_fooledOf, _fooledImages) = (run, images);
            }
            return _fooledImages[name];
        }
    }

    private AttackReport Attack(SharedModel model, AttackOptions options, CancellationToken cancellation)
    {
        var progress = new TestProgress($"{Path.GetFileName(model.Description)} on {Images.Count} image{(Images.Count == 1 ? "" : "s")} from {Images.Source}", p => Track(p.Done, p.Total));
        return new RobustnessCheck(options, Check.Budget, Check.MaxSuccessRate, Check.MinAccuracy).Run(model.Classifier, Images, model.Identity, progress, cancellation);
    }

    private BaselineResult CompareWithBaseline(SharedModel model, CancellationToken cancellation) =>
        Baseline!.Run(options => Attack(model, options, cancellation), Images, BaselineCheck.IdentityOf(model.Classifier, model.Identity));

    private VerificationReport Verify(SharedModel model, CancellationToken cancellation)
    {
        var progress = new VerificationProgress($"{Path.GetFileName(model.Description)} on {Images.Count} image{(Images.Count == 1 ? "" : "s")} from {Images.Source}", Images.Count,
            done => Track(done, Images.Count));
        // Bounds where the graph allows (exact for RGB too), else enumeration: what `onepixel verify` does by default.
        using var verifier = OnePixelVerifier.For(model.Classifier, model.Path, model.Options, VerificationOptions);
        return verifier.Verify(Images.ToImageSet(), progress, cancellation, model.Identity) with
        {
            ClassNames = model.Classifier.ClassNames ?? Model.ClassNames ?? Images.ClassNames,
        };
    }
}
