using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;
using OnePixel.Testing.Randomness;

namespace OnePixel.Testing.Attacks;

/// <summary>
/// A stronger search than the paper's for a fixed budget. Most one-pixel counterexamples set the
/// pixel to an extreme value, and a 28x28 grayscale image has only 1,568 such candidates (3,136 and
/// 8 corners per pixel for RGB, 6,272): phase 1 scores them in a seeded random order, up to half the
/// budget. Phase 2 hands the best of them, by margin, to DE/rand/1 as its initial population, whose
/// differences reach the values in between and recombine promising positions.
/// </summary>
public sealed class ExtremesThenEvolutionSearch : IPixelSearch
{
    /// <summary>Share of the queries phase 1 may spend; the rest is left to evolution.</summary>
    public const double ExtremesShare = 0.5;

    private readonly IImageClassifier _model;
    private readonly AttackOptions _options;
    private readonly DifferentialEvolutionAttack _evolution;
    private readonly ImageShape _shape;
    private readonly int _corners;

    public ExtremesThenEvolutionSearch(IImageClassifier model, AttackOptions options)
    {
        _model = model;
        _options = options;
        _evolution = new DifferentialEvolutionAttack(model, options);
        _shape = model.InputShape;
        _corners = 1 << _shape.Channels;
        _batches = _evolution.Batches; // one pool for both phases: the batch is handed over with the attack
    }

    private readonly CandidateBatch.Pool _batches;

    public ImageAttackResult Run(LabeledImage image, ReadOnlySpan<float> clean, int? target, ulong seed)
    {
        var start = SearchOutcome.Start(image, clean, target);
        if (!SearchOutcome.IsAttackable(start)) return start;

        var goal = new AttackGoal(image.Label, target, _options.Fitness);
        var budget = _options.Budget;
        var population = budget.Population;
        var batch = _batches.Rent(image, goal, population);
        try
        {
            var random = new DeterministicRandom(seed);
            var pixels = _options.Pixels;

            // Phase 1: extreme-coloured candidates, in a seeded random order, without repeats for one pixel.
            // Phase 1 scores at least a population's worth (phase 2 starts from its best), but never more
            // than the queries left, nor (for one pixel) more candidates than there are: a small image
            // has fewer extremes than a population, and then random ones fill phase 2's population.
            var space = (long)_shape.PixelCount * _corners;
            var phaseOne = Math.Max((long)((budget.MaxQueries - 1) * ExtremesShare), Math.Min(population, budget.MaxQueries - 1));
            if (pixels == 1) phaseOne = Math.Min(phaseOne, space);
            var order = pixels == 1 && space <= int.MaxValue ? Permutation((int)space, random) : null;
            var tried = new List<(float Fitness, int Order, (int X, int Y, byte[] Value)[] Pixels)>((int)Math.Min(phaseOne, population * 16L));
            var queries = 1;
            var closest = float.NaN;
            for (var done = 0; done < phaseOne;)
            {
                var count = (int)Math.Min(population, phaseOne - done);
                var candidates = new (int X, int Y, byte[] Value)[count][];
                for (var i = 0; i < count; i++)
                {
                    candidates[i] = new (int, int, byte[])[pixels];
                    var slot = batch.Reset(i);
                    for (var p = 0; p < pixels; p++)
                    {
                        var index = order is not null ? order[done + i] : (long)(random.NextDouble() * space);
                        var (x, y, value) = Decode(index);
                        candidates[i][p] = (x, y, value);
                        value.CopyTo(slot.Slice((y * _shape.Width + x) * _shape.Channels, _shape.Channels));
                    }
                }
                var success = batch.Score(count);
                queries += count;
                if (success >= 0)
                {
                    var changes = Distinct(candidates[success]).Select(c => new PixelChange(c.X, c.Y, c.Value)).ToList();
                    return SearchOutcome.Fooled(start, changes, batch.Row(success), goal, queries, 0);
                }
                closest = DifferentialEvolutionAttack.Closest(closest, batch.GoalProbability.AsSpan(0, count), goal);
                for (var i = 0; i < count; i++)
                    tried.Add((batch.Fitness[i], done + i, candidates[i]));
                done += count;
            }
            if (queries >= budget.MaxQueries)
                return SearchOutcome.Resisted(start, closest, queries, 0, StopReason.BudgetExhausted);

            // Phase 2: evolution from the best extremes (ties keep the earlier), the rest of the population random.
            var best = tried.OrderBy(t => t.Fitness).ThenBy(t => t.Order).Take(population).ToList();
            var genes = _evolution.Genes;
            var genomes = _evolution.GenomePool.Rent(population);
            var parents = genomes.Parents;
            var fitness = genomes.ParentFitness;
            for (var i = 0; i < population; i++)
            {
                if (i < best.Count)
                {
                    _evolution.Encode(best[i].Pixels, parents.AsSpan(i * genes, genes));
                    fitness[i] = best[i].Fitness;
                }
                else
                {
                    var filler = Enumerable.Range(0, pixels).Select(_ => Decode((long)(random.NextDouble() * space))).ToArray();
                    _evolution.Encode(filler, parents.AsSpan(i * genes, genes));
                    fitness[i] = float.PositiveInfinity; // unscored: any child replaces it
                }
            }
            try
            {
                return _evolution.Evolve(start, batch, genomes, random, queries, scoreParents: false, closest);
            }
            finally
            {
                _evolution.GenomePool.Return(genomes);
            }
        }
        finally
        {
            _batches.Return(batch);
        }
    }

    private (int X, int Y, byte[] Value) Decode(long index)
    {
        var pixel = (int)(index / _corners);
        var corner = (int)(index % _corners);
        var value = new byte[_shape.Channels];
        for (var c = 0; c < _shape.Channels; c++)
            value[c] = (corner >> c & 1) == 1 ? (byte)255 : (byte)0;
        return (pixel % _shape.Width, pixel / _shape.Width, value);
    }

    private static int[] Permutation(int n, DeterministicRandom random)
    {
        var order = new int[n];
        for (var i = 0; i < n; i++) order[i] = i;
        for (var i = n - 1; i > 0; i--)
        {
            var j = random.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    private static IEnumerable<(int X, int Y, byte[] Value)> Distinct((int X, int Y, byte[] Value)[] pixels) =>
        pixels.Select((p, i) => (p, i)).Where(t => !pixels.Skip(t.i + 1).Any(q => q.X == t.p.X && q.Y == t.p.Y)).Select(t => t.p);
}
