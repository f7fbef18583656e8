using System.Diagnostics;
using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;
using OnePixel.Testing.Randomness;

namespace OnePixel.Testing.Attacks;

/// <summary>
/// Attacks every image of a set. Images run in parallel, each with a random stream derived from
/// the seed, the image's name and the target, so the report is the same whatever the thread count
/// and whichever slice or shard of the set an image is attacked in.
/// </summary>
public sealed class AttackRunner
{
    private readonly IImageClassifier _model;
    private readonly AttackOptions _options;

    public AttackRunner(IImageClassifier model, AttackOptions? options = null)
    {
        _model = model;
        _options = options ?? new AttackOptions();
        _options.Validate(model.ClassCount);
    }

    public AttackReport Run(ImageSet images, IProgress<AttackProgress>? progress = null, CancellationToken cancellation = default, ModelIdentity? model = null)
    {
        if (images.Shape != _model.InputShape)
            throw new OnePixelException($"{images.Source}: images are {images.Shape}, but the model expects {_model.InputShape} images.");
        foreach (var image in images.Images)
            if (image.Label >= _model.ClassCount)
                throw new OnePixelException($"{images.Source}: image '{image.Name}' has label {image.Label}, but the model has {_model.ClassCount} classes (0..{_model.ClassCount - 1}).");

        var stopwatch = Stopwatch.StartNew();
        var clean = ScoreClean(images);
        var attempts = PlanAttempts(images);
        var results = new ImageAttackResult[attempts.Count];
        var done = 0;
        var fooled = 0;
        var attack = _options.CreateSearch(_model);
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = _options.Threads ?? Environment.ProcessorCount,
            CancellationToken = cancellation,
        };
        Parallel.For(0, attempts.Count, parallel, i =>
        {
            var (imageIndex, target) = attempts[i];
            var image = images.Images[imageIndex];
            var seed = DeterministicRandom.Derive(_options.Seed, DeterministicRandom.Hash(image.Name), (ulong)(target ?? -1));
            var result = attack.Run(image, clean.AsSpan(imageIndex * _model.ClassCount, _model.ClassCount), target, seed);
            results[i] = result;
            var fooledNow = result.Fooled ? Interlocked.Increment(ref fooled) : Volatile.Read(ref fooled);
            progress?.Report(new AttackProgress(Interlocked.Increment(ref done), attempts.Count, fooledNow, result));
        });

        return new AttackReport
        {
            Summary = AttackSummary.From(results, images.Count, stopwatch.Elapsed.TotalSeconds),
            Results = results,
            Options = _options,
            Model = model,
            ImageSource = images.Source,
            ClassNames = _model.ClassNames ?? images.ClassNames,
        };
    }

    /// <summary>The unchanged images, scored in chunks (so memory does not grow with the set): 1 query each, counted in every attack on the image.</summary>
    private float[] ScoreClean(ImageSet images)
    {
        const int chunk = 1024;
        var length = _model.InputShape.Length;
        var batch = new byte[Math.Min(chunk, images.Count) * length];
        var scores = new float[images.Count * _model.ClassCount];
        for (var start = 0; start < images.Count; start += chunk)
        {
            var n = Math.Min(chunk, images.Count - start);
            for (var i = 0; i < n; i++)
                images.Images[start + i].Image.Pixels.CopyTo(batch.AsSpan(i * length));
            _model.Score(batch.AsSpan(0, n * length), n, scores.AsSpan(start * _model.ClassCount, n * _model.ClassCount));
        }
        return scores;
    }

    private List<(int Image, int? Target)> PlanAttempts(ImageSet images)
    {
        var attempts = new List<(int, int?)>();
        for (var i = 0; i < images.Count; i++)
        {
            switch (_options.Mode)
            {
                case AttackMode.Untargeted:
                    attempts.Add((i, null));
                    break;
                case AttackMode.Targeted:
                    attempts.Add((i, _options.Target));
                    break;
                case AttackMode.EveryTarget:
                    for (var t = 0; t < _model.ClassCount; t++)
                        if (t != images.Images[i].Label) attempts.Add((i, t));
                    break;
            }
        }
        return attempts;
    }
}
