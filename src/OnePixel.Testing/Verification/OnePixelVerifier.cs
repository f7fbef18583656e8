using System.Diagnostics;
using System.Globalization;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;
using OnePixel.Testing.Verification.Networks;

namespace OnePixel.Testing.Verification;

/// <summary>
/// Answers, per image, "can any single pixel change the top-1 class?", with a certificate or a
/// counterexample. Where the model file's graph is supported (<see cref="VerificationMethod.Bounds"/>),
/// exactly for grayscale and RGB alike: each pixel's whole colour box is bounded at once by bound
/// propagation through the network, and boxes the bounds cannot decide are split or scored, so every
/// image ends certified or with a counterexample scored by the model itself. Otherwise every position
/// times every value is tried (<see cref="ExhaustiveVerifier"/>: exact for grayscale, a colour grid for
/// RGB), and <see cref="Notes"/> says why.
/// </summary>
public sealed class OnePixelVerifier : IDisposable
{
    private readonly IImageClassifier _classifier;
    private readonly NetworkModel? _network;
    private readonly VerificationOptions _options;
    private readonly ExhaustiveVerifier _enumeration;

    internal OnePixelVerifier(IImageClassifier classifier, NetworkModel? network, VerificationOptions options, IReadOnlyList<string> notes)
    {
        _classifier = classifier;
        _network = network;
        _options = options;
        _enumeration = new ExhaustiveVerifier(classifier, options);
        Notes = notes;
    }

    /// <summary>The method in use: <see cref="VerificationMethod.Bounds"/> or <see cref="VerificationMethod.Enumerate"/>.</summary>
    public VerificationMethod Method => _network is null ? VerificationMethod.Enumerate : VerificationMethod.Bounds;

    /// <summary>Why bounds are not used, and what was checked before they are (in words).</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>A verifier for a loaded model: bounds from its .onnx file, read with the options it is scored with.</summary>
    public static OnePixelVerifier For(LoadedModel model, VerificationOptions? options = null) =>
        For(model.Classifier, model.Path, model.Options, options);

