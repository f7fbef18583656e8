namespace OnePixel.Cli.Tests;

/// <summary>Paths in the repository: the bundled models and sample images the tests attack.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>The 8x8 model whose class flips when pixel (5, 2) crosses 128: every image is fooled quickly.</summary>
    public const string TriggerModel = "models/testing/single-pixel-trigger.onnx";

    public const string FashionV1 = "models/fashion-cnn-v1.onnx";
    public const string FashionV2 = "models/fashion-cnn-v2.onnx";
    public const string FashionV3 = "models/fashion-cnn-v3.onnx";
    public const string FashionImages = "samples/images/fashion-mnist";

    /// <summary>The sample history: v1, v2 and v3 with the samples' gate settings.</summary>
    public const string FashionHistory = "models/fashion-cnn.history.jsonl";

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "OnePixel.Testing.sln")))
                return dir.FullName;
        throw new InvalidOperationException($"No OnePixel.Testing.sln above {AppContext.BaseDirectory}.");
    }
}
