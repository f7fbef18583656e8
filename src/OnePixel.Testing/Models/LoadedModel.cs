using System.Security.Cryptography;
using OnePixel.Testing.Attacks;

namespace OnePixel.Testing.Models;

/// <summary>A model file opened for scoring, with its sidecar's options and its identity.</summary>
public sealed class LoadedModel : IDisposable
{
    private LoadedModel(string path, ModelOptions options, OnnxClassifier classifier)
    {
        Path = path;
        Options = options;
        Classifier = classifier;
        Identity = new ModelIdentity(path, Sha256Of(path));
    }

    public string Path { get; }

    /// <summary>The options in force: the sidecar's, overridden by those given in code or on the command line.</summary>
    public ModelOptions Options { get; }

    public OnnxClassifier Classifier { get; }
    public ModelIdentity Identity { get; }

    /// <summary>Opens <paramref name="path"/>, reading <c>path.json</c> when present; <paramref name="overrides"/> win over it.</summary>
    public static LoadedModel Load(string path, ModelOptions? overrides = null)
    {
        if (!File.Exists(path))
            throw new OnePixelException($"{path}: model file not found.");
        var options = (ModelSidecar.TryReadFor(path) ?? new ModelOptions()).OverriddenBy(overrides);
        return new LoadedModel(path, options, OnnxClassifier.Load(path, options));
    }

    public static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    public void Dispose() => Classifier.Dispose();
}
