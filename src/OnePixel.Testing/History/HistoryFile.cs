using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.Baselines;
using OnePixel.Testing.Imaging;
using OnePixel.Testing.Statistics;
using OnePixel.Testing.Verification;

namespace OnePixel.Testing.History;

/// <summary>
/// Reads, appends to and makes records of a history file: JSON Lines, one <see cref="HistoryRecord"/> per model
/// version, oldest first. Appending rewrites the file atomically, so a failed run never leaves half a line; nothing
/// but an explicit `onepixel history add` (or a test run with ONEPIXEL_UPDATE_HISTORY=1) ever writes it.
/// Fields this version does not know are ignored when reading: later versions only ever add fields.
/// </summary>
public static class HistoryFile
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The records of <paramref name="path"/>, oldest first; every problem names the file, the line and the field.</summary>
    public static IReadOnlyList<HistoryRecord> Read(string path)
    {
        if (!File.Exists(path))
            throw new OnePixelException($"{path}: history file not found. Start one with `onepixel history add --history {path} --label LABEL --model MODEL` (or a test run with {HistoryUpdate.EnvironmentVariable}=1).");
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses history text; <paramref name="source"/> names it in messages.</summary>
    public static IReadOnlyList<HistoryRecord> Parse(string text, string source)
    {
        var records = new List<HistoryRecord>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0) continue;
            var where = $"{source}:{i + 1}";
            HistoryRecord? record;
            try
            {
                record = JsonSerializer.Deserialize<HistoryRecord>(line, Json);
            }
            catch (JsonException e)
            {
                throw new OnePixelException($"{where}: not a history record{(e.Path is null or "$" ? "" : $" at '{e.Path.TrimStart('$', '.')}'")}: {e.Message.Split(" Path:")[0]}", e);
            }
            if (record is null) throw new OnePixelException($"{where}: expected a JSON object, found null.");
            Check(record, where);
            if (records.FirstOrDefault(r => r.Label == record.Label) is { } earlier)
                throw new OnePixelException($"{where}: label '{record.Label}' is already used by line {LineOf(lines, earlier.Label, source)}; expected each label once.");
            records.Add(record);
        }
        return records;
    }

    /// <summary>
    /// Adds <paramref name="record"/> at the end of <paramref name="path"/> (made when missing), atomically. A label
    /// already in the history is refused: a version is recorded once.
    /// </summary>
    public static void Append(string path, HistoryRecord record)
    {
        var text = File.Exists(path) ? File.ReadAllText(path) : "";
        var records = Parse(text, path);
        if (records.Any(r => r.Label == record.Label))
            throw new OnePixelException($"{path}: already holds a record labelled '{record.Label}'; a version is recorded once, so give the new record another label.");
        Check(record, "the new record");
        if (text.Length > 0 && !text.EndsWith('\n')) text += "\n";
        AtomicFile.WriteAllText(path, text + ToLine(record));
    }

    /// <summary>The record as one line of JSON, with its newline.</summary>
    public static string ToLine(HistoryRecord record) => JsonSerializer.Serialize(record, Json) + "\n";

    /// <summary>
    /// The record of <paramref name="report"/>, made on <paramref name="images"/>, for the history at
    /// <paramref name="historyPath"/>: paths are written relative to its folder, so a committed history works in
    /// any checkout. Runs that attack every target are refused, as for baselines.
    /// </summary>
    public static HistoryRecord RecordOf(AttackReport report, IImageSource images, string historyPath, string label, string? date = null,
        string? baselinePath = null, VerificationReport? verification = null)
    {
        if (string.IsNullOrWhiteSpace(label))
            throw new OnePixelException("history: the label is empty; expected a version's name such as v3, a date or a commit.");
        var baseline = BaselineFile.FromReport(report, images); // content hashes and outcomes, checked as for baselines
        var byName = report.Results.ToDictionary(r => r.Name, StringComparer.Ordinal);
        var results = baseline.Images.Select(i =>
        {
            var r = byName[i.Name];
            return new HistoryResult(i.Name, i.Sha256, i.Label, i.Outcome)
            {
                Predicted = i.Outcome == BaselineOutcome.Misclassified ? r.Predicted : null,
                AdversarialLabel = r.Fooled ? r.AdversarialLabel : null,
                Pixels = r.Fooled ? r.Pixels : null,
            };
        }).ToList();
        var s = report.Summary;
        var interval = s.SuccessRateInterval;
        return new HistoryRecord
        {
            Label = label.Trim(),
            Date = date is null ? DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : ParseDate(date),
            Model = report.Model! with { Path = Relocated(historyPath, report.Model!.Path) },
            EngineVersion = baseline.EngineVersion,
            Settings = baseline.Settings,
            ImageSet = new HistoryImageSet(
                Relocated(historyPath, report.ImageSource ?? images.Source),
                report.ImageLabels is { } labels ? Relocated(historyPath, labels) : null,
                ImageSelection.FormatIndices(report.Results.Select(r => r.Index).Distinct().Order().ToList()),
                SetHash(results)),
            Images = s.Images,
            Correct = s.Correct,
            Accuracy = s.Accuracy,
            Attacked = s.Attacked,
            Fooled = s.Fooled,
            SuccessRate = s.SuccessRate,
            SuccessRateInterval = new HistoryInterval(interval.Low, interval.High, "wilson-95"),
            Verification = verification is null ? null : new HistoryVerification(verification.Checked, verification.Vulnerable, verification.VulnerableRate, verification.Exact),
            Baseline = baselinePath is null ? null : Relocated(historyPath, baselinePath),
            Classes = report.ClassNames,
            Results = results,
        };
    }

    /// <summary>A path stored in a history (images, model, baseline) as a path to open: relative ones are from the history file's folder.</summary>
    public static string Resolve(string historyPath, string stored) =>
        Path.IsPathRooted(stored) ? stored : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(historyPath))!, stored));

    /// <summary>
    /// <paramref name="path"/> relative to the history file's folder, so that the history and the files it names move
    /// together (a checkout elsewhere); absolute when they share nothing but the file system's root.
    /// </summary>
    public static string RelativeTo(string historyPath, string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(historyPath))!;
        var full = Path.GetFullPath(path);
        var relative = Path.GetRelativePath(folder, full);
        static string First(string p) => p.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
        var sharesMore = Path.GetPathRoot(folder) == Path.GetPathRoot(full) && First(folder) == First(full) && First(full).Length > 0;
        return Path.IsPathRooted(relative) || !sharesMore ? full : relative.Replace('\\', '/');
    }

    /// <summary>A file's path relative to the history (<see cref="RelativeTo"/>); a name that is no file (a classifier made in code, a set made in memory) as it is.</summary>
    private static string Relocated(string historyPath, string path) => File.Exists(path) || Directory.Exists(path) ? RelativeTo(historyPath, path) : path;

    /// <summary>sha256 over every image's name, content hash and label, in order.</summary>
    public static string SetHash(IEnumerable<HistoryResult> results)
    {
        var text = new StringBuilder();
        foreach (var r in results) text.Append(r.Name).Append('\t').Append(r.Sha256).Append('\t').Append(r.Label.ToString(CultureInfo.InvariantCulture)).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>"2026-11-29" or a full ISO 8601 date and time (written in UTC); anything else is refused.</summary>
    public static string ParseDate(string text)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            return day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var moment))
            return moment.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        throw new OnePixelException($"--date: expected a date such as 2026-11-29 or 2026-11-29T21:35:00Z, found '{text}'.");
    }

    /// <summary>A record's figures must be those of its results: a line edited by hand, or cut short, is refused.</summary>
    private static void Check(HistoryRecord record, string where)
    {
        if (record.Schema != HistoryRecord.CurrentSchema)
            throw new OnePixelException($"{where}: schema is {record.Schema}; this version of onepixel reads schema {HistoryRecord.CurrentSchema}.");
        if (string.IsNullOrWhiteSpace(record.Label))
            throw new OnePixelException($"{where}: label: expected a version's name, found an empty string.");
        void Agree(string field, long stated, long found)
        {
            if (stated != found) throw new OnePixelException($"{where}: {field}: says {stated}, but the results give {found}.");
        }
        Agree("images", record.Images, record.Results.Count);
        Agree("correct", record.Correct, record.Results.Count(r => r.Outcome != BaselineOutcome.Misclassified));
        Agree("attacked", record.Attacked, record.Results.Count(r => r.Outcome is BaselineOutcome.Resisted or BaselineOutcome.Fooled));
        Agree("fooled", record.Fooled, record.Results.Count(r => r.Outcome == BaselineOutcome.Fooled));
        var hash = SetHash(record.Results);
        if (record.ImageSet.Sha256 != hash)
            throw new OnePixelException($"{where}: imageSet.sha256: says {record.ImageSet.Sha256}, but the results' names, contents and labels give {hash}.");
        foreach (var r in record.Results.Where(r => r.Outcome == BaselineOutcome.Fooled))
            if (r.AdversarialLabel is null || r.Pixels is not { Count: > 0 })
                throw new OnePixelException($"{where}: results: '{r.Name}' is fooled, but has no adversarialLabel or pixels.");
    }

    private static int LineOf(string[] lines, string label, string source)
    {
        for (var i = 0; i < lines.Length; i++)
            if (lines[i].Contains($"\"label\":{JsonSerializer.Serialize(label)}", StringComparison.Ordinal)) return i + 1;
        return 0;
    }
}
