using System.Diagnostics;
using System.Runtime.ExceptionServices;
using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;
using OnePixel.Testing.Randomness;

namespace OnePixel.Testing.Attacks;

/// <summary>
/// Attacks every image of a set. Images run in parallel on the process's <see cref="AttackScheduler"/>
/// (shared with every other run under way), each with a random stream derived from the seed, the
/// image's name and the target, so the report is the same whatever the thread count, the scheduling,
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

    /// <summary>The workers the images are attacked on: the process's, shared with every other run, unless a test gives its own.</summary>
    public AttackScheduler Scheduler { get; init; } = AttackScheduler.Shared;

    /// <summary>
    /// Attacks every image of <paramref name="images"/>. Images are read as workers reach them and
    /// dropped once attacked, so memory does not grow with the set: only the results are kept.
    /// When <paramref name="cancellation"/> is cancelled, no image is started and the searches under
    /// way stop at their next model call (within a generation); an <see cref="AttackCancelledException"/>
    /// then says how many images were done and carries their results.
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
        // Watching the token costs one check per model call, so only a run that can be cancelled pays it.
        var scored = cancellation.CanBeCanceled ? new CancellableClassifier(_model, cancellation) : _model;
        var attack = _options.CreateSearch(scored);
        // Workers take one image at a time, so a slow image never holds others back and the images in
        // memory are the ones being attacked.
        var work = images.Read().Select((image, position) => (image, position));
        var classes = _model.ClassCount;
        try
        {
            Scheduler.Run(work, _options.Threads ?? Environment.ProcessorCount, item =>
            {
                var (image, position) = item;
                var clean = new float[classes];
                if (position >= images.Count)
                    throw new OnePixelException($"{images.Source}: gave more than the {images.Count} images it said it holds.");
                CheckLabel(images, image);
                scored.Score(image.Image.Pixels, 1, clean);
                var slot = position * attemptsPerImage;
                foreach (var target in Targets(image))
                {
                    var seed = DeterministicRandom.Derive(_options.Seed, DeterministicRandom.Hash(image.Name), (ulong)(target ?? -1));
                    var result = attack.Run(image, clean, target, seed);
                    results[slot++] = result;
                    var fooledNow = result.Fooled ? Interlocked.Increment(ref fooled) : Volatile.Read(ref fooled);
                    progress?.Report(new AttackProgress(Interlocked.Increment(ref done), results.Length, fooledNow, result));
                }
            }, cancellation);
        }
        catch (AggregateException e) when (e.InnerExceptions.FirstOrDefault(inner => inner is OnePixelException) is { } input
                                           && e.InnerExceptions.All(inner => inner is OnePixelException or OperationCanceledException))
        {
            // Bad input met by a worker (an unreadable image, a label out of range) is the user's error, not a crash.
            ExceptionDispatchInfo.Capture(input).Throw();
        }
        catch (AggregateException e) when (cancellation.IsCancellationRequested && e.InnerExceptions.All(inner => inner is OperationCanceledException))
        {
            throw Cancelled(results, attemptsPerImage, images, stopwatch.Elapsed.TotalSeconds, model, cancellation);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            throw Cancelled(results, attemptsPerImage, images, stopwatch.Elapsed.TotalSeconds, model, cancellation);
        }

        if (Array.FindIndex(results, r => r is null) is var missing and >= 0)
            throw new OnePixelException($"{images.Source}: gave {missing / attemptsPerImage} images, but said it holds {images.Count}.");

        return Report(results, images, images.Count, stopwatch.Elapsed.TotalSeconds, model);
    }

    private AttackReport Report(IReadOnlyList<ImageAttackResult> results, IImageSource images, int imageCount, double seconds, ModelIdentity? model) => new()
    {
        Summary = AttackSummary.From(results, imageCount, seconds),
        Results = results,
        Options = _options,
        // A model file's report records how it was fed (the values in force), so a run can be reproduced and compared alike.
        Model = model is not null && model.Preprocessing is null && _model is IModelClassifier loaded ? model with { Preprocessing = loaded.Preprocessing } : model,
        ImageSource = images.Source,
        ImageLabels = images switch { ImageStream s => s.LabelsPath, ImageSet s => s.LabelsPath, _ => null },
        ClassNames = _model.ClassNames ?? images.ClassNames,
    };

    /// <summary>The stop, with the report of the images whose every attack finished (those cut short are left out).</summary>
    private AttackCancelledException Cancelled(ImageAttackResult?[] results, int attemptsPerImage, IImageSource images, double seconds, ModelIdentity? model, CancellationToken cancellation)
    {
        var finished = new List<ImageAttackResult>();
        var done = 0;
        for (var slot = 0; slot < results.Length; slot += attemptsPerImage)
        {
            var attempts = results.AsSpan(slot, attemptsPerImage);
            var complete = true;
            foreach (var result in attempts) complete &= result is not null;
            if (!complete) continue;
            done++;
            foreach (var result in attempts) finished.Add(result!);
        }
        return new AttackCancelledException(Report(finished, images, done, seconds, model), images.Count, cancellation);
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
