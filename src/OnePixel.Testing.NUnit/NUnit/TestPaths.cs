using System.Reflection;

namespace OnePixel.Testing.NUnit;

/// <summary>
/// Finds the files attributes name, by the library's one rule (<see cref="FileSearch"/>): the current
/// directory, then the test assembly's folder, and each folder above either. Tests run from
/// bin/Release/net10.0, several folders below the repository that holds the models.
/// </summary>
internal static class TestPaths
{
    public static string Resolve(string path, Assembly assembly, string what) =>
        FileSearch.Resolve(path, what, StartFolder(assembly));

    /// <summary>
    /// A file that may not exist yet (a baseline to be written): found as <see cref="Resolve"/> finds it;
    /// when it is not there, placed in the first folder of its name found the same way (the test
    /// assembly's folder for a bare file name).
    /// </summary>
    public static string ResolveOrPlace(string path, Assembly assembly, string what)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new OnePixelException($"{what}: the path is empty; expected a file.");
        if (Path.IsPathRooted(path))
            return Path.GetFullPath(path);
        var start = StartFolder(assembly);
        if (FileSearch.Find(path, File.Exists, start) is { } found) return found;
        var parent = Path.GetDirectoryName(path);
        if (string.IsNullOrEmpty(parent))
            return Path.GetFullPath(Path.Combine(start, path));
        if (FileSearch.Find(parent, Directory.Exists, start) is { } folder) return Path.Combine(folder, Path.GetFileName(path));
        throw new OnePixelException($"{what} '{path}': neither the file nor its folder '{parent}' found in {string.Join(", nor in ", FileSearch.StartFolders(start))}, or any folder above them; expected a path relative to one of those (such as the repository root), or an absolute path.");
    }

    private static string StartFolder(Assembly assembly) =>
        Path.GetDirectoryName(assembly.Location) is { Length: > 0 } folder ? folder : AppContext.BaseDirectory;
}
