using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;
using OnePixel.Testing.Randomness;

namespace OnePixel.Testing.Attacks;

/// <summary>
/// The one-pixel attack of Su, Vargas and Sakurai (2019) on one image: differential evolution
/// DE/rand/1 (F = 0.5, no crossover, one-to-one selection) over candidates of k pixels, each
/// (x, y, value per channel). Each generation's children are scored in one call to the model.
/// </summary>
public sealed class DifferentialEvolutionAttack
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
    }

    /// <summary>
    /// Attacks one image whose unchanged scores (<paramref name="cleanProbabilities"/>, 1 query) are
    /// known. <paramref name="target"/> is null for an untargeted attack.
    /// </summary>
    public ImageAttackResult Run(LabeledImage image, ReadOnlySpan<float> cleanProbabilities, int? target, ulong seed)
    {
        var (predicted, predictedConfidence) = Probability.TopOne(cleanProbabilities);
        var result = new ImageAttackResult
        {
            Index = image.Index,
            Name = image.Name,
            Label = image.Label,
            Predicted = predicted,
            PredictedConfidence = predictedConfidence,
            Target = target,
            Attacked = false,
            Fooled = false,
            Queries = 1,
            StopReason = StopReason.AlreadyMisclassified,
        };
        if (predicted != image.Label) return result;
        if (target == image.Label) return result with { StopReason = StopReason.TargetIsTrueClass };

        var budget = _options.Budget;
        var population = budget.Population;
        var classes = _model.ClassCount;
        var random = new DeterministicRandom(seed);
        var parents = new double[population * _genes];
        var children = new double[population * _genes];
        var parentFitness = new float[population];
        var childFitness = new float[population];
        var batch = new byte[population * _shape.Length];
        var scores = new float[population * classes];
        var queries = 1;

        for (var i = 0; i < population; i++)
            Initialise(parents.AsSpan(i * _genes, _genes), random);
        var success = Evaluate(image, parents, population, batch, scores, parentFitness, target);
        queries += population;
        if (success >= 0)
            return Succeed(result, parents, success, scores, queries, 0, target);

        var generation = 0;
        var maxGenerations = budget.MaxGenerations ?? int.MaxValue;
        while (generation < maxGenerations && queries < budget.MaxQueries)
        {
            generation++;
            // The last generation is cut to the queries left, so the budget is never exceeded.
            var count = Math.Min(population, budget.MaxQueries - queries);
            for (var i = 0; i < count; i++)
                Mutate(parents, population, i, children.AsSpan(i * _genes, _genes), random);
            success = Evaluate(image, children, count, batch, scores, childFitness, target);
            queries += count;
            if (success >= 0)
                return Succeed(result, children, success, scores, queries, generation, target);
            for (var i = 0; i < count; i++)
            {
                if (childFitness[i] < parentFitness[i])
                {
                    children.AsSpan(i * _genes, _genes).CopyTo(parents.AsSpan(i * _genes, _genes));
                    parentFitness[i] = childFitness[i];
                }
            }
        }

        var best = parentFitness.AsSpan().IndexOf(parentFitness.Min());
        return result with
        {
            Attacked = true,
            Queries = queries,
            Generations = generation,
            ClosestConfidence = target is null ? parentFitness[best] : 1 - parentFitness[best],
            StopReason = generation >= maxGenerations && queries < budget.MaxQueries ? StopReason.GenerationsExhausted : StopReason.BudgetExhausted,
        };
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

    /// <summary>
    /// Scores <paramref name="count"/> candidates in one call and fills their fitness (lower is
    /// better). Returns the index of the successful candidate with the best fitness, or -1.
    /// </summary>
    private int Evaluate(LabeledImage image, double[] candidates, int count, byte[] batch, float[] scores, float[] fitness, int? target)
    {
        var length = _shape.Length;
        var original = image.Image.Pixels;
        for (var i = 0; i < count; i++)
        {
            var slot = batch.AsSpan(i * length, length);
            original.CopyTo(slot);
            WritePixels(candidates.AsSpan(i * _genes, _genes), slot);
        }
        var classes = _model.ClassCount;
        _model.Score(batch.AsSpan(0, count * length), count, scores.AsSpan(0, count * classes));

        var success = -1;
        for (var i = 0; i < count; i++)
        {
            var row = scores.AsSpan(i * classes, classes);
            // Fitness as in the paper: untargeted, the true class's probability; targeted, 1 - the target's.
            fitness[i] = target is { } t ? 1 - row[t] : row[image.Label];
            var (top, _) = Probability.TopOne(row);
            var fooled = target is { } goal ? top == goal : top != image.Label;
            if (fooled && (success < 0 || fitness[i] < fitness[success]))
                success = i;
        }
        return success;
    }

    private void WritePixels(ReadOnlySpan<double> candidate, Span<byte> pixels)
    {
        for (var p = 0; p < _options.Pixels; p++)
        {
            var gene = candidate.Slice(p * _genesPerPixel, _genesPerPixel);
            var (x, y) = Position(gene);
            var offset = (y * _shape.Width + x) * _shape.Channels;
            for (var c = 0; c < _shape.Channels; c++)
                pixels[offset + c] = ToByte(gene[2 + c]);
        }
    }

    private (int X, int Y) Position(ReadOnlySpan<double> gene) =>
        (Math.Min((int)gene[0], _shape.Width - 1), Math.Min((int)gene[1], _shape.Height - 1));

    private static byte ToByte(double value) => (byte)Math.Round(Math.Clamp(value, 0, 255), MidpointRounding.ToEven);

    private ImageAttackResult Succeed(ImageAttackResult result, double[] candidates, int index, float[] scores, int queries, int generation, int? target)
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
        var row = scores.AsSpan(index * _model.ClassCount, _model.ClassCount);
        var (label, confidence) = Probability.TopOne(row);
        return result with
        {
            Attacked = true,
            Fooled = true,
            AdversarialLabel = label,
            AdversarialConfidence = confidence,
            Pixels = pixels,
            ClosestConfidence = target is { } t ? row[t] : row[result.Label],
            Queries = queries,
            Generations = generation,
            StopReason = target is null ? StopReason.TopOneChanged : StopReason.TargetReached,
        };
    }
}
