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
/// Deterministic: one search per image, ties broken by the order boxes were made. Its
/// <paramref name="threads"/> bound several boxes at once (the parts of a box cut up, a batch of pixels'
/// whole colour cubes), each on its own copy of the bounds; a box's bound depends on that box alone and the
/// results are taken in the boxes' order, so the threads change how fast, not what is found.
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

    /// <summary>
    /// Pixels whose whole colour cubes are bounded in one batch (on the threads there are) before their
    /// results are taken in order: enough to keep 16 threads busy, few enough that the time limit, checked
    /// between batches, still holds within a fraction of a second on a deep network.
    /// </summary>
    private const int RootBatch = 16;

    /// <summary>
    /// Seconds a box must take to bound, on average, for a batch to be shared among threads: below it,
    /// handing boxes to other threads cost more than it saved (a user's 12x12 RGB network of three
    /// convolutions: 0.17 s an image on two threads against 0.06 s on one; fashion-colour32-fire, about
    /// 1 ms a box, and -resnet, several, gain from a second thread).
    /// </summary>
    private const double ParallelAtLeast = 0.0005;

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
        var lanes = Enumerable.Range(0, threads).Select(_ => new MarginBounds(model)).ToArray();
        foreach (var lane in lanes) lane.SetImage(clean, image.Label);
        var cleanLeastMargin = lanes[0].CleanLeastMargin;
        var cheapSteps = new CheapStepsRecord();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellation };
        double serialSeconds = 0;
        var serialBoxes = 0;

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
        var positions = (only ?? Enumerable.Range(0, shape.PixelCount)).ToArray();

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

        // Bounds boxes at once, one copy of the bounds per thread; the results come in the boxes' order, with
        // the ranges proved for each box left open (they start its parts' bounds; not needed when it will be enumerated).
        (BoxBound Bound, RangeSnapshot? Ranges)[] BoundAll((int Pixel, ColourBox Box, RangeSnapshot? Parent)[] boxes)
        {
            var tryCheap = boxes.Select(_ => cheapSteps.ShouldTry()).ToArray();
            var results = new (BoxBound Bound, RangeSnapshot? Ranges)[boxes.Length];
            void One(int i, MarginBounds lane)
            {
                var (pixel, box, parent) = boxes[i];
                var result = lane.Bound(pixel, pixels.AsSpan(pixel * channels, channels), box, options.Tolerance, parent, tryCheap[i]);
                var keep = result.LowestMargin <= options.Tolerance && box.Count > options.EnumerateAtMost && result.Effort == BoundEffort.Ranges;
                results[i] = (result, keep ? lane.Snapshot() : null);
            }
            // Boxes that bound in a fraction of a millisecond (a small network) cost less than waking another
            // thread: they stay on this one. Timed on this thread, before any batch went to the others; the
            // choice changes how fast, never what is found.
            if (lanes.Length == 1 || boxes.Length == 1 || serialBoxes == 0 || serialSeconds / serialBoxes < ParallelAtLeast)
            {
                var started = Stopwatch.GetTimestamp();
                for (var i = 0; i < boxes.Length; i++) One(i, lanes[0]);
                serialSeconds += Stopwatch.GetElapsedTime(started).TotalSeconds;
                serialBoxes += boxes.Length;
            }
            else
            {
                // Boxes go to the threads as they come free: which thread bounds a box changes nothing in its bound.
                var next = -1;
                Parallel.For(0, Math.Min(lanes.Length, boxes.Length), parallel, lane =>
                {
                    for (var i = Interlocked.Increment(ref next); i < boxes.Length; i = Interlocked.Increment(ref next)) One(i, lanes[lane]);
                });
            }
            for (var i = 0; i < boxes.Length; i++)
                if (tryCheap[i]) cheapSteps.Record(results[i].Bound.Effort != BoundEffort.Ranges);
            return results;
        }

        // Takes a box's bound: certified boxes are done; others have their guess tried and wait in the queue.
        bool Examine(int pixel, ColourBox box, (BoxBound Bound, RangeSnapshot? Ranges) bounded, double[]? boundOf = null)
        {
            var (result, ranges) = bounded;
            examined[pixel] = true;
            if (boundOf is not null) boundOf[pixel] = result.LowestMargin;
            if (result.LowestMargin > options.Tolerance) return false;
            open[pixel]++;
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
        for (var first = 0; first < positions.Length; first += RootBatch)
        {
            if (OutOfTime()) return Finish(Flush());
            cancellation.ThrowIfCancellationRequested();
            var cubes = positions.Skip(first).Take(RootBatch).Select(p => (Pixel: p, Box: ColourBox.Full(channels), Parent: (RangeSnapshot?)null)).ToArray();
            var bounded = BoundAll(cubes);
            for (var i = 0; i < cubes.Length; i++)
                if (Examine(cubes[i].Pixel, cubes[i].Box, bounded[i], rootBound))
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
            var oneCut = box.Count < wholeCube && priority.Bound >= -OneCutShare * cleanLeastMargin;
            var parts = oneCut ? box.Halves(steepest) : box.Halves();
            var bounded = BoundAll(parts.Select(part => (pixel, part, ranges)).ToArray());
            for (var i = 0; i < parts.Count; i++)
                if (Examine(pixel, parts[i], bounded[i])) return Finish(true);
            // Decide what is pending before going deeper, so a counterexample found stops the search early.
            if (queue.Count == 0 || count >= batchSize / 2)
                if (Flush()) return Finish(true);
        }
        Flush();
        return Finish(true);
    }
}
