namespace OnePixel.Testing.NUnit;

/// <summary>
/// Declares, once for a test method, a fixture or the whole assembly, the model that
/// <see cref="RobustnessTestAttribute"/> tests attack: an ONNX file (its sidecar <c>FILE.json</c> is
/// read, and names the sample images) or a classifier type made in code. The nearest declaration wins:
/// method, then class (base classes included), then assembly.
/// </summary>
/// <remarks>
/// A relative path is looked up from the test assembly's folder and each folder above it, so a test
/// project inside a repository can name <c>models/model.onnx</c> as the repository root sees it.
/// The model is loaded once per test run and shared by every test that declares the same file and options.
/// </remarks>
[AttributeUsage(AttributeTargets.Assembly | AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class RobustnessModelAttribute : Attribute
{
    /// <summary>An ONNX model file.</summary>
    public RobustnessModelAttribute(string path) => Path = path;

    /// <summary>A class implementing <see cref="Models.IImageClassifier"/> with a public parameterless constructor; <see cref="Images"/> is then required.</summary>
    public RobustnessModelAttribute(Type classifier) => Classifier = classifier;

    public string? Path { get; }
    public Type? Classifier { get; }

    /// <summary>The images to attack (a folder, or a CSV file); default: the sidecar's <c>sampleImages</c>.</summary>
    public string? Images { get; set; }

    /// <summary>The model's input name, when the sidecar does not say and the model has several.</summary>
    public string? InputName { get; set; }

    /// <summary>The model's output name, when the sidecar does not say and the model has several.</summary>
    public string? OutputName { get; set; }

    /// <summary>"nchw" or "nhwc", when the sidecar does not say and the input's shape cannot tell.</summary>
    public string? Layout { get; set; }

    /// <summary>Raw 0..255 values are divided by this; 0 leaves the sidecar's (or the default 255).</summary>
    public float Scale { get; set; }
}
