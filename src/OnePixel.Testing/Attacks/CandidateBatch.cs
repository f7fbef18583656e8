using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;

namespace OnePixel.Testing.Attacks;

/// <summary>
/// Copies of one image with candidate pixels written in, scored by the model in one call and judged
/// against the goal. Every search shares it, so they all count queries and judge success alike.
/// Buffers are made once per attack: nothing is allocated per query.
/// </summary>
/// <remarks>
/// A candidate that writes the same values at the same places as one already scored in this attack
/// (evolution converges, and clamping lands children on the bounds) is not sent to the model again:
/// its scores are copied from the first. It still counts as a query, so budgets, results and
/// reports are exactly those of scoring it again; only the time differs. Candidates that change
/// more than <see cref="MemoChanges"/> bytes are always scored.
/// </remarks>
internal sealed class CandidateBatch
{
    private readonly IImageClassifier _model;
    private LabeledImage _image;
    private readonly byte[] _pixels;
    private readonly float[] _scores;
    private readonly int _length;

    /// <summary>Candidates changing at most this many bytes are remembered (a pixel of 1 or 3 channels; 4 packs in the key).</summary>
    internal const int MemoChanges = 4;

    /// <summary>Remembered scores per attack at most (floats), so memory stays bounded for models with many classes.</summary>
    internal const int MemoMaxFloats = 1 << 22;

    private readonly Dictionary<(ulong, ulong), int>? _memo;
    private readonly Dictionary<(ulong, ulong), int> _pending = [];
    private float[] _memoScores = [];
    private readonly (ulong, ulong)[] _keys;
    private readonly int[] _source;     // per slot: memo row (>= 0), or -1 - index among the unique candidates scored now
    private readonly byte[] _unique;
    private readonly float[] _uniqueScores;

    public CandidateBatch(IImageClassifier model, LabeledImage image, AttackGoal goal, int capacity, bool memoize = true)
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
        _memo = memoize ? new Dictionary<(ulong, ulong), int>() : null;
        _keys = new (ulong, ulong)[capacity];
        _source = new int[capacity];
        _unique = memoize ? new byte[capacity * _length] : [];
        _uniqueScores = memoize ? new float[capacity * model.ClassCount] : [];
    }

    /// <summary>Whether this batch can serve an attack with these settings (buffers are sized by them).</summary>
    internal bool Fits(IImageClassifier model, int capacity, bool memoize) => ReferenceEquals(model, _model) && capacity == Capacity && memoize == _memo is not null;

    /// <summary>Readies the batch for another attack: its buffers are kept (no allocation), its memory of candidates is cleared.</summary>
    internal void Reuse(LabeledImage image, AttackGoal goal)
    {
        _image = image;
        Goal = goal;
        _memo?.Clear();
        ModelScored = 0;
    }

    /// <summary>Images the model itself scored (queries less those answered from memory).</summary>
    public long ModelScored { get; private set; }

    public AttackGoal Goal { get; private set; }
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
        if (_memo is null)
        {
            _model.Score(_pixels.AsSpan(0, count * _length), count, _scores.AsSpan(0, count * classes));
            ModelScored += count;
        }
        else
        {
            ScoreRemembering(count);
        }
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

    private void ScoreRemembering(int count)
    {
        var classes = _model.ClassCount;
        var unique = 0;
        var original = _image.Image.Pixels;
        for (var i = 0; i < count; i++)
        {
            var slot = _pixels.AsSpan(i * _length, _length);
            if (!TryKey(slot, original, out _keys[i]))
            {
                _source[i] = -1 - unique;
                slot.CopyTo(_unique.AsSpan(unique++ * _length));
                continue;
            }
            if (_memo!.TryGetValue(_keys[i], out var row))
            {
                _source[i] = row;
                continue;
            }
            // A duplicate within this batch shares the first one's unique slot.
            if (_pending.TryGetValue(_keys[i], out var first))
            {
                _source[i] = first;
                continue;
            }
            _source[i] = -1 - unique;
            _pending[_keys[i]] = _source[i];
            slot.CopyTo(_unique.AsSpan(unique++ * _length));
        }
        _pending.Clear();
        if (unique > 0)
        {
            _model.Score(_unique.AsSpan(0, unique * _length), unique, _uniqueScores.AsSpan(0, unique * classes));
            ModelScored += unique;
        }
        for (var i = 0; i < count; i++)
        {
            var target = _scores.AsSpan(i * classes, classes);
            if (_source[i] >= 0)
            {
                _memoScores.AsSpan(_source[i] * classes, classes).CopyTo(target);
                continue;
            }
            var u = -1 - _source[i];
            _uniqueScores.AsSpan(u * classes, classes).CopyTo(target);
            if (_keys[i] != NoKey && !_memo!.ContainsKey(_keys[i]) && (_memo.Count + 1) * classes <= MemoMaxFloats)
            {
                var row = _memo.Count;
                if (_memoScores.Length < (row + 1) * classes)
                    Array.Resize(ref _memoScores, Math.Min(Math.Max(_memoScores.Length * 2, 64 * classes), MemoMaxFloats));
                target.CopyTo(_memoScores.AsSpan(row * classes));
                _memo[_keys[i]] = row;
            }
        }
    }

    private static readonly (ulong, ulong) NoKey = (ulong.MaxValue, ulong.MaxValue);

    /// <summary>The candidate's changes from the original, packed (offset + 1, value) 32 bits each; false when there are too many to pack.</summary>
    private static bool TryKey(ReadOnlySpan<byte> candidate, ReadOnlySpan<byte> original, out (ulong, ulong) key)
    {
        key = NoKey;
        if (candidate.Length >= 1 << 23) return false;
        Span<ulong> changes = stackalloc ulong[MemoChanges];
        var n = 0;
        var position = 0;
        while (position < candidate.Length)
        {
            var same = candidate[position..].CommonPrefixLength(original[position..]);
            position += same;
            if (position >= candidate.Length) break;
            if (n == MemoChanges) return false;
            changes[n++] = (ulong)(position + 1) << 8 | candidate[position];
            position++;
        }
        key = (changes[0] | changes[1] << 32, changes[2] | changes[3] << 32);
        return true;
    }

    /// <summary>
    /// Batches kept between the attacks one search runs (on any of its threads), so that attacking
    /// 10,000 images does not allocate 10,000 sets of buffers: memory stays flat.
    /// </summary>
    internal sealed class Pool(IImageClassifier model, bool memoize)
    {
        private readonly System.Collections.Concurrent.ConcurrentBag<CandidateBatch> _free = [];

        public CandidateBatch Rent(LabeledImage image, AttackGoal goal, int capacity)
        {
            while (_free.TryTake(out var batch))
            {
                if (!batch.Fits(model, capacity, memoize)) continue;
                batch.Reuse(image, goal);
                return batch;
            }
            return new CandidateBatch(model, image, goal, capacity, memoize);
        }

        public void Return(CandidateBatch batch) => _free.Add(batch);
    }

    /// <summary>The class probabilities of a scored slot.</summary>
    public ReadOnlySpan<float> Row(int slot) => _scores.AsSpan(slot * _model.ClassCount, _model.ClassCount);
}
