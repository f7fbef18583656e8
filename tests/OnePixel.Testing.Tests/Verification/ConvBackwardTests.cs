using OnePixel.Testing.Randomness;
using OnePixel.Testing.Verification.Bounds;
using OnePixel.Testing.Verification.Networks;

namespace OnePixel.Testing.Tests.Verification;

/// <summary>
/// Back-substitution through a convolution must be its exact transpose: a coefficient carried to the
/// wrong input, or dropped, still gives numbers, only not bounds. Checked against the transpose read
/// off the layer's own forward pass (column i of the weights: the output for the unit input i, less
/// the bias), for strides, pads, dilations and groups, and row counts that take every code path.
/// </summary>
public class ConvBackwardTests
{
    // in channels, out channels, groups, input height and width, kernel height and width, strides, pads (top, left, bottom, right), dilations
    [TestCase(4, 6, 2, 7, 7, 3, 3, 2, 2, 1, 1, 1, 1, 2, 2)]
    [TestCase(3, 8, 1, 6, 5, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1)]
    [TestCase(2, 4, 1, 6, 7, 5, 3, 1, 2, 2, 0, 2, 1, 1, 1)]
    [TestCase(4, 4, 4, 5, 5, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1)]
    [TestCase(3, 5, 1, 4, 4, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1)]
    [TestCase(6, 5, 1, 6, 6, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1)] // one group: four input channels gathered together, then two
    [TestCase(8, 3, 1, 7, 5, 3, 2, 2, 1, 1, 0, 1, 1, 1, 2)]
    [TestCase(8, 6, 2, 5, 5, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1)] // two groups of four input channels: each gathered together
    public void Should_carry_coefficients_back_through_the_transpose_of_its_weights(
        int inChannels, int outChannels, int groups, int height, int width, int kernelH, int kernelW,
        int strideH, int strideW, int padTop, int padLeft, int padBottom, int padRight, int dilationH, int dilationW)
    {
        var outH = Window2D.OutputSize(height, kernelH, strideH, padTop, padBottom, dilationH, ceil: false);
        var outW = Window2D.OutputSize(width, kernelW, strideW, padLeft, padRight, dilationW, ceil: false);
        var window = new Window2D(height, width, outH, outW, kernelH, kernelW, strideH, strideW, padTop, padLeft, dilationH, dilationW);
        var random = new DeterministicRandom(5);
        var weights = Enumerable.Range(0, outChannels * inChannels / groups * kernelH * kernelW)
            .Select(i => i % 7 == 3 ? 0 : random.NextDouble() * 2 - 1).ToArray(); // some zero weights, as pruned models have
        var bias = Enumerable.Range(0, outChannels).Select(_ => random.NextDouble()).ToArray();
        var input = new InputLayer([1, inChannels, height, width]);
        var conv = new ConvLayer(0, [1, outChannels, outH, outW], inChannels, outChannels, groups, window, weights, bias);
        var network = new Network([input, conv], 1, ScoreTransform.None);
        var transpose = Transpose(network);

        foreach (var rows in new[] { 1, 3, 37, 96 })
        {
            var (back, inputState, outputState) = Start(network, rows);
            // Coefficients on most outputs; some outputs all zero, some never given any.
            var expected = new double[input.Size, rows];
            for (var o = 0; o < conv.Size; o++)
            {
                if (o % 5 == 4) continue;
                var row = back.Of(1, outputState.SlotOf(o));
                if (o % 5 == 3) continue;
                for (var r = 0; r < rows; r++)
                {
                    row[r] = random.NextDouble() * 2 - 1;
                    for (var i = 0; i < input.Size; i++) expected[i, r] += transpose[i, o] * row[r];
                }
            }
            // Some inputs hold coefficients already (another layer reading them, a skip connection): they add up.
            for (var i = 0; i < input.Size; i += 3)
            {
                var row = back.Of(0, inputState.SlotOf(i));
                for (var r = 0; r < rows; r++)
                {
                    row[r] = r + 1;
                    expected[i, r] += r + 1;
                }
            }

            conv.Backward(back);

            var touched = back.Touched(0).ToArray();
            for (var i = 0; i < input.Size; i++)
            {
                var slot = inputState.SlotOf(i);
                var actual = touched.Contains(slot) ? back.Row(0, slot).ToArray() : new double[rows];
                for (var r = 0; r < rows; r++)
                    actual[r].Should().BeApproximately(expected[i, r], 1e-12, $"input {i}, row {r} of {rows}");
            }
        }
    }

    /// <summary>d output[o] / d input[i], from the layer's forward pass on unit inputs.</summary>
    private static double[,] Transpose(Network network)
    {
        var size = network.InputSize;
        var zero = network.Forward(new float[size])[1];
        var transpose = new double[size, zero.Length];
        for (var i = 0; i < size; i++)
        {
            var unit = new float[size];
            unit[i] = 1;
            var column = network.Forward(unit)[1];
            for (var o = 0; o < zero.Length; o++) transpose[i, o] = column[o] - zero[o];
        }
        return transpose;
    }

    /// <summary>A back-substitution of <paramref name="rows"/> rows where every value of both layers is affected.</summary>
    private static (BackSubstitution Back, Perturbation Input, Perturbation Output) Start(Network network, int rows)
    {
        var states = network.Layers.Select(l => new Perturbation(l.Size, 2)).ToArray();
        foreach (var (state, layer) in states.Zip(network.Layers))
            for (var i = 0; i < layer.Size; i++) state.Add(i);
        var clean = network.Layers.Select(l => new double[l.Size]).ToArray();
        var back = new BackSubstitution(network);
        back.Start(new BoundContext(clean, states, ColourBox.Full(1), new Scratch()), rows);
        return (back, states[0], states[1]);
    }
}
