using System.Reflection;

namespace OnePixel.Testing.NUnit;

/// <summary>
/// Finds the files attributes name. Tests run from bin/Release/net10.0, several folders below the
/// repository that holds the models, so a relative path is tried from the assembly's folder upwards.
/// </summary>
internal static class TestPaths
{
    public static string Resolve(string path, Assembly assembly, string what)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new OnePixelException($"{what}: the path is empty; expected a file or folder.");
        if (Path.IsPathRooted(path))
            return Exists(path) ? Path.GetFullPath(path) : throw new OnePixelException($"{what} '{path}': not found.");
        var start = StartFolder(assembly);
        return FindUpwards(start, path, Exists)
            ?? throw new OnePixelException($"{what} '{path}': not found in {start} or any folder above it; expected a path relative to the test assembly's folder or one of its parents (such as the repository root), or an absolute path.");
    }

    /// <summary>
    /// A file that may not exist yet (a baseline to be written): found as <see cref="Resolve"/> finds it;
    /// when it is not there, placed in the first folder of its name found upwards from the test assembly
    /// (the assembly's folder for a bare file name).
    /// </summary>
    public static string ResolveOrPlace(string path, Assembly assembly, string what)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new OnePixelException($"{what}: the path is empty; expected a file.");
        if (Path.IsPathRooted(path))
            return Path.GetFullPath(path);
        var start = StartFolder(assembly);
        if (FindUpwards(start, path, File.Exists) is { } found) return found;
        var parent = Path.GetDirectoryName(path);
        if (string.IsNullOrEmpty(parent))
            return Path.GetFullPath(Path.Combine(start, path));
        if (FindUpwards(start, parent, Directory.Exists) is { } folder) return Path.Combine(folder, Path.GetFileName(path));
        throw new OnePixelException($"{what} '{path}': neither the file nor its folder '{parent}' found in {start} or any folder above it; expected a path relative to the test assembly's folder or one of its parents (such as the repository root), or an absolute path.");
    }

    /// <summary><paramref name="relative"/> under <paramref name="start"/> or the nearest folder above it where it exists, as a full path; null when nowhere.</summary>
    private static string? FindUpwards(string start, string relative, Func<string, bool> exists)
    {
        for (var folder = start; folder is not null; folder = Path.GetDirectoryName(folder))
        {
            var candidate = Path.Combine(folder, relative);
            if (exists(candidate)) return Path.GetFullPath(candidate);
        }
        return null;
    }

    private static string StartFolder(Assembly assembly) =>
        Path.GetDirectoryName(assembly.Location) is { Length: > 0 } folder ? folder : AppContext.BaseDirectory;

    private static bool Exists(string path) => File.Exists(path) || Directory.Exists(path);
}
