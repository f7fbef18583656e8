using System.Reflection;
using OnePixel.Testing;
using PublicApiGenerator;

namespace OnePixel.Packaging.Tests.PublicApi;

/// <summary>
/// Each library's public surface, as PublicApiGenerator writes it, must equal its approved text
/// (PublicApi/NAME.approved.txt), so every public change shows as a diff of that file in review.
/// </summary>
public class PublicApiTests
{
    /// <summary>Set to 1 (or true) to accept the surface the code has now as approved.</summary>
    public const string AcceptVariable = "ONEPIXEL_ACCEPT_API";

    private static readonly Assembly[] Libraries =
    [
        typeof(OnePixelException).Assembly,                       // OnePixel.Testing
        typeof(OnePixel.Testing.NUnit.RobustnessTestAttribute).Assembly, // OnePixel.Testing.NUnit
    ];

    private static IEnumerable<TestCaseData> Cases() =>
        Libraries.Select(library => new TestCaseData(library).SetArgDisplayNames(library.GetName().Name!));

    [TestCaseSource(nameof(Cases))]
    public void Public_api_is_the_approved_one(Assembly library)
    {
        var name = library.GetName().Name!;
        var approvedPath = Repository.File($"tests/OnePixel.Packaging.Tests/PublicApi/{name}.approved.txt");
        var receivedPath = Path.ChangeExtension(approvedPath, null).Replace(".approved", ".received") + ".txt";
        var current = Normalise(library.GeneratePublicApi(new ApiGeneratorOptions
        {
            // Build metadata (which assemblies see internals, the repository's address) is not part of the contract.
            ExcludeAttributes = ["System.Runtime.CompilerServices.InternalsVisibleToAttribute", "System.Reflection.AssemblyMetadataAttribute"],
        }));
        var approved = File.Exists(approvedPath) ? Normalise(File.ReadAllText(approvedPath)) : null;

        if (approved == current)
        {
            File.Delete(receivedPath);
            return;
        }
        if (IsAccepting())
        {
            File.WriteAllText(approvedPath, current);
            File.Delete(receivedPath);
            Assert.Pass($"{AcceptVariable} is set: wrote {approvedPath}; commit it with the change.");
        }
        File.WriteAllText(receivedPath, current);
        Assert.Fail(
            $"The public API of {name} differs from {approvedPath}" + (approved is null ? " (no approved file yet)" : "") + ".\n" +
            FirstDifference(approved ?? "", current) + "\n" +
            $"The surface the code has now is in {receivedPath}. If the change is intended, accept it and commit the approved file:\n" +
            $"  {AcceptVariable}=1 dotnet test tests/OnePixel.Packaging.Tests -c Release --filter \"FullyQualifiedName~PublicApi\"\n" +
            $"or: cp {receivedPath} {approvedPath}");
    }

    private static bool IsAccepting() =>
        Environment.GetEnvironmentVariable(AcceptVariable) is { } value && (value == "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase));

    private static string Normalise(string text) => text.ReplaceLineEndings("\n").TrimEnd() + "\n";

    /// <summary>The first line that differs, with its neighbours, so the message alone shows what changed.</summary>
    private static string FirstDifference(string approved, string current)
    {
        var before = approved.Split('\n');
        var after = current.Split('\n');
        var line = 0;
        while (line < before.Length && line < after.Length && before[line] == after[line]) line++;
        string Around(string[] lines) => string.Join("\n", lines.Skip(Math.Max(0, line - 2)).Take(5).Select(l => "    " + l));
        return $"First difference at line {line + 1}:\n  approved:\n{Around(before)}\n  now:\n{Around(after)}";
    }
}
