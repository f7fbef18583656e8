using Microsoft.ML.OnnxRuntime;
using OnePixel.Testing.Imaging;
using static OnePixel.Testing.Models.OnnxModelFile;

namespace OnePixel.Testing.Models;

/// <summary>
/// The model input images go into, as read from the session and the options: its name, its
/// dimensions (batch first, as declared, image dimensions filled in), the batch it is fixed to (0 when
/// dynamic), and the image size and layout, inferred from the shape where that is unambiguous.
/// </summary>
internal sealed record OnnxInput(string Name, long[] Dimensions, int FixedBatch, ImageShape Shape, TensorLayout Layout)
{
    public static OnnxInput Read(string path, InferenceSession session, string name, ModelOptions options, List<string> notes)
    {
        var input = session.InputMetadata[name];
        if (input.ElementType != typeof(float))
            throw new OnePixelException($"{path}: input '{name}' holds {input.ElementType.Name}; expected float32 image values.");
        var dimensions = input.Dimensions;
        if (dimensions.Length < 2)
            throw new OnePixelException($"{path}: input '{name}' has shape {FormatShape(dimensions)}; expected a batch dimension and image dimensions such as [N, 1, 28, 28].");
        var fixedBatch = dimensions[0] > 0 ? dimensions[0] : 0;

        var (shape, layout) = ResolveImage(path, dimensions, options, notes);
        var elements = dimensions.Skip(1).Aggregate(1L, (a, d) => a * (d > 0 ? d : 1));
        if (dimensions.Skip(1).Any(d => d <= 0))
        {
            // Dynamic image dimensions: fill them from the image shape in the model's layout.
            dimensions = FillDynamicDimensions(dimensions, shape, layout);
            elements = dimensions.Skip(1).Aggregate(1L, (a, d) => a * d);
        }
        if (elements != shape.Length)
            throw new OnePixelException($"{path}: input '{name}' has shape {FormatShape(input.Dimensions)} ({elements} values per image), which does not fit {shape} images ({shape.Length} values).");
        return new OnnxInput(name, dimensions.Select(d => (long)d).ToArray(), fixedBatch, shape, layout);
    }

    /// <summary>The image size and layout: declared, or inferred from a rank-4 shape (channels 1 or 3 first or last) or a flat one (a square image).</summary>
    internal static (ImageShape Shape, TensorLayout Layout) ResolveImage(string path, int[] dims, ModelOptions options, List<string> notes)
    {
        var layout = options.Layout;
        var shape = options.ImageShape;
        if (dims.Length == 4)
        {
            bool IsChannels(int d) => d is 1 or 3;
            if (layout is null)
            {
                if (IsChannels(dims[1]) && !IsChannels(dims[3])) layout = TensorLayout.Nchw;
                else if (IsChannels(dims[3]) && !IsChannels(dims[1])) layout = TensorLayout.Nhwc;
                else throw new OnePixelException($"{path}: cannot tell from the input shape {FormatShape(dims)} whether channels come first or last; set the layout (sidecar 'layout' or --layout nchw|nhwc).");
                notes.Add($"layout {layout.ToString()!.ToUpperInvariant()} inferred from input shape {FormatShape(dims)}");
            }
            else
            {
                // A layout given that puts the channels where the shape has an image side: say so, and which layout fits.
                var (channelsAt, otherAt) = layout == TensorLayout.Nchw ? (1, 3) : (3, 1);
                if (dims[channelsAt] > 0 && !IsChannels(dims[channelsAt]) && (shape is null || dims[channelsAt] != shape.Value.Channels))
                {
                    var fits = IsChannels(dims[otherAt]) ? $"; the shape fits {(layout == TensorLayout.Nchw ? "NHWC" : "NCHW")} (set layout '{(layout == TensorLayout.Nchw ? "nhwc" : "nchw")}', or leave it out to infer it)" : "";
                    throw new OnePixelException($"{path}: layout {layout.ToString()!.ToUpperInvariant()} (given in the sidecar 'layout', --layout or [RobustnessModel] Layout) does not fit the input shape {FormatShape(dims)}: its {(channelsAt == 1 ? "second" : "last")} dimension, {dims[channelsAt]}, would be the channels, which must be 1 (grayscale) or 3 (RGB){fits}.");
                }
            }
            if (shape is null)
            {
                var (c, h, w) = layout == TensorLayout.Nchw ? (dims[1], dims[2], dims[3]) : (dims[3], dims[1], dims[2]);
                if (c <= 0 || h <= 0 || w <= 0)
                    throw new OnePixelException($"{path}: the input shape {FormatShape(dims)} has dynamic image dimensions; give the image size (sidecar 'width', 'height', 'channels' or --size).");
                shape = new ImageShape(w, h, c);
                notes.Add($"image size {shape} inferred from input shape {FormatShape(dims)}");
            }
        }
        else if (shape is null)
        {
            // A flat input: infer a square image from the element count (784 = 28x28x1, 3072 = 32x32x3).
            var elements = dims.Skip(1).Aggregate(1L, (a, d) => a * d);
            if (dims.Skip(1).Any(d => d <= 0))
                throw new OnePixelException($"{path}: the flat input shape {FormatShape(dims)} has dynamic dimensions; give the image size (sidecar 'width', 'height', 'channels' or --size).");
            var side = (int)Math.Round(Math.Sqrt(elements));
            var sideRgb = (int)Math.Round(Math.Sqrt(elements / 3.0));
            if (side * side == elements) shape = new ImageShape(side, side, 1);
            else if (sideRgb * sideRgb * 3 == elements) shape = new ImageShape(sideRgb, sideRgb, 3);
            else throw new OnePixelException($"{path}: the flat input shape {FormatShape(dims)} is not a square grayscale or RGB image; give the image size (sidecar 'width', 'height', 'channels' or --size).");
            notes.Add($"image size {shape} inferred from flat input shape {FormatShape(dims)}");
        }
        shape.Value.Validate($"{path}: image size");
        return (shape.Value, layout ?? TensorLayout.Nchw);
    }

    internal static int[] FillDynamicDimensions(int[] dims, ImageShape shape, TensorLayout layout)
    {
        var filled = (int[])dims.Clone();
        if (dims.Length == 4)
        {
            int[] wanted = layout == TensorLayout.Nchw ? [shape.Channels, shape.Height, shape.Width] : [shape.Height, shape.Width, shape.Channels];
            for (var i = 1; i < 4; i++) if (filled[i] <= 0) filled[i] = wanted[i - 1];
        }
        else
        {
            var known = dims.Skip(1).Where(d => d > 0).Aggregate(1, (a, d) => a * d);
            var dynamicIndex = Array.FindIndex(dims, 1, d => d <= 0);
            filled[dynamicIndex] = shape.Length / Math.Max(known, 1);
            for (var i = dynamicIndex + 1; i < filled.Length; i++) if (filled[i] <= 0) filled[i] = 1;
        }
        return filled;
    }
}
