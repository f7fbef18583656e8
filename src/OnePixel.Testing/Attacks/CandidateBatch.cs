using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;

namespace OnePixel.Testing.Attacks;

/// <summary>
/// Copies of one image with candidate pixels written in, scored by the model in one call and judged
/// against the goal. Every search shares it, so they all count queries and judge success alike.
/// Buffers are made once per attack: nothing is allocated per query.
/// </summary>
internal sealed class CandidateBatch
{
    private readonly IImageClassifier _model;
    private readonly LabeledImage _image;
    private readonly byte[] _pixels;
    private readonly float[] _scores;
    private readonly int _length;

    public CandidateBatch(IImageClassifier model, LabeledImage image, AttackGoal goal, int capacity)
    {
        _model = model;
        _image = image;
        Goal = goal;
        Capacity = capacity;
        _length = model.InputShape.Length;
        _pixels = new byte[capacity * _length];
        _scores = new float[capacity * model.ClassCount];
        Fitness = new float[capacity];
        GoalProbability = new float[capacity];
    }

    public AttackGoal Goal { get; }
    public int Capacity { get; }
    public ImageShape Shape => _model.InputShape;

    /// <summary>Fitness of each candidate after <see cref="Score"/>: lower is better.</summary>
    public float[] Fitness { get; }

    /// <summary>The true class's (or target's) probability of each candidate after <see cref="Score"/>.</summary>
    public float[] GoalProbability { get; }

    /// <summary>Resets slot <paramref name="slot"/> to the original image and returns it for writing pixels into.</summary>
    public Span<byte> Reset(int slot)
    {
        var target = _pixels.AsSpan(slot * _length, _length);
        _image.Image.Pixels.CopyTo(target);
        return target;
    }

    /// <summary>
    /// Scores slots 0..count-1 in one call (count queries). Returns the successful candidate with
    /// the best fitness (the first on ties), or -1 when none succeeded.
    /// </summary>
    public int Score(int count)
    {
        var classes = _model.ClassCount;
        _model.Score(_pixels.AsSpan(0, count * _length), count, _scores.AsSpan(0, count * classes));
        var success = -1;
        for (var i = 0; i < count; i++)
        {
            var row = Row(i);
            Fitness[i] = Goal.FitnessOf(row);
            GoalProbability[i] = Goal.GoalProbability(row);
            if (Goal.IsFooledBy(row) && (success < 0 || Fitness[i] < Fitness[success]))
                success = i;
        }
        return success;
    }

    /// <summary>The class probabilities of a scored slot.</summary>
    public ReadOnlySpan<float> Row(int slot) => _scores.AsSpan(slot * _model.ClassCount, _model.ClassCount);
}
