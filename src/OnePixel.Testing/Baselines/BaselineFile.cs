using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.Imaging;
using OnePixel.Testing.Reports;

namespace OnePixel.Testing.Baselines;

/// <summary>Reads, writes and makes baselines. Writes are atomic: a failed run never leaves a half-written baseline.</summary>
public static class BaselineFile
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>A baseline of <paramref name="report"/>, which was made on <paramref name="images"/>. Targeted runs are not baselined per image and target.</summary>
    public static RobustnessBaseline FromReport(AttackReport report, IImageSource images)
    {
        if (report.Options.Mode == AttackMode.EveryTarget)
            throw new OnePixelException("baseline: runs that attack every target are not supported; baseline an untargeted run or one target.");
        if (report.Model is null)
            throw new OnePixelException("baseline: the report does not name its model file; attack a model loaded from a file.");
        // Hashes, not images, are kept while the set is read: a baseline of 10,000 images stays small.
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var image in images.Read()) hashes.TryAdd(image.Name, ContentHash(image.Image));
        return new RobustnessBaseline
        {
            // The file name only: a committed baseline must not carry one machine's folders.
            Model = report.Model with { Path = Path.GetFileName(report.Model.Path) },
            EngineVersion = OnePixel.Testing.EngineVersion.Current,
            Settings = SettingsOf(report.Options),
            Images = report.Results.Select(r => new BaselineImage(
                r.Name,
                hashes.TryGetValue(r.Name, out var hash) ? hash : throw new OnePixelException($"baseline: the report's image '{r.Name}' is not in the image set {images.Source}."),
                r.Label,
                OutcomeOf(r),
                r.AdversarialLabel)).ToList(),
        };
    }

    public static BaselineOutcome OutcomeOf(ImageAttackResult result) =>
        result.Fooled ? BaselineOutcome.Fooled
        : result.Attacked ? BaselineOutcome.Resisted
        : result.StopReason == StopReason.TargetIsTrueClass ? BaselineOutcome.TargetClass
        : BaselineOutcome.Misclassified;

    public static BaselineSettings SettingsOf(AttackOptions options) => new(
        options.Budget.MaxQueries, options.Budget.Population, options.Budget.MaxGenerations, options.Seed, options.Pixels,
        JsonReport.ModeName(options.Mode), options.Target, JsonReport.SearchName(options.Search),
        options.Fitness == FitnessKind.Margin ? "margin" : "probability");

    /// <summary>sha256 over the image's size and pixels: a re-encoded file with the same pixels keeps its hash.</summary>
    public static string ContentHash(ByteImage image)
    {
        var header = System.Text.Encoding.ASCII.GetBytes($"{image.Width}x{image.Height}x{image.Channels}:");
        var bytes = new byte[header.Length + image.Pixels.Length];
        header.CopyTo(bytes, 0);
        image.Pixels.CopyTo(bytes.AsSpan(header.Length));
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    public static string ToJson(RobustnessBaseline baseline) => JsonSerializer.Serialize(baseline, Json) + "\n";

    public static void Write(RobustnessBaseline baseline, string path) => AtomicFile.WriteAllText(path, ToJson(baseline));

    public static RobustnessBaseline Read(string path)
    {
        if (!File.Exists(path))
            throw new OnePixelException($"{path}: baseline file not found. Make one by running with {BaselineUpdate.EnvironmentVariable}=1 (or `onepixel baseline update`).");
        RobustnessBaseline? baseline;
        try
        {
            baseline = JsonSerializer.Deserialize<RobustnessBaseline>(File.ReadAllText(path), Json);
        }
        catch (JsonException e)
        {
            throw new OnePixelException($"{path}: not a valid baseline{(e.Path is null ? "" : $" at '{e.Path.TrimStart('$', '.')}'")}: {e.Message.Split(" Path:")[0]}", e);
        }
        if (baseline is null)
            throw new OnePixelException($"{path}: the baseline is empty; expected a JSON object.");
        if (baseline.Schema != RobustnessBaseline.CurrentSchema)
            throw new OnePixelException($"{path}: field 'schema' is {baseline.Schema}; this version reads schema {RobustnessBaseline.CurrentSchema}.");
        return baseline;
    }
}
