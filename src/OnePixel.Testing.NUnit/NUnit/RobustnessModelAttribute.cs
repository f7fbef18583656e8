using NUnit.Framework;
using NUnit.Framework.Interfaces;

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
/// The model is loaded when the first test that needs it runs, shared by every test inside the
/// declaring suite (and by suites running at the same time that declare the same file and options),
/// and disposed when the declaring suite's tests are done: declared on the assembly, it lives for the
/// test run. A model file or sidecar that changed is loaded again for the tests that start after the
/// change; a load that failed is tried again by the next run.
/// </remarks>
[AttributeUsage(AttributeTargets.Assembly | AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class RobustnessModelAttribute : Attribute, ITestAction
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

    /// <summary>Per-channel mean subtracted after scaling (one value, or one per channel), for a model normalised outside its graph; default: the sidecar's (or 0).</summary>
    public float[]? Mean { get; set; }

    /// <summary>Per-channel standard deviation divided by after the mean; default: the sidecar's (or 1).</summary>
    public float[]? Std { get; set; }

    /// <summary>"logits" or "probabilities", when probing the model should not decide; default: the sidecar's (or probed).</summary>
    public string? OutputKind { get; set; }

    /// <summary>"onnxruntime" or "mlnet": what scores the model; default: the sidecar's (or ONNX Runtime).</summary>
    public string? Backend { get; set; }

    /// <summary>Around the declaring suite (assembly, fixture or method): it holds the model its tests load, and releases it at its end.</summary>
    ActionTargets ITestAction.Targets => ActionTargets.Suite;

    void ITestAction.BeforeTest(ITest test) => ModelScope.Begin(test);

    void ITestAction.AfterTest(ITest test) => ModelScope.End(test);
}
