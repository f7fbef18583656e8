namespace OnePixel.Testing.Verification.Networks;

/// <summary>What follows the class scores in the graph: nothing, or a monotone normalisation that keeps their order.</summary>
internal enum ScoreTransform { None, Softmax, LogSoftmax }

/// <summary>
/// The verifier's internal copy of a classifier: layers in topological order from the input tensor
/// (layer 0) to the class scores. The affine layers at the end (a Gemm, a 1x1 convolution and a
/// global average pool, ...) are also folded into one matrix, the head, from the last non-affine
/// layer to the scores, so that margins between classes are bounded as one affine function of that
/// layer instead of as differences of separately bounded scores.
/// </summary>
internal sealed class Network
{
    public Network(IReadOnlyList<Layer> layers, int output, ScoreTransform transform)
    {
        Layers = layers;
        for (var i = 0; i < layers.Count; i++) layers[i].Index = i;
        Output = output;
        Transform = transform;
        Classes = layers[output].Size;
        (Head, HeadWeights) = FoldHead();
    }

    public IReadOnlyList<Layer> Layers { get; }

    /// <summary>The layer whose values are the class scores (before <see cref="Transform"/>).</summary>
    public int Output { get; }
    public ScoreTransform Transform { get; }
    public int Classes { get; }

    /// <summary>The last layer that is not affine on the way to the scores.</summary>
    public int Head { get; }

    /// <summary>d score[j] / d value[i] of <see cref="Head"/>, [classes, head size].</summary>
    public double[] HeadWeights { get; }

    public int InputSize => Layers[0].Size;

    /// <summary>Every layer's output for one input tensor (preprocessed values in the model's layout).</summary>
    public double[][] Forward(ReadOnlySpan<float> input)
    {
        var values = new double[Layers.Count][];
        values[0] = new double[InputSize];
        for (var i = 0; i < input.Length; i++) values[0][i] = input[i];
        for (var l = 1; l < Layers.Count; l++)
        {
            values[l] = new double[Layers[l].Size];
            Layers[l].Forward(values, values[l]);
        }
        return values;
    }

    /// <summary>The graph's own output: the scores with the softmax or log-softmax the graph ends with.</summary>
    public double[] GraphOutput(double[][] values)
    {
        var scores = (double[])values[Output].Clone();
        if (Transform == ScoreTransform.None) return scores;
        var max = scores.Max();
        var sum = scores.Sum(s => Math.Exp(s - max));
        for (var i = 0; i < scores.Length; i++)
            scores[i] = Transform == ScoreTransform.Softmax ? Math.Exp(scores[i] - max) / sum : scores[i] - max - Math.Log(sum);
        return scores;
    }

    private (int Head, double[] Weights) FoldHead()
    {
        var chain = new List<int>();
        var head = Output;
        while (head > 0 && Layers[head].IsAffine && Layers[head].Inputs.Length == 1)
        {
            chain.Add(head);
            head = Layers[head].Inputs[0];
        }
        chain.Reverse();
        var size = Layers[head].Size;
        var weights = new double[Classes * size];
        var values = new double[Layers.Count][];
        foreach (var l in chain) values[l] = new double[Layers[l].Size];
        values[head] = new double[size];
        var bias = Run();
        for (var i = 0; i < size; i++)
        {
            values[head][i] = 1;
            var scores = Run();
            for (var j = 0; j < Classes; j++) weights[j * size + i] = scores[j] - bias[j];
            values[head][i] = 0;
        }
        return (head, weights);

        double[] Run()
        {
            foreach (var l in chain) Layers[l].Forward(values, values[l]);
            return (double[])values[Output].Clone();
        }
    }
}
