using System.Diagnostics;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;

namespace OnePixel.Testing.Verification;

/// <summary>
/// Answers "is there any single pixel that fools this model on this image?". For 8-bit grayscale
/// images exactly: every position times every value (H * W * 255 candidates, 199,920 for 28x28).
/// Extreme values are scanned first, since most counterexamples use them, so a verdict of
/// "vulnerable" usually comes early; a certificate needs the whole scan.
/// </summary>
public sealed class ExhaustiveVerifier(IImageClassifier model, VerificationOptions? options = null)
{
    private readonly VerificationOptions _options = Validate(options ?? new VerificationOptions());

    /// <summary>
    /// Verifies every image by enumeration (see <see cref="OnePixelVerifier.Verify"/>). When
    /// <paramref name="cancellation"/> is cancelled, the scans under way stop at their next model call
    /// and a <see cref="RunCancelledException"/> says how many images were done.
    /// </summary>
    public VerificationReport Verify(ImageSet images, IProgress<ImageVerification>? progress = null, CancellationToken cancellation = default, ModelIdentity? identity = null)
    {
        using var verifier = new OnePixelVerifier(model, null, _options with { Method = VerificationMethod.Enumerate }, []);
        return verifier.Verify(images, progress, cancellation, identity);
    }

    /// <summary>Verifies one image whose unchanged scores are known (1 query).</summary>
    public ImageVerification VerifyImage(LabeledImage image, ReadOnlySpan<float> clean)
    {
        var stopwatch = Stopwatch.StartNew();
        var verdict = Unchecked(image, clean, _options);
        return verdict.Checked ? Enumerate(image, verdict) with { Seconds = stopwatch.Elapsed.TotalSeconds } : verdict;
    }

    /// <summary>The verdict before any change is tried: the clean class, and whether there is anything to verify.</summary>
    internal static ImageVerification Unchecked(LabeledImage image, ReadOnlySpan<float> clean, VerificationOptions options)
    {
        var (predicted, confidence) = Probability.TopOne(clean);
        var exact = image.Image.Channels == 1;
        return new ImageVerification
        {
            Index = image.Index,
            Name = image.Name,
            Label = image.Label,
            Predicted = predicted,
            PredictedConfidence = confidence,
            Checked = predicted == image.Label,
            Vulnerable = false,
            Exact = exact,
            Queries = 1,
            Method = options.Method == VerificationMethod.Enumerate ? VerificationMethod.Enumerate : VerificationMethod.Bounds,
        };
    }

    /// <summary>
    /// Tries every change (a grid of colours for RGB), extremes first, until a counterexample or the time
    /// limit per image (checked after each batch: an image it stops is undecided, not exact).
    /// </summary>
    internal ImageVerification Enumerate(LabeledImage image, ImageVerification verdict)
    {
        var stopwatch = Stopwatch.StartNew();
        verdict = verdict with { Method = VerificationMethod.Enumerate, Exact = image.Image.Channels == 1 };

        var goal = new AttackGoal(image.Label, null, FitnessKind.Probability);
        var batch = new CandidateBatch(model, image, goal, _options.BatchSize, memoize: false); // every candidate is new
        var shape = image.Image.Shape;
        var pending = new (int X, int Y, byte[] Value)[_options.BatchSize];
        var count = 0;
        long queries = 1;
        var fooling = 0;
        var positions = new HashSet<int>();
        ImageVerification? found = null;

        bool Flush()
        {
            if (count == 0) return false;
            batch.Score(count);
            queries += count;
            for (var i = 0; i < count; i++)
            {
                var row = batch.Row(i);
                if (!goal.IsFooledBy(row)) continue;
                fooling++;
                positions.Add(pending[i].Y * shape.Width + pending[i].X);
                if (found is null)
                {
                    var (label, adversarialConfidence) = Probability.TopOne(row);
                    found = verdict with
                    {
                        Vulnerable = true,
                        Counterexample = new PixelChange(pending[i].X, pending[i].Y, pending[i].Value),
                        AdversarialLabel = label,
                        AdversarialConfidence = adversarialConfidence,
                    };
                }
            }
            count = 0;
            return found is not null && _options.StopAtFirst;
        }

        foreach (var colour in ColourOrder(image.Image.Channels))
        {
            for (var y = 0; y < shape.Height; y++)
            for (var x = 0; x < shape.Width; x++)
            {
                var offset = (y * shape.Width + x) * shape.Channels;
                if (image.Image.Pixels.Slice(offset, shape.Channels).SequenceEqual(colour)) continue; // no change
                var slot = batch.Reset(count);
                colour.CopyTo(slot.Slice(offset, shape.Channels));
                pending[count++] = (x, y, colour);
                if (count < _options.BatchSize) continue;
                if (Flush())
                    return found! with { Queries = queries };
                // A counterexample kept for --full stays a counterexample; otherwise nothing is decided yet.
                if (_options.MaxSeconds is { } limit && stopwatch.Elapsed.TotalSeconds > limit)
                    return (found ?? verdict with { Exact = false, TimeLimitReached = true }) with { Queries = queries };
            }
        }
        if (Flush() || found is not null && _options.StopAtFirst)
            return found! with { Queries = queries };
        var full = (found ?? verdict) with { Queries = queries, FoolingCandidates = fooling, VulnerablePositions = positions.Count };
        return full;
    }

    /// <summary>The colours to try, extremes first: for grayscale 0, 255, then 1..254; for RGB the grid's corners, the rest of the grid, then the extra colours.</summary>
    private IEnumerable<byte[]> ColourOrder(int channels)
    {
        if (channels == 1)
        {
            yield return [0];
            yield return [255];
            for (var v = 1; v < 255; v++) yield return [(byte)v];
            yield break;
        }
        var grid = _options.RgbGrid.Distinct().Order().ToArray();
        var colours = (from r in grid from g in grid from b in grid select new[] { r, g, b }).ToList();
        bool IsCorner(byte[] c) => c.All(v => v == grid[0] || v == grid[^1]);
        foreach (var c in colours.Where(IsCorner)) yield return c;
        foreach (var c in colours.Where(c => !IsCorner(c))) yield return c;
        foreach (var c in _options.ExtraColours.Where(e => !colours.Any(c => c.SequenceEqual(e)))) yield return c;
    }

    private static VerificationOptions Validate(VerificationOptions options)
    {
        if (options.BatchSize < 1)
            throw new OnePixelException($"batch size: expected 1 or more, found {options.BatchSize}.");
        if (options.RgbGrid.Count == 0)
            throw new OnePixelException("RGB grid: expected at least one value per channel.");
        if (options.ExtraColours.Any(c => c.Length != 3))
            throw new OnePixelException("extra colours: expected 3 values (R, G, B) per colour.");
        if (options.Threads is < 1)
            throw new OnePixelException($"threads: expected 1 or more, found {options.Threads}.");
        return options;
    }
}
