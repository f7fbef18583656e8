namespace OnePixel.Testing.NUnit.Tests;

/// <summary>Files of the repository (bundled models and images), found from the test assembly's folder upwards.</summary>
internal static class Repository
{
    public static string File(string relative)
    {
        for (var folder = AppContext.BaseDirectory; folder is not null; folder = Path.GetDirectoryName(folder))
        {
            var candidate = Path.Combine(folder, relative);
            if (System.IO.File.Exists(candidate) || Directory.Exists(candidate)) return Path.GetFullPath(candidate);
        }
        throw new FileNotFoundException($"{relative}: not found above {AppContext.BaseDirectory}.");
    }
}
