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
        for (var folder = start; folder is not null; folder = Path.GetDirectoryName(folder))
        {
            var candidate = Path.Combine(folder, path);
            if (Exists(candidate)) return Path.GetFullPath(candidate);
        }
        throw new OnePixelException($"{what} '{path}': not found in {start} or any folder above it; expected a path relative to the test assembly's folder or one of its parents (such as the repository root), or an absolute path.");
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
        for (var folder = start; folder is not null; folder = Path.GetDirectoryName(folder))
        {
            var candidate = Path.Combine(folder, path);
            if (File.Exists(candidate)) return Path.GetFullPath(candidate);
        }
        var parent = Path.GetDirectoryName(path);
        if (string.IsNullOrEmpty(parent))
            return Path.GetFullPath(Path.Combine(start, path));
        for (var folder = start; folder is not null; folder = Path.GetDirectoryName(folder))
        {
            if (Directory.Exists(Path.Combine(folder, parent))) return Path.GetFullPath(Path.Combine(folder, path));
        }
        throw new OnePixelException($"{what} '{path}': neither the file nor its folder '{parent}' found in {start} or any folder above it; expected a path relative to the test assembly's folder or one of its parents (such as the repository root), or an absolute path.");
    }

    private static string StartFolder(Assembly assembly) =>
        Path.GetDirectoryName(assembly.Location) is { Length: > 0 } folder ? folder : AppContext.BaseDirectory;

    private static bool Exists(string path) => File.Exists(path) || Directory.Exists(path);
}
