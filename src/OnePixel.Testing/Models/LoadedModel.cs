using System.Security.Cryptography;
using OnePixel.Testing.Attacks;

namespace OnePixel.Testing.Models;

/// <summary>A model file opened for scoring, with its sidecar's options and its identity.</summary>
public sealed class LoadedModel : IDisposable
{
    private LoadedModel(string path, ModelOptions options, IModelClassifier classifier)
    {
        Path = path;
        Options = options;
        Classifier = classifier;
        Identity = new ModelIdentity(path, Sha256Of(path)) { Preprocessing = classifier.Preprocessing };
    }

    public string Path { get; }

    /// <summary>The options in force: the sidecar's, overridden by those given in code or on the command line.</summary>
    public ModelOptions Options { get; }

    /// <summary>
    /// The classifier that scores the model: <see cref="OnnxClassifier"/> (ONNX Runtime, the default
    /// for .onnx files), <see cref="MlNetOnnxClassifier"/> (backend mlnet) or
    /// <see cref="MlNetTransformerClassifier"/> (an ML.NET .zip).
    /// </summary>
    public IModelClassifier Classifier { get; }

    public ModelIdentity Identity { get; }

    /// <summary>
    /// Opens <paramref name="path"/>, reading <c>path.json</c> when present; <paramref name="overrides"/> win over it.
    /// A relative path is found as <see cref="FileSearch"/> says (the current directory or the test assembly's
    /// folder, or any folder above either), the same rule as <c>[RobustnessModel]</c>'s.
    /// </summary>
    public static LoadedModel Load(string path, ModelOptions? overrides = null)
    {
        path = FileSearch.Find(path, File.Exists) is { } found
            ? System.IO.Path.IsPathRooted(path) || found == System.IO.Path.GetFullPath(path) ? path : found
            : throw FileSearch.NotFound(path, "model file");
        var options = (ModelSidecar.TryReadFor(path) ?? new ModelOptions()).OverriddenBy(overrides);
        return new LoadedModel(path, options, Open(path, options));
    }

    /// <summary>The classifier for a model file and options: a .zip is an ML.NET model; an .onnx file goes to the chosen backend.</summary>
    public static IModelClassifier Open(string path, ModelOptions? options = null)
    {
        options ??= new ModelOptions();
        if (IsMlNetZip(path))
        {
            if (options.Backend == ScoringBackend.OnnxRuntime)
                throw new OnePixelException($"{path}: an ML.NET .zip model is scored by ML.NET only; backend 'onnxruntime' needs an .onnx file.");
            return MlNetTransformerClassifier.Load(path, options);
        }
        return (options.Backend ?? ScoringBackend.OnnxRuntime) == ScoringBackend.MlNet
            ? MlNetOnnxClassifier.Load(path, options)
            : OnnxClassifier.Load(path, options);
    }

    /// <summary>A zip archive (ML.NET's model format) by its first bytes, whatever the file is named.</summary>
    private static bool IsMlNetZip(string path)
    {
        Span<byte> magic = stackalloc byte[4];
        using var stream = File.OpenRead(path);
        return stream.Read(magic) == 4 && magic is [(byte)'P', (byte)'K', 3, 4];
    }

    public static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    public void Dispose() => Classifier.Dispose();
}
