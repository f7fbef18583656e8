namespace OnePixel.Testing;

/// <summary>
/// Finds a file or folder named by a relative path, by one rule for every entry point of the library
/// (<see cref="Models.LoadedModel.Load"/>, the NUnit attributes): the current directory and each folder
/// above it, then the application's folder (in a test run, the test assembly's: bin/Release/net10.0)
/// and each folder above it. Tests run several folders below the repository that holds the models, so
/// `models/model.onnx` is found as the repository root sees it, whichever test runner starts the tests.
/// </summary>
public static class FileSearch
{
    /// <summary>
    /// The full path of <paramref name="path"/> (absolute, or relative as above) where
    /// <paramref name="exists"/> holds; null when nowhere.
    /// </summary>
    public static string? Find(string path, Func<string, bool> exists, string? applicationFolder = null)
    {
        if (Path.IsPathRooted(path))
            return exists(path) ? Path.GetFullPath(path) : null;
        foreach (var start in StartFolders(applicationFolder))
            for (var folder = start; folder is not null; folder = Path.GetDirectoryName(folder))
            {
                var candidate = Path.Combine(folder, path);
                if (exists(candidate)) return Path.GetFullPath(candidate);
            }
        return null;
    }

    /// <summary>
    /// As <see cref="Find"/>, for a file or folder that must exist: when it is not found, the error names
    /// <paramref name="what"/>, the path, and every folder the search started from.
    /// </summary>
    public static string Resolve(string path, string what, string? applicationFolder = null)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new OnePixelException($"{what}: the path is empty; expected a file or folder.");
        return Find(path, Exists, applicationFolder) ?? throw NotFound(path, what, applicationFolder);
    }

    /// <summary>The error for a path found nowhere, naming where the search looked.</summary>
    public static OnePixelException NotFound(string path, string what, string? applicationFolder = null) => Path.IsPathRooted(path)
        ? new OnePixelException($"{what} '{path}': not found.")
        : new OnePixelException($"{what} '{path}': not found in {string.Join(", nor in ", StartFolders(applicationFolder))}, or any folder above {(StartFolders(applicationFolder).Count == 1 ? "it" : "them")}; expected a path relative to one of those (such as the repository root), or an absolute path.");

    /// <summary>Where a relative path is looked up from: the current directory, then the application's (or given) folder.</summary>
    public static IReadOnlyList<string> StartFolders(string? applicationFolder = null) =>
        new[] { Environment.CurrentDirectory, Path.TrimEndingDirectorySeparator(applicationFolder ?? AppContext.BaseDirectory) }
            .Select(Path.GetFullPath).Distinct().ToList();

    public static bool Exists(string path) => File.Exists(path) || Directory.Exists(path);
}
