using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;
using OnePixel.Testing.Randomness;
using OnePixel.Testing.Verification.Bounds;
using OnePixel.Testing.Verification.Networks;

namespace OnePixel.Testing.Tests.Verification;

/// <summary>
/// The bounds themselves: over a colour box, every margin at every colour tried (the network's own
/// exact forward pass) must be at least the lower bound the relaxations give. Any relaxation that
/// is not sound (a ReLU chord too low, a max-pool bound that misses an input) shows up here at once,
/// whatever branch and bound would have made of it. Boxes are nested as branch and bound makes them
/// (the whole cube, a part of it, a small part of that), each bounded alone and from the ranges its
/// parent proved: both bounds must hold.
/// </summary>
public class MarginBoundsTests
{
    [TestCase("models/testing/tiny-rgb-graph.onnx", 6, 64, 3)]
    [TestCase("models/testing/tiny-rgb.onnx", 6, 16, 3)]
    [TestCase("models/fashion-cnn-v1.onnx", 2, 6, 2)]
    [TestCase("models/fashion-colour-cnn.onnx", 2, 6, 2)]
    [TestCase("models/fashion-colour32-fire.onnx", 2, 4, 3)]
    [TestCase("models/fashion-colour32-resnet.onnx", 2, 4, 3)]
    public void No_colour_in_a_box_should_have_a_margin_below_its_lower_bound(string path, int imageCount, int pixelCount, int boxesPerPixel)
    {
        using var model = LoadedModel.Load(Repository.File(path));
        using var network = NetworkModel.Open(model.Path, model.Options);
        var images = ImageSetLoader.Load(model.Options.SampleImages!, model.Classifier.ClassNames);
        var bounds = new MarginBounds(network);
        var random = new DeterministicRandom(17);
        var shape = network.Shape;
        var checkedColours = 0;
        var tight = 0;

        foreach (var image in images.Images.Take(imageCount))
        {
            var clean = network.CleanValues(image.Image.Pixels, out _)!;
            var label = Array.IndexOf(clean[network.Network.Output], clean[network.Network.Output].Max());
            bounds.SetImage(clean, label);
            for (var n = 0; n < pixelCount; n++)
            {
                var pixel = random.NextInt(shape.PixelCount);
                var own = image.Image.Pixels.Slice(pixel * shape.Channels, shape.Channels).ToArray();
                ColourBox? outer = null;
                RangeSnapshot? parent = null;
                for (var b = 0; b < boxesPerPixel; b++)
                {
                    var box = outer is null ? ColourBox.Full(shape.Channels) : RandomBox(random, outer, b == 1 ? 128 : 8);
                    var alone = bounds.Bound(pixel, own, box);
                    var bound = parent is null ? alone : bounds.Bound(pixel, own, box, parent: parent);
                    if (alone.LowestMargin > bound.LowestMargin) bound = alone;
                    (outer, parent) = (box, bounds.Snapshot());
                    foreach (var colour in Samples(random, box))
                    {
                        var changed = image.Image.Pixels.ToArray();
                        colour.CopyTo(changed, pixel * shape.Channels);
                        var scores = network.Network.Forward(network.Preprocess(changed))[network.Network.Output];
                        var margin = Enumerable.Range(0, scores.Length).Where(j => j != label).Min(j => scores[label] - scores[j]);
                        margin.Should().BeGreaterThanOrEqualTo(bound.LowestMargin - 1e-9,
                            $"{path}, {image.Name}, pixel {pixel} = [{string.Join(", ", colour)}] lies in the box {box}");
                        if (margin - bound.LowestMargin < 0.5 * Math.Abs(margin) + 1e-3) tight++;
                        checkedColours++;
                    }
                }
            }
        }
        checkedColours.Should().BeGreaterThan(0);
        tight.Should().BeGreaterThan(0, "some bounds should be close to a margin reached, or the check proves little");
    }

    /// <summary>A box of <paramref name="width"/> values per channel (fewer where <paramref name="within"/> is narrower) inside <paramref name="within"/>.</summary>
    private static ColourBox RandomBox(DeterministicRandom random, ColourBox within, int width)
    {
        var low = new int[within.Channels];
        var high = new int[within.Channels];
        for (var c = 0; c < within.Channels; c++)
        {
            var span = within.High[c] - within.Low[c] + 1;
            var w = Math.Min(width, span);
            low[c] = within.Low[c] + random.NextInt(span - w + 1);
            high[c] = low[c] + w - 1;
        }
        return new ColourBox(low, high);
    }

    /// <summary>The box's corners and some colours inside it.</summary>
    private static IEnumerable<byte[]> Samples(DeterministicRandom random, ColourBox box)
    {
        var corners = 1 << box.Channels;
        for (var k = 0; k < corners; k++)
            yield return Enumerable.Range(0, box.Channels).Select(c => (byte)((k >> c & 1) == 0 ? box.Low[c] : box.High[c])).ToArray();
        for (var k = 0; k < 8; k++)
            yield return Enumerable.Range(0, box.Channels).Select(c => (byte)(box.Low[c] + random.NextInt(box.High[c] - box.Low[c] + 1))).ToArray();
    }
}
