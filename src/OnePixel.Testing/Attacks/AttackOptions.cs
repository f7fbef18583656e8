namespace OnePixel.Testing.Attacks;

/// <summary>Settings of an attack run. The defaults follow the paper except for the budget (see <see cref="AttackBudget.Default"/>).</summary>
public sealed record AttackOptions
{
    /// <summary>Pixels changed per candidate (the paper's d). Default 1.</summary>
    public int Pixels { get; init; } = 1;

    public AttackBudget Budget { get; init; } = AttackBudget.Default;

    /// <summary>Fixes the whole search: the same seed gives the same report, whatever the thread count.</summary>
    public ulong Seed { get; init; } = DefaultSeed;

    public AttackMode Mode { get; init; } = AttackMode.Untargeted;

    /// <summary>The target class for <see cref="AttackMode.Targeted"/>.</summary>
    public int? Target { get; init; }

    /// <summary>Which search looks for the pixels. Default: the paper's differential evolution.</summary>
    public SearchKind Search { get; init; } = SearchKind.DifferentialEvolution;

    /// <summary>How candidates are ranked. Default: the paper's probability fitness.</summary>
    public FitnessKind Fitness { get; init; } = FitnessKind.Probability;

    /// <summary>DE's mutation factor F (the paper: 0.5).</summary>
    public double MutationFactor { get; init; } = 0.5;

    /// <summary>Images attacked at once; default: one per processor.</summary>
    public int? Threads { get; init; }

    /// <summary>
    /// Repeated candidates are answered from the attack's memory instead of the model (they still
    /// count as queries, and the report is the same). Off only to check that claim, or to time the
    /// model alone.
    /// </summary>
    internal bool RememberCandidates { get; init; } = true;

    /// <summary>The paper's reference setting: DE/rand/1 with probability fitness.</summary>
    public static AttackOptions PaperSearch(AttackBudget budget) => new() { Budget = budget };

    /// <summary>The stronger search: extremes first, then evolution, ranked by margin.</summary>
    public static AttackOptions StrongSearch(AttackBudget budget) => new() { Budget = budget, Search = SearchKind.ExtremesThenEvolution, Fitness = DefaultFitness(SearchKind.ExtremesThenEvolution) };

    /// <summary>
    /// Each search's own fitness, used unless one is asked for: the paper's probability for its
    /// differential evolution, the margin for the stronger search (its extreme colours rarely move
    /// the true class's probability alone, but often the gap to the runner-up).
    /// </summary>
    public static FitnessKind DefaultFitness(SearchKind search) =>
        search == SearchKind.ExtremesThenEvolution ? FitnessKind.Margin : FitnessKind.Probability;

    internal IPixelSearch CreateSearch(Models.IImageClassifier model) => Search switch
    {
        SearchKind.ExtremesThenEvolution => new ExtremesThenEvolutionSearch(model, this),
        _ => new DifferentialEvolutionAttack(model, this),
    };

    public const ulong DefaultSeed = 2019; // the paper's year: any fixed number would do

    public void Validate(int classCount)
    {
        if (Pixels < 1)
            throw new OnePixelException($"pixels: expected 1 or more pixels to change, found {Pixels}.");
        if (MutationFactor is <= 0 or > 2 || double.IsNaN(MutationFactor))
            throw new OnePixelException($"mutation factor: expected a value in (0, 2], found {MutationFactor}.");
        if (Threads is < 1)
            throw new OnePixelException($"threads: expected 1 or more, found {Threads}.");
        if (Mode == AttackMode.Targeted && Target is null)
            throw new OnePixelException("target: a targeted attack needs a target class.");
        if (Target is { } target && (target < 0 || target >= classCount))
            throw new OnePixelException($"target: class {target} is out of range; expected 0..{classCount - 1}.");
    }
}
