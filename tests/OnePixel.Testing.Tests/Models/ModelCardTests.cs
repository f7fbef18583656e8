using System.Globalization;
using System.Text.RegularExpressions;
using OnePixel.Testing.Imaging;
using OnePixel.Testing.Models;

namespace OnePixel.Testing.Tests.Models;

/// <summary>
/// The model cards in models/ state each bundled model's sha256 and accuracy; these tests hold the
/// committed files to them, so a retrained model cannot slip in under an old card.
/// </summary>
public partial class ModelCardTests
{
    public static IEnumerable<TestCaseData> Cards() =>
        Directory.GetFiles(Repository.File("models"), "*.md")
            .Where(card => File.Exists(Path.ChangeExtension(card, ".onnx"))) // a card is named after its model
            .Order(StringComparer.Ordinal)
            .Select(card => new TestCaseData(Path.GetFileName(card)).SetName($"Card {Path.GetFileName(card)}"));

    [Test]
    public void Every_main_model_should_have_a_card()
    {
        var models = Directory.GetFiles(Repository.File("models"), "*.onnx").Select(Path.GetFileNameWithoutExtension);

        models.Should().NotBeEmpty().And.OnlyContain(m => File.Exists(Repository.File($"models/{m}.md")));
    }

    [TestCaseSource(nameof(Cards))]
    public void The_model_file_should_have_the_sha256_its_card_states(string card)
    {
        var facts = Facts(card);
        var model = Repository.File($"models/{Path.GetFileNameWithoutExtension(card)}.onnx");

        LoadedModel.Sha256Of(model).Should().Be(facts["sha256"], $"{card} states it");
    }

    [TestCaseSource(nameof(Cards))]
    public void The_model_should_reach_the_sample_accuracy_its_card_states(string card)
    {
        var stated = double.Parse(Facts(card)["sample-accuracy"], CultureInfo.InvariantCulture);
        using var model = LoadedModel.Load(Repository.File($"models/{Path.GetFileNameWithoutExtension(card)}.onnx"));
        var images = ImageSetLoader.Load(model.Options.SampleImages!, model.Classifier.ClassNames);

        var correct = images.Images.Count(i => model.Classifier.Classify(i.Image).Label == i.Label);

        ((double)correct / images.Count).Should().BeApproximately(stated, 0.005, $"{card} states {stated} on {images.Count} images");
    }

    [Test]
    public void Every_variant_should_have_the_sha256_its_card_states()
    {
        var card = File.ReadAllText(Repository.File("models/variants/README.md"));
        var stated = VariantLine().Matches(card).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        var files = Directory.GetFiles(Repository.File("models/variants"), "*.onnx").Select(Path.GetFileName).ToList();

        stated.Keys.Should().BeEquivalentTo(files);
        foreach (var (file, sha) in stated)
            LoadedModel.Sha256Of(Repository.File($"models/variants/{file}")).Should().Be(sha, $"models/variants/README.md states it for {file}");
    }

    [Test]
    public void The_checksum_list_should_match_every_model_file()
    {
        var lines = File.ReadAllLines(Repository.File("models/SHA256SUMS")).Where(l => l.Trim().Length > 0).ToList();
        var listed = lines.Select(l => l.Split(' ', 2, StringSplitOptions.TrimEntries)).ToDictionary(p => p[1].TrimStart('*', '.', '/'), p => p[0]);
        var files = Directory.GetFiles(Repository.File("models"), "*.onnx", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Repository.File("models"), f).Replace('\\', '/')).ToList();

        listed.Keys.Should().BeEquivalentTo(files);
        foreach (var (file, sha) in listed)
            LoadedModel.Sha256Of(Repository.File($"models/{file}")).Should().Be(sha, $"models/SHA256SUMS lists it for {file}");
    }

    /// <summary>The card's machine-readable facts: lines "- key: value".</summary>
    private static Dictionary<string, string> Facts(string card) =>
        FactLine().Matches(File.ReadAllText(Repository.File($"models/{card}")))
            .GroupBy(m => m.Groups[1].Value).ToDictionary(g => g.Key, g => g.First().Groups[2].Value.Trim());

    [GeneratedRegex(@"^- ([a-z0-9-]+): *`?([^`\r\n]+)`?", RegexOptions.Multiline)]
    private static partial Regex FactLine();

    [GeneratedRegex(@"^- `?([\w.-]+\.onnx)`?: *sha256 `?([0-9a-f]{64})`?", RegexOptions.Multiline)]
    private static partial Regex VariantLine();
}
