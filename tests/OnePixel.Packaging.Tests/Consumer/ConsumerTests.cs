using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace OnePixel.Packaging.Tests.Consumer;

/// <summary>
/// README's "Use it in your repository", done as a user would, on every test run: the packages are packed
/// into a fresh feed, and a repository in a temporary folder (outside this one, so none of its
/// Directory.*.props apply) gets the README's nuget.config, test project, template project and tool, with
/// the bundled Fashion-MNIST v1 as its model. Each package is packed with a version of its own
/// (0.1.0-consumer-...), so nothing stale in a NuGet cache can stand in for it. The sizes are printed.
/// </summary>
[TestFixture, NonParallelizable, Category("Packaging")]
public partial class ConsumerTests
{
    private const string Section = "Use it in your repository";
    private const string ReadmeFeed = "~/onepixel-feed";
    private const double PackageLimit = 100, BinLimit = 300, RidBinLimit = 80, ToolLimit = 300;

    private static readonly string[] Packages = ["OnePixel.Testing", "OnePixel.Testing.NUnit", "OnePixel.Cli", "OnePixel.Testing.Templates"];

    private TempFolder _temp = null!;
    private ReadmeSection _readme = null!;
    private string _releaseVersion = null!;   // what the README names: 0.1.0
    private string _version = null!;          // what this run packed: 0.1.0-consumer-...
    private string _feed = null!;
    private string _repository = null!;       // the user's repository
    private int _sampleImages;

    [OneTimeSetUp]
    public void PackIntoAFreshFeedAndLayOutTheUsersRepository()
    {
        _temp = new TempFolder();
        _readme = ReadmeSection.Read(Section);
        _releaseVersion = VersionPrefix();
        _version = $"{_releaseVersion}-consumer-{Guid.NewGuid():N}"[..(_releaseVersion.Length + 21)];
        _feed = Directory.CreateDirectory(_temp.File("feed")).FullName;
        _repository = Directory.CreateDirectory(_temp.File("my-repo")).FullName;
        RefuseBuildFilesAbove(_repository);

        // README: dotnet pack OnePixel.Testing.sln -c Release -o ~/onepixel-feed. Here without building
        // (the test run built the projects, in this configuration), with this run's version, and publishing
        // the tool into a fresh folder (a tool package takes everything in its publish folder).
        ExpectShown($"dotnet pack OnePixel.Testing.sln -c Release -o {ReadmeFeed}");
        Succeed(Dotnet.Run(Repository.Root, "pack", "OnePixel.Testing.sln", "-c", Configuration(), "-o", _feed,
            "--no-build", "--version-suffix", _version[(_releaseVersion.Length + 1)..], $"-p:PublishDir={_temp.File("publish")}/"));

        // The model as a user's repository holds it: models/my-model.onnx with its sidecar, whose
        // sampleImages (../samples/images/fashion-mnist) are copied too.
        Directory.CreateDirectory(Path.Combine(_repository, "models"));
        File.Copy(Repository.File("models/fashion-cnn-v1.onnx"), Path.Combine(_repository, "models/my-model.onnx"));
        File.Copy(Repository.File("models/fashion-cnn-v1.onnx.json"), Path.Combine(_repository, "models/my-model.onnx.json"));
        var images = Repository.File("samples/images/fashion-mnist");
        foreach (var file in Directory.GetFiles(images))
            File.Copy(file, Path.Combine(Directory.CreateDirectory(Path.Combine(_repository, "samples/images/fashion-mnist")).FullName, Path.GetFileName(file)));
        _sampleImages = Directory.GetFiles(images, "*.png").Length;

        // README: dotnet new nugetconfig; dotnet nuget add source ~/onepixel-feed --name onepixel-local --configfile nuget.config
        RunShown(_repository, "dotnet new nugetconfig");
        RunShown(_repository, $"dotnet nuget add source {ReadmeFeed} --name onepixel-local --configfile nuget.config");
    }

