namespace OnePixel.Testing.Attacks;

/// <summary>
/// How much search one attack (one image, one goal) may spend, counted in model queries: a query is
/// one image scored. Scoring the unchanged image is 1 query, the initial population is
/// <see cref="Population"/> queries, and each generation is <see cref="Population"/> more, so
/// <c>queries = 1 + population * (1 + generations)</c>. The last generation is cut short rather than
/// going over: <see cref="MaxQueries"/> is never exceeded.
/// </summary>
public sealed record AttackBudget
{
    /// <summary>DE/rand/1 draws three others besides the parent, so a population needs at least 4.</summary>
    public const int MinimumPopulation = 4;

    /// <summary>The paper's population (Su, Vargas, Sakurai 2019, section IV).</summary>
    public const int PaperPopulation = 400;

    /// <summary>The paper's generation limit (Su, Vargas, Sakurai 2019, section IV).</summary>
    public const int PaperGenerations = 100;

    /// <summary>The default query budget: a tenth of the paper's, quick enough for every test run.</summary>
    public const int DefaultQueries = 4_000;

    public AttackBudget(int maxQueries, int population, int? maxGenerations = null)
    {
        if (population < MinimumPopulation)
            throw new OnePixelException($"population: expected at least {MinimumPopulation} (DE/rand/1 needs three other candidates), found {population}.");
        if (maxQueries < 1 + population)
            throw new OnePixelException($"budget: {maxQueries} queries cannot score the image and a population of {population}; expected at least {1 + population} queries.");
        if (maxGenerations is < 0)
            throw new OnePixelException($"generations: expected 0 or more, found {maxGenerations}.");
        MaxQueries = maxQueries;
        Population = population;
        MaxGenerations = maxGenerations;
    }

    /// <summary>Queries per attack, never exceeded.</summary>
    public int MaxQueries { get; }

    /// <summary>Candidates per generation.</summary>
    public int Population { get; }

    /// <summary>A generation limit on top of the query limit (the paper's preset has one), or null.</summary>
    public int? MaxGenerations { get; }

    /// <summary>Generations the query budget allows, the last one possibly partial.</summary>
    public int Generations => Math.Min(MaxGenerations ?? int.MaxValue, (int)Math.Ceiling((MaxQueries - 1 - Population) / (double)Population));

    /// <summary>The paper's setting: population 400, 100 generations: 1 + 400 * 101 = 40,401 queries.</summary>
    public static AttackBudget Paper { get; } = new(1 + PaperPopulation * (1 + PaperGenerations), PaperPopulation, PaperGenerations);

    /// <summary>The default: <see cref="DefaultQueries"/> queries with a population of 100 (39 generations).</summary>
    public static AttackBudget Default { get; } = Queries(DefaultQueries);

    /// <summary>
    /// A budget of <paramref name="queries"/> per attack. Without a population, it is queries / 40
    /// (between 4 and the paper's 400): a population large enough to explore and about 40
    /// generations to converge, reaching the paper's 400 at its 40,000-query budget.
    /// </summary>
    public static AttackBudget Queries(int queries, int? population = null)
    {
        if (queries < 1 + MinimumPopulation)
            throw new OnePixelException($"budget: expected at least {1 + MinimumPopulation} queries per image (1 to score the image, {MinimumPopulation} for the smallest population), found {queries}.");
        var size = population ?? RulePopulation(queries);
        return new AttackBudget(queries, size);
    }

    /// <summary>
    /// This budget with <paramref name="factor"/> times the queries (at least the smallest budget).
    /// A budget whose population follows the queries / 40 rule gets the rule's population for its new
    /// size (the paper's preset included, whose generation limit would otherwise cap a larger budget);
    /// a hand-picked population is kept while the new budget can hold it.
    /// </summary>
    public AttackBudget Scaled(double factor)
    {
        if (!double.IsFinite(factor) || factor <= 0)
            throw new OnePixelException($"budget scale: expected a positive number, found {factor.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        var queries = (int)Math.Clamp(Math.Round(MaxQueries * factor), 1 + MinimumPopulation, int.MaxValue / 2);
        return Population == RulePopulation(MaxQueries)
            ? Queries(queries)
            : new AttackBudget(queries, Math.Clamp(Population, MinimumPopulation, queries - 1));
    }

    private static int RulePopulation(int queries) => Math.Clamp(queries / 40, MinimumPopulation, PaperPopulation);

    public override string ToString() =>
        $"{MaxQueries:N0} queries (population {Population}, {Generations} generation{(Generations == 1 ? "" : "s")})";
}
