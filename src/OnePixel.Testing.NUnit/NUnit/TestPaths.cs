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

    private static string StartFolder(Assembly assembly) =>
        Path.GetDirectoryName(assembly.Location) is { Length: > 0 } folder ? folder : AppContext.BaseDirectory;

    private static bool Exists(string path) => File.Exists(path) || Directory.Exists(path);
}