    [OneTimeTearDown]
    public void RemoveTheFeedAndThisVersionFromTheNuGetCache()
    {
        _temp?.Dispose();
        if (_version is null) return;
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } set
            ? set
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var package in Packages)
        {
            var id = Path.Combine(cache, package.ToLowerInvariant());
            var folder = Path.Combine(id, _version.ToLowerInvariant());
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
            if (Directory.Exists(id) && !Directory.EnumerateFileSystemEntries(id).Any()) Directory.Delete(id);
        }
    }

    [Test]
    public void Every_package_is_packed_within_the_size_a_feed_accepts()
    {
        var files = Directory.GetFiles(_feed).Select(Path.GetFileName).Order().ToList();
        foreach (var package in Packages)
            files.Should().Contain($"{package}.{_version}.nupkg");
        files.Should().Contain($"{Packages[0]}.{_version}.snupkg", "the libraries ship symbols packages");

        foreach (var file in files)
            Report($"package {file}: {Sizes.Format(Sizes.OfFile(Path.Combine(_feed, file!)))}");
        files.Should().AllSatisfy(file => Sizes.OfFile(Path.Combine(_feed, file!)).Should().BeLessThanOrEqualTo(PackageLimit, $"{file} must stay within {PackageLimit} MB"));
    }

    [Test]
    public void The_readme_test_project_runs_its_attribute_cases_and_its_assertion_and_stays_small()
    {
        var project = WriteReadmeFiles("tests/MyModel.RobustnessTests/");

        var run = RunShown(_repository, "dotnet test tests/MyModel.RobustnessTests");
        // One case per sample image from [RobustnessTest], and the assertion's [Test].
        TestCounts(run).Should().Be((_sampleImages + 1, 0), run.ToString());

        var bin = Path.Combine(project, "bin/Debug/net10.0");
        var ridOutput = Path.Combine(bin, RuntimeInformation.RuntimeIdentifier); // a build for one platform writes below it
        var size = Sizes.OfFolder(bin) - (Directory.Exists(ridOutput) ? Sizes.OfFolder(ridOutput) : 0);
        Report($"consumer bin/ without a RuntimeIdentifier: {Sizes.Format(size)} (limit {BinLimit} MB)");
        size.Should().BeLessThanOrEqualTo(BinLimit);
        NativesThatCannotRun(bin).Should().BeEmpty("debug symbols, mobile archives and platforms without ONNX Runtime are left out");
    }

    [Test]
    public void The_readme_test_project_built_for_one_platform_stays_within_its_limit()
    {
        var project = WriteReadmeFiles("tests/MyModel.RobustnessTests/");
        var rid = RuntimeInformation.RuntimeIdentifier;

        Succeed(Dotnet.Run(project, "build", "-r", rid));

        var size = Sizes.OfFolder(Path.Combine(project, "bin/Debug/net10.0", rid));
        Report($"consumer bin/ with -r {rid}: {Sizes.Format(size)} (limit {RidBinLimit} MB)");
        size.Should().BeLessThanOrEqualTo(RidBinLimit);
    }

    [Test]
    public void A_template_project_of_robustness_tests_only_finds_and_passes_them()
    {
        var hive = _temp.File("template-hive"); // keeps the machine's own template list as it was
        RunShown(_repository, $"dotnet new install OnePixel.Testing.Templates::{_releaseVersion} --add-source {ReadmeFeed}", "--debug:custom-hive", hive);
        RunShown(_repository, "dotnet new onepixel-tests -n MyModel.GateTests -o tests/MyModel.GateTests --model models/my-model.onnx", "--debug:custom-hive", hive);

        // Only [RobustnessTest] methods: the assembly uses no NUnit type itself, so without the package's
        // build file the compiler would drop nunit.framework and the adapter would find no test (#15).
        var code = string.Concat(Directory.GetFiles(Path.Combine(_repository, "tests/MyModel.GateTests"), "*.cs").Select(File.ReadAllText));
        code.Should().Contain("[RobustnessTest(").And.NotContain("[Test").And.NotContain("NUnit.Framework");

        var run = RunShown(_repository, "dotnet test tests/MyModel.GateTests");
        TestCounts(run).Should().Be((_sampleImages, 0), run.ToString());
    }

    [Test]
    public void The_tool_installs_from_the_feed_and_attacks_the_model()
    {
        RunShown(_repository, $"dotnet tool install OnePixel.Cli --version {_releaseVersion} --tool-path .tools --add-source {ReadmeFeed}");
        var installed = Sizes.OfFolder(Path.Combine(_repository, ".tools"));
        Report($"tool installed with --tool-path: {Sizes.Format(installed)} (limit {ToolLimit} MB)");
        installed.Should().BeLessThanOrEqualTo(ToolLimit);

        var attack = RunShown(_repository, ".tools/onepixel attack --model models/my-model.onnx", "--json", "report.json");
        attack.ExitCode.Should().Be(0, attack.ToString());
        attack.Output.Should().Contain("gate:").And.Contain("PASS");
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(_repository, "report.json")));
        report.RootElement.GetProperty("summary").GetProperty("attacked").GetInt32().Should().BePositive("the tool attacked the sample images");
    }

    /// <summary>Writes the README's files under <paramref name="prefix"/> into the user's repository, at this run's version.</summary>
    private string WriteReadmeFiles(string prefix)
    {
        var files = _readme.Files().Where(f => f.Key.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        files.Should().NotBeEmpty($"README's \"{Section}\" shows the files of {prefix}");
        var reference = $"<PackageReference Include=\"OnePixel.Testing.NUnit\" Version=\"{_releaseVersion}\" />";
        foreach (var (path, text) in files)
        {
            if (path.EndsWith(".csproj", StringComparison.Ordinal))
                text.Should().Contain(reference, "README names the version Directory.Build.props gives");
            var target = Path.Combine(_repository, path);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.WriteAllText(target, text.Replace(reference, reference.Replace(_releaseVersion, _version)) + "\n");
        }
        return Path.Combine(_repository, prefix);
    }

    /// <summary>
    /// Runs a command README shows word for word, with this run's feed and version in place of README's,
    /// and <paramref name="extra"/> arguments the test needs.
    /// </summary>
    private CommandResult RunShown(string directory, string command, params string[] extra)
    {
        ExpectShown(command);
        var words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(word => word == ReadmeFeed ? _feed : word.Replace(_releaseVersion, _version))
            .Concat(extra).ToList();
        var executable = words[0] == "dotnet" ? Dotnet.Executable : Path.GetFullPath(Path.Combine(directory, words[0]));
        var result = Dotnet.Start(executable, directory, words.Skip(1).ToList());
        return words[1] == "test" ? result : Succeed(result);
    }

    private void ExpectShown(string command) =>
        _readme.Shows(command).Should().BeTrue($"README's \"{Section}\" shows `{command}` (the test runs what it says)");

    private static CommandResult Succeed(CommandResult result)
    {
        result.ExitCode.Should().Be(0, result.ToString());
        return result;
    }

    private static (int Passed, int Failed) TestCounts(CommandResult run)
    {
        var summary = TestSummary().Match(run.Output);
        summary.Success.Should().BeTrue($"dotnet test prints its counts\n{run}");
        return (int.Parse(summary.Groups["passed"].Value), int.Parse(summary.Groups["failed"].Value));
    }

    [GeneratedRegex(@"(Passed|Failed)!\s+-\s+Failed:\s+(?<failed>\d+),\s+Passed:\s+(?<passed>\d+),")]
    private static partial Regex TestSummary();

    /// <summary>Native files the engine's build file leaves out: debug symbols, import libraries, mobile archives, other platforms.</summary>
    private static List<string> NativesThatCannotRun(string bin)
    {
        var runtimes = Path.Combine(bin, "runtimes");
        string[] platforms = ["linux-x64", "linux-arm64", "win-x64", "win-arm64", "osx-arm64", "unix", "win"];
        return Directory.Exists(runtimes)
            ? Directory.EnumerateFiles(runtimes, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(runtimes, f).Replace('\\', '/'))
                .Where(f => !platforms.Contains(f.Split('/')[0]) || Path.GetExtension(f) is ".pdb" or ".dbg" or ".dwarf" or ".lib")
                .ToList()
            : [];
    }

    /// <summary>A Directory.Build.props (or .targets, or Directory.Packages.props) above the user's repository would make it no outsider.</summary>
    private static void RefuseBuildFilesAbove(string folder)
    {
        for (var dir = new DirectoryInfo(folder); dir is not null; dir = dir.Parent)
            foreach (var name in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json" })
                File.Exists(Path.Combine(dir.FullName, name)).Should().BeFalse($"{Path.Combine(dir.FullName, name)} would apply to the consumer's projects");
    }

    private static string VersionPrefix()
    {
        var props = File.ReadAllText(Repository.File("Directory.Build.props"));
        var match = Regex.Match(props, "<VersionPrefix>([^<]+)</VersionPrefix>");
        match.Success.Should().BeTrue("Directory.Build.props sets VersionPrefix");
        return match.Groups[1].Value;
    }

    private static string Configuration() =>
        typeof(ConsumerTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

    /// <summary>A figure for the test's output: shown by `dotnet test --logger "console;verbosity=normal"`, kept in TRX files.</summary>
    private static void Report(string line) => TestContext.Out.WriteLine(line);
}
