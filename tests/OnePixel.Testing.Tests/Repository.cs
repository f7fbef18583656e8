namespace OnePixel.Testing.Tests;

/// <summary>Paths in the repository: the bundled models and sample images.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string File(string relative) => Path.Combine(Root, relative);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "OnePixel.Testing.sln")))
                return dir.FullName;
        throw new InvalidOperationException($"No OnePixel.Testing.sln above {AppContext.BaseDirectory}.");
    }
}
