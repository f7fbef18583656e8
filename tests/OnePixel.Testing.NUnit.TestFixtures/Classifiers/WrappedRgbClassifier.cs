using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;

namespace OnePixel.Testing.NUnit.TestFixtures.Classifiers;

/// <summary>
/// The tiny RGB test network (models/testing/tiny-rgb-graph.onnx) behind a classifier made in code, as a
/// user's own wrapper would be: the plugin sees no ONNX graph to bound, so RGB verification can only search
/// a colour grid.
/// </summary>
public sealed class WrappedRgbClassifier : IImageClassifier
{
    private readonly OnnxClassifier _inner = OnnxClassifier.Load(FileSearch.Resolve("models/testing/tiny-rgb-graph.onnx", "the tiny RGB network"));

    public ImageShape InputShape => _inner.InputShape;
    public int ClassCount => _inner.ClassCount;
    public IReadOnlyList<string>? ClassNames => _inner.ClassNames;

    public void Score(ReadOnlySpan<byte> images, int count, Span<float> probabilities) => _inner.Score(images, count, probabilities);

    public void Dispose() => _inner.Dispose();
}
