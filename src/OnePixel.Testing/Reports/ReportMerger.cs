using OnePixel.Testing.Attacks;

namespace OnePixel.Testing.Reports;

/// <summary>
/// Combines the reports of disjoint parts of one image set (shards, or --skip/--count slices) into
/// the report an unsharded run would have given: results in image order, the summary counted from
/// them. Each image's random stream depends only on the seed and its name, so nothing is lost.
/// The parts must share the model, the attack settings and the class names; shard reports must be
/// every shard of one split exactly once; no image may appear twice.
/// </summary>
public static class ReportMerger
{
    /// <summary>Merges <paramref name="parts"/>: the reports, each with the name it is known by (its file) for messages.</summary>
    public static AttackReport Merge(IReadOnlyList<(string Name, AttackReport Report)> parts)
    {
        if (parts.Count == 0)
            throw new OnePixelException("merge: expected at least one report, found none.");
        var (firstName, first) = parts[0];
        foreach (var (name, report) in parts.Skip(1))
        {
            if (report.Model?.Sha256 != first.Model?.Sha256)
                throw new OnePixelException($"{name}: attacks the model {Describe(report.Model)}, but {firstName} attacks {Describe(first.Model)}; expected shards of one run.");
            var preprocessing = Models.ModelPreprocessing.Mismatches(first.Model?.Preprocessing, report.Model?.Preprocessing, $"in {firstName}", $"in {name}");
            if (preprocessing.Count > 0)
                throw new OnePixelException($"{name}: fed the model differently than {firstName}: {string.Join("; ", preprocessing)}; expected shards of one run.");
            var (expected, found) = (Settings(first.Options), Settings(report.Options));
            if (expected != found)
                throw new OnePixelException($"{name}: attack settings {found}, but {firstName} has {expected}; expected shards of one run (same budget, seed, pixels and mode).");
            if (!(report.ClassNames ?? []).SequenceEqual(first.ClassNames ?? []))
                throw new OnePixelException($"{name}: class names [{string.Join(", ", report.ClassNames ?? [])}] differ from those of {firstName} [{string.Join(", ", first.ClassNames ?? [])}].");
        }
        CheckShards(parts);

        var seen = new Dictionary<(int Index, int Target), string>();
        foreach (var (name, report) in parts)
        foreach (var result in report.Results)
            if (!seen.TryAdd((result.Index, result.Target ?? -1), name))
                throw new OnePixelException($"{name}: image {result.Index} ('{result.Name}'){(result.Target is { } t ? $" towards class {t}" : "")} is also in {seen[(result.Index, result.Target ?? -1)]}; expected disjoint shards.");

        var results = parts.SelectMany(p => p.Report.Results).OrderBy(r => r.Index).ThenBy(r => r.Target ?? -1).ToList();
        var images = parts.Sum(p => p.Report.Summary.Images);
        return first with
        {
            Results = results,
            // Seconds add up: the merged report states the work the shards did together.
            Summary = AttackSummary.From(results, images, parts.Sum(p => p.Report.Summary.Seconds)),
            Shard = null,
        };
    }

    private static void CheckShards(IReadOnlyList<(string Name, AttackReport Report)> parts)
    {
        var sharded = parts.Where(p => p.Report.Shard is not null).ToList();
        if (sharded.Count == 0) return;
        if (sharded.Count != parts.Count)
        {
            var whole = parts.First(p => p.Report.Shard is null).Name;
            throw new OnePixelException($"{whole}: is not a shard report, but {sharded[0].Name} is (shard {sharded[0].Report.Shard}); expected only shards of one split.");
        }
        var count = sharded[0].Report.Shard!.Value.Count;
        var byIndex = new Dictionary<int, string>();
        foreach (var (name, report) in parts)
        {
            var shard = report.Shard!.Value;
            if (shard.Count != count)
                throw new OnePixelException($"{name}: is shard {shard}, but {sharded[0].Name} is shard {sharded[0].Report.Shard}; expected shards of one split into {count}.");
            if (!byIndex.TryAdd(shard.Index, name))
                throw new OnePixelException($"{name}: is shard {shard}, and so is {byIndex[shard.Index]}; expected each shard once.");
        }
        var missing = Enumerable.Range(1, count).Where(i => !byIndex.ContainsKey(i)).ToList();
        if (missing.Count > 0)
            throw new OnePixelException($"merge: shard{(missing.Count == 1 ? "" : "s")} {string.Join(", ", missing.Select(i => $"{i}/{count}"))} missing; expected all {count} shards, found {parts.Count}.");
    }

    private static string Describe(ModelIdentity? model) => model is null ? "(no model file)" : $"{model.Path} (sha256 {model.Sha256[..Math.Min(12, model.Sha256.Length)]})";

    private static string Settings(AttackOptions o) =>
        $"budget {o.Budget.MaxQueries}, population {o.Budget.Population}, generations {o.Budget.Generations}, seed {o.Seed}, pixels {o.Pixels}, mode {JsonReport.ModeName(o.Mode)}{(o.Target is { } t ? $", target {t}" : "")}, search {JsonReport.SearchName(o.Search)}, fitness {(o.Fitness == FitnessKind.Margin ? "margin" : "probability")}";

    /// <summary>The settings that must match for two reports to be parts of one run, or to be compared.</summary>
    public static string SettingsOf(AttackOptions options) => Settings(options);
}
