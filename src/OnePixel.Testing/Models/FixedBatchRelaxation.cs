using Microsoft.ML.OnnxRuntime;
using OnePixel.Testing.Imaging;
using static OnePixel.Testing.Models.OnnxModelFile;

namespace OnePixel.Testing.Models;

/// <summary>
/// Runs a fixed-batch model with a dynamic batch when that is provably the same: the model is
/// rewritten in memory (<see cref="OnnxBatchRelaxer"/>), and probe images scored in one relaxed run
/// must give the raw outputs of one run per image within the parity tolerance. Otherwise the model
/// keeps its fixed batch; either way a note says which, and why.
/// </summary>
internal static class FixedBatchRelaxation
{
    /// <summary>Probe images for the parity check, beyond the fixed batch.</summary>
    internal const int ParityProbes = 4;

    /// <summary>Parity tolerance between a relaxed batched run and one run per image: |a - b| &lt;= Absolute + Relative * |b| on the raw outputs.</summary>
    internal const float ParityAbsolute = 1e-4f, ParityRelative = 1e-4f;

    /// <summary>The relaxed session and model bytes, or null when the fixed batch is kept.</summary>
    public static (InferenceSession Session, byte[] Model)? TryRelax(string path, OnnxInput input, OnnxOutput output, ModelOptions options, Func<SessionOptions> sessionOptions, InferenceSession session, OnnxRuns runs, List<string> notes)
    {
        var fixedBatch = input.FixedBatch;
        var declared = $"batch fixed at {fixedBatch} in the model";
        if (options.RelaxFixedBatch == false)
        {
            notes.Add($"{declared}; kept (relaxing it is turned off): one run per {fixedBatch} image{(fixedBatch == 1 ? "" : "s")}");
            return null;
        }
        var relaxed = OnnxBatchRelaxer.Relax(File.ReadAllBytes(path), input.Name);
        if (relaxed is null)
        {
            notes.Add($"{declared}; kept: the file could not be rewritten with a dynamic batch");
            return null;
        }
        InferenceSession? candidate = null;
        try
        {
            using (var so = sessionOptions()) candidate = new InferenceSession(relaxed, so);
            var rowLength = output.RowLength;
            var imageLength = input.Shape.Length;
            var probes = ParityProbeImages(input.Shape, fixedBatch + ParityProbes);
            var count = fixedBatch + ParityProbes;
            using var buffers = new OnnxRunBuffers();
            var reference = new float[count * rowLength];
            for (var start = 0; start < count; start += fixedBatch)
            {
                var n = Math.Min(fixedBatch, count - start);
                runs.RunRaw(session, probes.AsSpan(start * imageLength, n * imageLength), n, fixedBatch, buffers)
                    .CopyTo(reference.AsSpan(start * rowLength));
            }
            var batched = runs.RunRaw(candidate, probes, count, count, buffers);
            var worst = 0f;
            for (var i = 0; i < reference.Length; i++)
            {
                var difference = Math.Abs(batched[i] - reference[i]);
                if (!(difference <= ParityAbsolute + ParityRelative * Math.Abs(reference[i])))
                {
                    notes.Add($"{declared}; kept: with a dynamic batch the graph gives different outputs (value {i % rowLength} of probe {i / rowLength}: {batched[i]} batched, {reference[i]} alone), so images are scored one run per {fixedBatch}");
                    candidate.Dispose();
                    return null;
                }
                worst = Math.Max(worst, difference);
            }
            notes.Add($"{declared}; relaxed to a dynamic batch in memory after a parity check ({count} probe images in one run vs one run each, largest difference {worst:G3})");
            return (candidate, relaxed);
        }
        catch (Exception e) when (e is OnnxRuntimeException or OnePixelException)
        {
            candidate?.Dispose();
            notes.Add($"{declared}; kept: with a dynamic batch the graph fails ({FirstLine(e.Message)}), so images are scored one run per {fixedBatch}");
            return null;
        }
    }

    /// <summary>Distinct, deterministic probe images: black, white, mid-gray, then seeded noise.</summary>
    internal static byte[] ParityProbeImages(ImageShape shape, int count)
    {
        var images = new byte[count * shape.Length];
        var random = new Randomness.DeterministicRandom(20190101);
        for (var i = 0; i < count; i++)
        {
            var image = images.AsSpan(i * shape.Length, shape.Length);
            switch (i)
            {
                case 0: break;
                case 1: image.Fill(255); break;
                case 2: image.Fill(128); break;
                default:
                    for (var p = 0; p < image.Length; p++) image[p] = (byte)random.NextInt(256);
                    break;
            }
        }
        return images;
    }
}
