using NUnit.Framework;

namespace OnePixel.Samples.Tests;

/// <summary>Files of the repository the samples read in place rather than copied next to the tests.</summary>
internal static class SampleFiles
{
    /// <summary>
    /// <paramref name="path"/> found from the test folder upwards. Baselines are read in place so that
    /// ONEPIXEL_UPDATE_BASELINES=1 rewrites the committed file.
    /// </summary>
    public static string InRepository(string path)
    {
        for (var folder = TestContext.CurrentContext.TestDirectory; folder is not null; folder = Path.GetDirectoryName(folder))
            if (File.Exists(Path.Combine(folder, path))) return Path.Combine(folder, path);
        throw new FileNotFoundException($"{path}: not found above {TestContext.CurrentContext.TestDirectory}.");
    }
}
