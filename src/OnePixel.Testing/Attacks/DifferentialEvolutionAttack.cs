using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;
using OnePixel.Testing.Randomness;

namespace OnePixel.Testing.Attacks;

/// <summary>
/// The one-pixel attack of Su, Vargas and Sakurai (2019) on one image: differential evolution
/// DE/rand/1 (F = 0.5, no crossover, one-to-one selection) over candidates of k pixels, each
/// (x, y, value per channel). Each generation's children are scored in one call to the model.
/// </summary>
public sealed class DifferentialEvolutionAttack : IPixelSearch
{
    // The paper's initialisation of colour values: Normal(128, 127), clipped to 0..255 (section IV).
    private const double InitialValueMean = 128;
    private const double InitialValueSd = 127;

    private readonly IImageClassifier _model;
    private readonly AttackOptions _options;
    private readonly ImageShape _shape;
    private readonly int _genesPerPixel;
    private readonly int _genes;

    public DifferentialEvolutionAttack(IImageClassifier model, AttackOptions options)
    {
        _model = model;
        _options = options;
        _shape = model.InputShape;
        _genesPerPixel = 2 + _shape.Channels;
        _genes = options.Pixels * _genesPerPixel;
        _batches = new CandidateBatch.Pool(model, options.RememberCandidates);
        _genomes = new Genomes.Pool(_genes);
    }

    private readonly CandidateBatch.Pool _batches;
    private readonly Genomes.Pool _genomes;

    /// <summary>The batches this search's attacks use; a search that hands over to this one rents from the same pool.</summary>
    internal CandidateBatch.Pool Batches => _batches;

    /// <summary>The genomes this search's attacks use, shared the same way.</summary>
    internal Genomes.Pool GenomePool => _genomes;

    public ImageAttackResult Run(LabeledImage image, ReadOnlySpan<float> clean, int? target, ulong seed)
    {
        var start = SearchOutcome.Start(image, clean, target);
        if (!SearchOutcome.IsAttackable(start)) return start;

        var goal = new AttackGoal(image.Label, target, _options.Fitness);
        var population = _options.Budget.Population;
        var batch = _batches.Rent(image, goal, population);
        var genomes = _genomes.Rent(population);
        try
        {
            var random = new DeterministicRandom(seed);
            for (var i = 0; i < population; i++)
                Initialise(genomes.Parents.AsSpan(i * _genes, _genes), random);
            return Evolve(start, batch, genomes, random, queriesSoFar: 1, scoreParents: true);
        }
        finally
        {
            _genomes.Return(genomes);
            _batches.Return(batch);
        }
    }

    /// <summary>
    /// Runs DE from the parents in <paramref name="genomes"/> (scored here when <paramref name="scoreParents"/>,
    /// else their fitness is already in its ParentFitness), until success or the budget ends. Other
    /// searches hand over to it.
    /// </summary>
    internal ImageAttackResult Evolve(ImageAttackResult start, CandidateBatch batch, Genomes genomes, DeterministicRandom random, int queriesSoFar, bool scoreParents, float closestSoFar = float.NaN)
    {
        var goal = batch.Goal;
        var budget = _options.Budget;
        var population = genomes.Population;
        var parents = genomes.Parents;
        var children = genomes.Children;
        var parentFitness = genomes.ParentFitness;
        var queries = queriesSoFar;
        var closest = closestSoFar;

        if (scoreParents)
        {
            var count = Math.Min(population, budget.MaxQueries - queries);
            var success = Evaluate(batch, parents, count);
            queries += count;
            if (success >= 0)
                return SearchOutcome.Fooled(start, Pixels(parents, success), batch.Row(success), goal, queries, 0);
            batch.Fitness.AsSpan(0, count).CopyTo(parentFitness);
            parentFitness.AsSpan(count).Fill(float.PositiveInfinity);
            closest = Closest(closest, batch.GoalProbability.AsSpan(0, count), goal);
        }

        var generation = 0;
        var maxGenerations = budget.MaxGenerations ?? int.MaxValue;
        while (generation < maxGenerations && queries < budget.MaxQueries)
        {
            generation++;
            // The last generation is cut to the queries left, so the budget is never exceeded.
            var count = Math.Min(population, budget.MaxQueries - queries);
            for (var i = 0; i < count; i++)
                Mutate(parents, population, i, children.AsSpan(i * _genes, _genes), random);
            var success = Evaluate(batch, children, count);
            queries += count;
            if (success >= 0)
                return SearchOutcome.Fooled(start, Pixels(children, success), batch.Row(success), goal, queries, generation);
            closest = Closest(closest, batch.GoalProbability.AsSpan(0, count), goal);
            for (var i = 0; i < count; i++)
            {
                if (batch.Fitness[i] < parentFitness[i])
                {
                    children.AsSpan(i * _genes, _genes).CopyTo(parents.AsSpan(i * _genes, _genes));
                    parentFitness[i] = batch.Fitness[i];
                }
            }
        }
        var reason = generation >= maxGenerations && queries < budget.MaxQueries ? StopReason.GenerationsExhausted : StopReason.BudgetExhausted;
        return SearchOutcome.Resisted(start, closest, queries, generation, reason);
    }

