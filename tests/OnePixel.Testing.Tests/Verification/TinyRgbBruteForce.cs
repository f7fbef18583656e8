using OnePixel.Testing.Imaging;
using OnePixel.Testing.Verification.Networks;

namespace OnePixel.Testing.Tests.Verification;

/// <summary>
/// Scores every one of the 16,777,216 colours of one pixel of models/testing/tiny-rgb.onnx (Conv 2x2
/// stride 2, ReLU, Gemm, ReLU, Gemm) with a plain forward pass written here from the weights alone,
/// sharing nothing with the bound verifier but the file reader: the ground truth its verdicts are
/// checked against. A pixel reaches one convolution window, so each colour costs about a hundred
/// operations.
/// </summary>
internal sealed class TinyRgbBruteForce
{
    private readonly double[] _conv, _convBias, _fc1, _fc1Bias, _fc2, _fc2Bias; // ONNX layouts: conv [4,3,2,2], fc1 [8,16], fc2 [3,8]

    public TinyRgbBruteForce(OnnxGraph graph)
    {
        double[] Weight(string op, int index, int input) => graph.Initializers[graph.Nodes.Where(n => n.OpType == op).ElementAt(index).Inputs[input]].Values;
        (_conv, _convBias) = (Weight("Conv", 0, 1), Weight("Conv", 0, 2));
        (_fc1, _fc1Bias) = (Weight("Gemm", 0, 1), Weight("Gemm", 0, 2));
        (_fc2, _fc2Bias) = (Weight("Gemm", 1, 1), Weight("Gemm", 1, 2));
        graph.Nodes.Where(n => n.OpType == "Gemm").Should().OnlyContain(n => n.Int("transB", 0) == 1, "torch exports Linear as Gemm with transB");
    }

    /// <summary>The least over every colour of the pixel of score[label] - max other score: negative when some colour changes the class.</summary>
    public double LowestMargin(LabeledImage image, int pixel)
    {
        var x = new double[3 * 16]; // [3, 4, 4], values / 255
        for (var p = 0; p < 16; p++)
        for (var c = 0; c < 3; c++)
            x[c * 16 + p] = image.Image.Pixels[p * 3 + c] / 255.0;
        var conv = new double[16]; // [4, 2, 2]
        for (var m = 0; m < 4; m++)
        for (var oh = 0; oh < 2; oh++)
        for (var ow = 0; ow < 2; ow++)
        {
            var sum = _convBias[m];
            for (var c = 0; c < 3; c++)
            for (var i = 0; i < 2; i++)
            for (var j = 0; j < 2; j++)
                sum += _conv[((m * 3 + c) * 2 + i) * 2 + j] * x[c * 16 + (oh * 2 + i) * 4 + ow * 2 + j];
            conv[m * 4 + oh * 2 + ow] = sum;
        }
        // The pixel's window, and the convolution without the pixel's own contribution.
        int py = pixel / 4, px = pixel % 4, window = py / 2 * 2 + px / 2, ki = py % 2, kj = px % 2;
        var without = new double[4];
        for (var m = 0; m < 4; m++)
        {
            without[m] = conv[m * 4 + window];
            for (var c = 0; c < 3; c++) without[m] -= _conv[((m * 3 + c) * 2 + ki) * 2 + kj] * x[c * 16 + pixel];
        }
        // fc1 without the window's four activations.
        var fc1Rest = new double[8];
        for (var o = 0; o < 8; o++)
        {
            fc1Rest[o] = _fc1Bias[o];
            for (var k = 0; k < 16; k++)
                if (k % 4 != window) fc1Rest[o] += _fc1[o * 16 + k] * Math.Max(conv[k], 0);
        }
        var lowest = double.PositiveInfinity;
        var label = image.Label;
        Span<double> act = stackalloc double[4];
        Span<double> hidden = stackalloc double[8];
        for (var r = 0; r < 256; r++)
        for (var g = 0; g < 256; g++)
        for (var b = 0; b < 256; b++)
        {
            for (var m = 0; m < 4; m++)
            {
                var w = ((m * 3) * 2 + ki) * 2 + kj;
                act[m] = Math.Max(without[m] + (_conv[w] * r + _conv[w + 4] * g + _conv[w + 8] * b) / 255.0, 0);
            }
            for (var o = 0; o < 8; o++)
            {
                var sum = fc1Rest[o];
                for (var m = 0; m < 4; m++) sum += _fc1[o * 16 + m * 4 + window] * act[m];
                hidden[o] = Math.Max(sum, 0);
            }
            double own = 0, other = double.NegativeInfinity;
            for (var j = 0; j < 3; j++)
            {
                var score = _fc2Bias[j];
                for (var o = 0; o < 8; o++) score += _fc2[j * 8 + o] * hidden[o];
                if (j == label) own = score;
                else other = Math.Max(other, score);
            }
            lowest = Math.Min(lowest, own - other);
        }
        return lowest;
    }
}
