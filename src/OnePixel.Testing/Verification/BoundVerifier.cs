using System.Diagnostics;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;
using OnePixel.Testing.Verification.Bounds;
using OnePixel.Testing.Verification.Networks;

namespace OnePixel.Testing.Verification;

/// <summary>
/// Decides one image by bound propagation and branch and bound. Every pixel's whole colour box is
/// bounded at once (<see cref="MarginBounds"/>); a box whose margins all clear the tolerance is
/// certified. Any other box has its most suspicious colour (the corner the relaxation points to)
/// scored by the model, the same scoring the attack uses, so a counterexample is the model's own
/// verdict; then it is cut in half, across every channel (a colour box into eight) while its bound
/// is far below zero, across its steepest channel alone once the bound is near zero; a box small
/// enough is decided by scoring each of its colours. Boxes are taken most suspicious first, so counterexamples come early. The
/// search ends with a certificate or a counterexample, or at the time limit with "undecided".
/// Deterministic: one search per image, ties broken by the order boxes were made; the threads that
/// tighten a box's ranges together (<paramref name="threads"/>) change how fast, not what is found.
/// </summary>
internal sealed class BoundVerifier(IImageClassifier classifier, NetworkModel model, VerificationOptions options, int threads = 1)
{
    /// <summary>
    /// A box (below the whole colour cube) whose margin bound is at least minus this share of the clean
    /// image's least margin is cut across one channel, its steepest, instead of every channel. Such a
    /// box mostly certifies in two halves where eight octants cost four times the bounds: on
    /// fashion-colour32-resnet test-00001, of the 128-wide boxes left uncertified, those with a bound
    /// above -0.2 all had both halves certified, -0.5..-0.2 18 of 21, below -1 none (clean margin 0.69).
    /// </summary>
    private const double OneCutShare = 0.5;

