using System.Collections.Concurrent;
using System.Reflection;
using OnePixel.Testing.Assertions;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.Imaging;

namespace OnePixel.Testing.NUnit;

/// <summary>How a test method's parameters are filled: the run's report, or its image's result.</summary>
internal enum ParameterRole { Report, ImageResult }

/// <summary>
/// Everything a [RobustnessTest] method needs, settled at discovery: the model declaration, the images,
/// the attack settings and the gate, and how its parameters are filled. Any problem here is a
/// configuration error, reported as a not-runnable test.
/// </summary>
internal sealed class RobustnessPlan
{
    private static readonly ConcurrentDictionary<(string Model, string Images, int Count, AttackOptions Options), Lazy<AttackReport>> Runs = new();

    private RobustnessPlan(ModelDeclaration model, ImageSet images, RobustnessCheck check, IReadOnlyList<ParameterRole> parameters, bool perImage, int? imageCount)
    {
        Model = model;
        Images = images;
        Check = check;
        Parameters = parameters;
        PerImage = perImage;
        ImageCount = imageCount;
    }

    public ModelDeclaration Model { get; }
    public ImageSet Images { get; }
    public RobustnessCheck Check { get; }
    public IReadOnlyList<ParameterRole> Parameters { get; }
    public bool PerImage { get; }
    public int? ImageCount { get; }

    public static RobustnessPlan Create(RobustnessTestAttribute test, MethodInfo method, Type fixture)
    {
        var model = ModelDeclaration.For(method, fixture);
        if (test.ImageCount < 0)
            throw new OnePixelException($"[RobustnessTest] ImageCount: expected 0 (all images) or more, found {test.ImageCount}.");
        int? count = test.ImageCount == 0 ? null : test.ImageCount;
        var images = model.LoadImages();
        if (count is { } n) images = images.Slice(0, n);

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
        };
        if (options.Pixels < 1)
            throw new OnePixelException($"[RobustnessTest] Pixels: expected 1 or more, found {options.Pixels}.");
        var check = RobustnessCheck.From(options, test.MaxSuccessRate);

        var parameters = method.GetParameters().Select(p => RoleOf(p, test)).ToList();
        return new RobustnessPlan(model, images, check, parameters, test.PerImage, count);
    }

    private static ParameterRole RoleOf(ParameterInfo parameter, RobustnessTestAttribute test)
    {
        if (parameter.ParameterType == typeof(AttackReport)) return ParameterRole.Report;
        if (parameter.ParameterType == typeof(ImageAttackResult))
        {
            if (!test.PerImage)
                throw new OnePixelException($"parameter '{parameter.Name}': an ImageAttackResult needs one test case per image; leave PerImage at true, or take the AttackReport.");
            if (test.Targeted)
                throw new OnePixelException($"parameter '{parameter.Name}': with Targeted, an image has one result per target; take the AttackReport instead.");
            return ParameterRole.ImageResult;
        }
        throw new OnePixelException($"parameter '{parameter.Name}' ({parameter.ParameterType.Name}): a robustness test can take an AttackReport and, per image, an ImageAttackResult; expected only those.");
    }

    /// <summary>
    /// The attack over all the plan's images, run once however many cases (and methods with the same
    /// settings) ask for it; the first case to ask runs it and reports progress.
    /// </summary>
    public AttackReport Report()
    {
        var key = (Model.Key, Model.Images, ImageCount ?? 0, Check.Options);
        return Runs.GetOrAdd(key, _ => new Lazy<AttackReport>(Attack, LazyThreadSafetyMode.ExecutionAndPublication)).Value;
    }

    private AttackReport Attack()
    {
        var model = SharedModels.Get(Model);
        var progress = new TestProgress($"{Path.GetFileName(model.Description)} on {Images.Count} image{(Images.Count == 1 ? "" : "s")} from {Images.Source}");
        return Check.Run(model.Classifier, Images, model.Identity, progress);
    }
}