    /// <summary>
    /// A verifier for <paramref name="classifier"/>; bounds need the ONNX file it scores
    /// (<paramref name="modelPath"/>) and the preprocessing it applies (<paramref name="modelOptions"/>).
    /// Without them, or when the graph is not supported, <see cref="VerificationMethod.Auto"/> enumerates
    /// and says why; <see cref="VerificationMethod.Bounds"/> refuses with the reason.
    /// </summary>
    public static OnePixelVerifier For(IImageClassifier classifier, string? modelPath, ModelOptions? modelOptions, VerificationOptions? options = null)
    {
        options ??= new VerificationOptions();
        if (options.Tolerance is < 0 or double.NaN || double.IsInfinity(options.Tolerance))
            throw new OnePixelException($"tolerance: expected 0 or more, found {options.Tolerance}.");
        if (options.MaxSeconds is <= 0 or double.NaN)
            throw new OnePixelException($"max seconds: expected more than 0, found {options.MaxSeconds}.");
        if (options.Threads is < 1)
            throw new OnePixelException($"threads: expected 1 or more, found {options.Threads}.");
        if (options.ThreadsPerImage is < 1)
            throw new OnePixelException($"threads per image: expected 1 or more, found {options.ThreadsPerImage}.");
        if (options.EnumerateAtMost < 1)
            throw new OnePixelException($"enumerate at most: expected 1 or more colours, found {options.EnumerateAtMost}.");
        if (options.Method == VerificationMethod.Enumerate)
            return new OnePixelVerifier(classifier, null, options, []);

        string? reason;
        NetworkModel? network = null;
        if (modelPath is null || !modelPath.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) && IsZip(modelPath))
            reason = modelPath is null ? "the model was made in code, so there is no ONNX graph to read" : $"{modelPath} is an ML.NET model, not an ONNX graph";
        else
        {
            try
            {
                network = NetworkModel.Open(modelPath, modelOptions ?? new ModelOptions());
                reason = network.Shape != classifier.InputShape ? $"the graph takes {network.Shape} images, the classifier {classifier.InputShape}" : null;
            }
            catch (UnsupportedGraphException e)
            {
                reason = $"{modelPath}: {e.Node}: {e.Reason}";
            }
            catch (OnePixelException e)
            {
                reason = e.Message.TrimEnd('.');
            }
        }
        if (reason is null)
        {
            var parity = string.Create(CultureInfo.InvariantCulture, $"bounds: the network's forward pass matches ONNX Runtime on probe images (largest difference {network!.ParityDifference:G3}, allowed 1e-4); margins must clear {options.Tolerance:G3} to certify");
            return new OnePixelVerifier(classifier, network, options, [parity]);
        }
        network?.Dispose();
        if (options.Method == VerificationMethod.Bounds)
            throw new OnePixelException($"--method bounds: {reason}.");
        return new OnePixelVerifier(classifier, null, options, [$"verified by enumeration, not bounds: {reason}"]);
    }

    private static bool IsZip(string path)
    {
        if (!File.Exists(path)) return false;
        Span<byte> magic = stackalloc byte[4];
        using var stream = File.OpenRead(path);
        return stream.Read(magic) == 4 && magic is [(byte)'P', (byte)'K', 3, 4];
    }

    /// <summary>
    /// Every image of <paramref name="images"/>, on the process's attack workers
    /// (<see cref="VerificationOptions.Threads"/> at once); results in image order, the same whatever the
    /// thread count. When <paramref name="cancellation"/> is cancelled, the images under way stop at their
    /// next model call and a <see cref="RunCancelledException"/> says how many were done.
    /// </summary>
    public VerificationReport Verify(ImageSet images, IProgress<ImageVerification>? progress = null, CancellationToken cancellation = default, ModelIdentity? identity = null)
    {
        if (images.Shape != _classifier.InputShape)
            throw new OnePixelException($"{images.Source}: images are {images.Shape}, but the model expects {_classifier.InputShape} images.");
        // A certificate by enumeration takes 200,000 queries: the scan of one image must stop too, not only the next image.
        var classifier = cancellation.CanBeCanceled && _classifier is not CancellableClassifier ? new CancellableClassifier(_classifier, cancellation) : _classifier;
        var enumeration = ReferenceEquals(classifier, _classifier) ? _enumeration : new ExhaustiveVerifier(classifier, _options);
        var stopwatch = Stopwatch.StartNew();
        var classes = classifier.ClassCount;
        var length = classifier.InputShape.Length;
        var clean = new float[images.Count * classes];
        var all = new byte[images.Count * length];
        for (var i = 0; i < images.Count; i++) images.Images[i].Image.Pixels.CopyTo(all.AsSpan(i * length));
        classifier.Score(all, images.Count, clean);

        var results = new ImageVerification[images.Count];
        try
        {
            // On the process's attack workers: a verification beside attacks shares the processors with them.
            var threads = _options.Threads ?? Environment.ProcessorCount;
            var threadsPerImage = ThreadsPerImage(threads, images.Count);
            AttackScheduler.Shared.Run(Enumerable.Range(0, images.Count), threads, i =>
            {
                results[i] = VerifyImage(classifier, enumeration, images.Images[i], clean.AsSpan(i * classes, classes), threadsPerImage, cancellation);
                progress?.Report(results[i]);
            }, cancellation);
        }
        catch (Exception e) when (cancellation.IsCancellationRequested && e is OperationCanceledException
                                  || e is AggregateException aggregate && aggregate.InnerExceptions.All(inner => inner is OperationCanceledException) && cancellation.IsCancellationRequested)
        {
            throw new VerificationCancelledException(Report(results.Where(r => r is not null).ToArray()), images.Count, cancellation);
        }
        return Report(results);

        VerificationReport Report(ImageVerification[] verified) => new()
        {
            Results = verified,
            Seconds = stopwatch.Elapsed.TotalSeconds,
            Options = _options,
            Model = identity,
            ImageSource = images.Source,
            ClassNames = _classifier.ClassNames ?? images.ClassNames,
            Method = Method,
            Notes = Notes,
        };
    }

    /// <summary>Verifies one image whose unchanged scores are known.</summary>
    public ImageVerification VerifyImage(LabeledImage image, ReadOnlySpan<float> clean, CancellationToken cancellation = default) =>
        VerifyImage(_classifier, _enumeration, image, clean, ThreadsPerImage(_options.Threads ?? Environment.ProcessorCount, 1), cancellation);

    /// <summary>
    /// The threads that bound one image together: as set, else the threads the images under way at once
    /// leave over (all of them for a single image; one each when there are more images than threads).
    /// </summary>
    private int ThreadsPerImage(int threads, int images) =>
        _options.ThreadsPerImage ?? Math.Max(1, threads / Math.Clamp(images, 1, threads));

    private ImageVerification VerifyImage(IImageClassifier classifier, ExhaustiveVerifier enumeration, LabeledImage image, ReadOnlySpan<float> clean, int threadsPerImage, CancellationToken cancellation)
    {
        if (_network is null) return enumeration.VerifyImage(image, clean);
        var stopwatch = Stopwatch.StartNew();
        var verdict = ExhaustiveVerifier.Unchecked(image, clean, _options with { Method = VerificationMethod.Bounds });
        if (!verdict.Checked) return verdict;
        var values = _network.CleanValues(image.Image.Pixels, out var mismatch);
        if (values is null)
            return enumeration.Enumerate(image, verdict) with
            {
                Note = $"the network's forward pass does not match ONNX Runtime on this image ({mismatch}): verified by enumeration",
                Seconds = stopwatch.Elapsed.TotalSeconds,
            };
        return new BoundVerifier(classifier, _network, _options, threadsPerImage).VerifyImage(image, verdict, values, cancellation);
    }

    public void Dispose() => _network?.Dispose();
}