    /// <summary>The lowest true-class (highest target) probability seen so far.</summary>
    internal static float Closest(float closest, ReadOnlySpan<float> goalProbabilities, AttackGoal goal)
    {
        foreach (var p in goalProbabilities)
            if (float.IsNaN(closest) || (goal.Target is null ? p < closest : p > closest)) closest = p;
        return closest;
    }

    private void Initialise(Span<double> candidate, DeterministicRandom random)
    {
        for (var p = 0; p < _options.Pixels; p++)
        {
            var gene = candidate.Slice(p * _genesPerPixel, _genesPerPixel);
            gene[0] = random.NextDouble() * _shape.Width;
            gene[1] = random.NextDouble() * _shape.Height;
            for (var c = 0; c < _shape.Channels; c++)
                gene[2 + c] = Math.Clamp(random.NextGaussian(InitialValueMean, InitialValueSd), 0, 255);
        }
    }

    /// <summary>DE/rand/1: child = p_r1 + F * (p_r2 - p_r3), r1, r2, r3 distinct and not the parent; clipped to the bounds.</summary>
    private void Mutate(double[] parents, int population, int parent, Span<double> child, DeterministicRandom random)
    {
        int r1, r2, r3;
        do r1 = random.NextInt(population); while (r1 == parent);
        do r2 = random.NextInt(population); while (r2 == parent || r2 == r1);
        do r3 = random.NextInt(population); while (r3 == parent || r3 == r1 || r3 == r2);
        var a = parents.AsSpan(r1 * _genes, _genes);
        var b = parents.AsSpan(r2 * _genes, _genes);
        var c = parents.AsSpan(r3 * _genes, _genes);
        for (var g = 0; g < _genes; g++)
        {
            var value = a[g] + _options.MutationFactor * (b[g] - c[g]);
            var upper = (g % _genesPerPixel) switch
            {
                0 => Math.BitDecrement((double)_shape.Width),
                1 => Math.BitDecrement((double)_shape.Height),
                _ => 255.0,
            };
            child[g] = Math.Clamp(value, 0, upper);
        }
    }

    private int Evaluate(CandidateBatch batch, double[] candidates, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var slot = batch.Reset(i);
            var candidate = candidates.AsSpan(i * _genes, _genes);
            for (var p = 0; p < _options.Pixels; p++)
            {
                var gene = candidate.Slice(p * _genesPerPixel, _genesPerPixel);
                var (x, y) = Position(gene);
                var offset = (y * _shape.Width + x) * _shape.Channels;
                for (var c = 0; c < _shape.Channels; c++)
                    slot[offset + c] = ToByte(gene[2 + c]);
            }
        }
        return batch.Score(count);
    }

    private (int X, int Y) Position(ReadOnlySpan<double> gene) =>
        (Math.Min((int)gene[0], _shape.Width - 1), Math.Min((int)gene[1], _shape.Height - 1));

    private static byte ToByte(double value) => (byte)Math.Round(Math.Clamp(value, 0, 255), MidpointRounding.ToEven);

    private List<PixelChange> Pixels(double[] candidates, int index)
    {
        var candidate = candidates.AsSpan(index * _genes, _genes);
        var pixels = new List<PixelChange>(_options.Pixels);
        for (var p = 0; p < _options.Pixels; p++)
        {
            var gene = candidate.Slice(p * _genesPerPixel, _genesPerPixel);
            var (x, y) = Position(gene);
            var value = new byte[_shape.Channels];
            for (var c = 0; c < _shape.Channels; c++) value[c] = ToByte(gene[2 + c]);
            // Two genes may land on the same pixel: the later one wins when written, so keep only it.
            pixels.RemoveAll(existing => existing.X == x && existing.Y == y);
            pixels.Add(new PixelChange(x, y, value));
        }
        return pixels;
    }

    /// <summary>A genome that writes exactly these pixels (the centre of each pixel's cell).</summary>
    internal void Encode(IReadOnlyList<(int X, int Y, byte[] Value)> pixels, Span<double> genome)
    {
        for (var p = 0; p < _options.Pixels; p++)
        {
            var (x, y, value) = pixels[Math.Min(p, pixels.Count - 1)];
            var gene = genome.Slice(p * _genesPerPixel, _genesPerPixel);
            gene[0] = x + 0.5;
            gene[1] = y + 0.5;
            for (var c = 0; c < _shape.Channels; c++) gene[2 + c] = value[c];
        }
    }

    internal int Genes => _genes;
}
