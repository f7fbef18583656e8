using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
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

    /// <summary>
    /// Attacks every image of <paramref name="images"/>. Images are read as workers reach them and
    /// dropped once attacked, so memory does not grow with the set: only the results are kept.
    /// </summary>
    public AttackReport Run(IImageSource images, IProgress<AttackProgress>? progress = null, CancellationToken cancellation = default, ModelIdentity? model = null)
    {
        if (images.Shape != _model.InputShape)
            throw new OnePixelException($"{images.Source}: images are {images.Shape}, but the model expects {_model.InputShape} images.");
        // A set in memory is checked whole before anything is attacked; a stream checks each image as it is read.
        if (images is ImageSet set)
            foreach (var image in set.Images)
                CheckLabel(images, image);

        var stopwatch = Stopwatch.StartNew();
        var attemptsPerImage = _options.Mode == AttackMode.EveryTarget ? _model.ClassCount - 1 : 1;
        var results = new ImageAttackResult[images.Count * attemptsPerImage];
        var done = 0;
        var fooled = 0;
        var attack = _options.CreateSearch(_model);
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = _options.Threads ?? Environment.ProcessorCount,
            CancellationToken = cancellation,
        };
        // Workers take one image at a time (no buffering), so a slow image never holds others back
        // and the images in memory are the ones being attacked.
        var work = Partitioner.Create(images.Read().Select((image, position) => (image, position)), EnumerablePartitionerOptions.NoBuffering);
        var classes = _model.ClassCount;
        try
        {
            Parallel.ForEach(work, parallel, () => new float[classes], (item, _, clean) =>
            {
                var (image, position) = item;
                if (position >= images.Count)
                    throw new OnePixelException($"{images.Source}: gave more than the {images.Count} images it said it holds.");
                CheckLabel(images, image);
                _model.Score(image.Image.Pixels, 1, clean);
                var slot = position * attemptsPerImage;
                foreach (var target in Targets(image))
                {
                    var seed = DeterministicRandom.Derive(_options.Seed, DeterministicRandom.Hash(image.Name), (ulong)(target ?? -1));
                    var result = attack.Run(image, clean, target, seed);
                    results[slot++] = result;
                    var fooledNow = result.Fooled ? Interlocked.Increment(ref fooled) : Volatile.Read(ref fooled);
                    progress?.Report(new AttackProgress(Interlocked.Increment(ref done), results.Length, fooledNow, result));
                }
                return clean;
            }, _ => { });
        }
        catch (AggregateException e) when (e.InnerExceptions.All(inner => inner is OnePixelException))
        {
            // Bad input met by a worker (an unreadable image, a label out of range) is the user's error, not a crash.
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }

        if (Array.FindIndex(results, r => r is null) is var missing and >= 0)
            throw new OnePixelException($"{images.Source}: gave {missing / attemptsPerImage} images, but said it holds {images.Count}.");

        return new AttackReport
        {
            Summary = AttackSummary.From(results, images.Count, stopwatch.Elapsed.TotalSeconds),
            Results = results,
            Options = _options,
            // A model file's report records how it was fed (the values in force), so a run can be reproduced and compared alike.
            Model = model is not null && model.Preprocessing is null && _model is IModelClassifier loaded ? model with { Preprocessing = loaded.Preprocessing } : model,
            ImageSource = images.Source,
            ImageLabels = images switch { ImageStream s => s.LabelsPath, ImageSet s => s.LabelsPath, _ => null },
            ClassNames = _model.ClassNames ?? images.ClassNames,
        };
    }

    private void CheckLabel(IImageSource images, LabeledImage image)
    {
        if (image.Label >= _model.ClassCount)
            throw new OnePixelException($"{images.Source}: image '{image.Name}' has label {image.Label}, but the model has {_model.ClassCount} classes (0..{_model.ClassCount - 1}).");
    }

    /// <summary>The attacks one image gets: untargeted, one target, or every class but its own, in that order in the report.</summary>
    private IEnumerable<int?> Targets(LabeledImage image)
    {
        switch (_options.Mode)
        {
            case AttackMode.Untargeted:
                yield return null;
                break;
            case AttackMode.Targeted:
                yield return _options.Target;
                break;
            case AttackMode.EveryTarget:
                for (var t = 0; t < _model.ClassCount; t++)
                    if (t != image.Label) yield return t;
                break;
        }
    }
}
