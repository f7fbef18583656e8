namespace OnePixel.Packaging.Tests;

/// <summary>
/// OnePixel.Testing.NUnit's build file (buildTransitive/OnePixel.Testing.NUnit.targets) compiles one type that
/// uses NUnit into projects that reference the plugin, so their reference to nunit.framework survives and a
/// project of [RobustnessTest] methods only is found by NUnit's adapter. Packages bring the file to users
/// (the consumer test runs such a project); Directory.Build.targets brings it to this repository's projects.
/// </summary>
public class NUnitReferenceTests
{
    private const string GeneratedType = "OnePixelNUnitFrameworkReference";

    [Test]
    public void A_project_referencing_the_plugin_compiles_the_nunit_reference_in()
    {
        var assembly = typeof(NUnitReferenceTests).Assembly; // references OnePixel.Testing.NUnit by ProjectReference

        assembly.GetTypes().Should().ContainSingle(t => t.Name.EndsWith(GeneratedType, StringComparison.Ordinal));
        assembly.GetReferencedAssemblies().Select(a => a.Name).Should().Contain("nunit.framework");
    }
}
