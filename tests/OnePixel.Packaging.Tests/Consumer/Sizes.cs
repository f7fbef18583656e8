namespace OnePixel.Packaging.Tests.Consumer;

/// <summary>Disk sizes, in the MB (2^20 bytes) the limits are stated in.</summary>
internal static class Sizes
{
    public const double Mega = 1024 * 1024;

    public static double OfFile(string path) => new FileInfo(path).Length / Mega;

    /// <summary>Every file under <paramref name="folder"/>, links not followed.</summary>
    public static double OfFolder(string folder) =>
        new DirectoryInfo(folder).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint })
            .Sum(f => f.Length) / Mega;

    public static string Format(double megabytes) => $"{megabytes:0.0} MB";
}