    /// <param name="image">The image, correctly classified.</param>
    /// <param name="unchecked_">Its verdict before any change (the clean class and confidence).</param>
    /// <param name="clean">The network's values on it (checked against ONNX Runtime).</param>
    /// <param name="cancellation">Stops the search.</param>
    /// <param name="only">The pixels (y * width + x) to decide; default every pixel (tests decide a few alone).</param>
    public ImageVerification VerifyImage(LabeledImage image, ImageVerification unchecked_, double[][] clean, CancellationToken cancellation, IReadOnlyCollection<int>? only = null)
    {
        var stopwatch = Stopwatch.StartNew();
        var shape = image.Image.Shape;
        var channels = shape.Channels;
        var bounds = new MarginBounds(model, threads);
        bounds.SetImage(clean, image.Label);

        var goal = new AttackGoal(image.Label, null, FitnessKind.Probability);
        var batchSize = 64;
        var batch = new CandidateBatch(classifier, image, goal, batchSize, memoize: false);
        var pending = new (int Pixel, byte[] Colour)[batchSize];
        var count = 0;
        long queries = 1, split = 0;
        var tried = new HashSet<long>();
        var enumerated = new bool[shape.PixelCount];
        var examined = new bool[shape.PixelCount]; // a search stopped by a counterexample leaves some pixels unexamined
        var open = new int[shape.PixelCount];
        var queue = new PriorityQueue<(int Pixel, ColourBox Box, RangeSnapshot? Ranges, int Steepest), (double Bound, long Order)>();
        long order = 0;
        ImageVerification? found = null;
        var pixels = image.Image.Pixels.ToArray();
        var positions = only ?? Enumerable.Range(0, shape.PixelCount).ToArray();

        // Scores the pending colours in one call; true when one of them fools the model.
        bool Flush()
        {
            if (count == 0) return false;
            batch.Score(count);
            queries += count;
            for (var i = 0; i < count && found is null; i++)
            {
                var row = batch.Row(i);
                if (!goal.IsFooledBy(row)) continue;
                var (label, confidence) = Probability.TopOne(row);
                var (y, x) = Math.DivRem(pending[i].Pixel, shape.Width);
                found = unchecked_ with
                {
                    Vulnerable = true,
                    Exact = true,
                    Counterexample = new PixelChange(x, y, pending[i].Colour),
                    AdversarialLabel = label,
                    AdversarialConfidence = confidence,
                };
            }
            count = 0;
            return found is not null;
        }

        // Queues one colour for scoring (once per pixel and colour); true when a flush found a counterexample.
        bool Try(int pixel, byte[] colour)
        {
            long key = pixel;
            foreach (var v in colour) key = key << 8 | v;
            if (!tried.Add(key)) return false;
            if (pixels.AsSpan(pixel * channels, channels).SequenceEqual(colour)) return false; // the image itself
            colour.CopyTo(batch.Reset(count).Slice(pixel * channels, channels));
            pending[count++] = (pixel, colour);
            return count == batchSize && Flush();
        }

        // Bounds a box: certified boxes are done; others have their guess tried and wait in the queue.
        bool Examine(int pixel, ColourBox box, RangeSnapshot? parent, double[]? boundOf = null)
        {
            examined[pixel] = true;
            var result = bounds.Bound(pixel, pixels.AsSpan(pixel * channels, channels), box, options.Tolerance, parent);
            if (boundOf is not null) boundOf[pixel] = result.LowestMargin;
            if (result.LowestMargin > options.Tolerance) return false;
            open[pixel]++;
            // The ranges proved for this box start its halves' bounds (not needed when it will be enumerated).
            var ranges = box.Count > options.EnumerateAtMost && result.Effort == BoundEffort.Ranges ? bounds.Snapshot() : null;
            queue.Enqueue((pixel, box, ranges, result.Steepest), (result.LowestMargin, order++));
            return Try(pixel, result.Guess);
        }

        // exact: the search ended with a verdict (false: the time limit ended it first).
        ImageVerification Finish(bool exact)
        {
            var certifiedByBounds = 0;
            foreach (var p in positions)
                if (examined[p] && open[p] == 0 && !enumerated[p]) certifiedByBounds++;
            return (found ?? unchecked_ with { Exact = exact, TimeLimitReached = !exact }) with
            {
                Queries = queries,
                Method = VerificationMethod.Bounds,
                PositionsCertifiedByBounds = certifiedByBounds,
                BoxesSplit = split,
                Seconds = stopwatch.Elapsed.TotalSeconds,
            };
        }

        bool OutOfTime() => options.MaxSeconds is { } limit && stopwatch.Elapsed.TotalSeconds > limit;

        // The time limit holds from the first box: bounding every pixel's whole cube alone takes many seconds on a deep network.
        var rootBound = new double[shape.PixelCount];
        foreach (var p in positions)
        {
            if (OutOfTime()) return Finish(Flush());
            if (Examine(p, ColourBox.Full(channels), null, rootBound))
                return Finish(true);
        }
        if (Flush()) return Finish(true);

        // One-pixel counterexamples are mostly extreme colours (the attack's extremes search relies on
        // it): before splitting anything, score every corner of the colour cube at each pixel the bounds
        // left open, least bound first. A few queries per pixel, against many bounds for the boxes a
        // counterexample hiding in a corner would otherwise take to reach.
        var suspects = positions.Where(p => open[p] > 0).OrderBy(p => rootBound[p]).ToArray();
        foreach (var p in suspects)
        {
            if (OutOfTime()) return Finish(Flush());
            for (var corner = 0; corner < 1 << channels; corner++)
            {
                var colour = new byte[channels];
                for (var c = 0; c < channels; c++) colour[c] = (byte)((corner >> (channels - 1 - c) & 1) * 255);
                if (Try(p, colour)) return Finish(true);
            }
        }
        if (Flush()) return Finish(true);

        var wholeCube = ColourBox.Full(channels).Count;
        while (queue.TryDequeue(out var item, out var priority))
        {
            cancellation.ThrowIfCancellationRequested();
            if (OutOfTime())
            {
                open[item.Pixel]++; // still open: not certified
                return Finish(Flush());
            }
            var (pixel, box, ranges, steepest) = item;
            open[pixel]--;
            if (box.Count <= options.EnumerateAtMost)
            {
                enumerated[pixel] = true;
                foreach (var colour in box.Colours())
                    if (Try(pixel, colour)) return Finish(true);
                continue;
            }
            split++;
            var oneCut = box.Count < wholeCube && priority.Bound >= -OneCutShare * bounds.CleanLeastMargin;
            foreach (var part in oneCut ? box.Halves(steepest) : box.Halves())
                if (Examine(pixel, part, ranges)) return Finish(true);
            // Decide what is pending before going deeper, so a counterexample found stops the search early.
            if (queue.Count == 0 || count >= batchSize / 2)
                if (Flush()) return Finish(true);
        }
        Flush();
        return Finish(true);
    }
}
