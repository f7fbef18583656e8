namespace OnePixel.Testing.Imaging;

/// <summary>
/// --skip/--count slices and I/N shards of a set's items, with the same checks and messages for a
/// set in memory (<see cref="ImageSet"/>) and one read from its files (<see cref="ImageStream"/>).
/// </summary>
internal static class SetSelection
{
    public static List<T> Slice<T>(IReadOnlyList<T> items, int skip, int? count, string source)
    {
        if (skip < 0) throw new OnePixelException($"--skip: expected 0 or more, found {skip}.");
        if (count is <= 0) throw new OnePixelException($"--count: expected 1 or more, found {count}.");
        var selected = items.Skip(skip).Take(count ?? int.MaxValue).ToList();
        if (selected.Count == 0)
            throw new OnePixelException($"{source}: --skip {skip} leaves no image of the {items.Count} in the set.");
        return selected;
    }

    /// <summary>The items at the given positions (ascending) of <paramref name="items"/>, whose own positions in the source are <paramref name="positionOf"/>.</summary>
    public static List<T> Only<T>(IReadOnlyList<T> items, IReadOnlyList<int> positions, Func<T, int> positionOf, string source)
    {
        var byPosition = new Dictionary<int, T>();
        foreach (var item in items) byPosition.TryAdd(positionOf(item), item);
        var missing = positions.Where(p => !byPosition.ContainsKey(p)).Take(5).ToList();
        if (missing.Count > 0)
            throw new OnePixelException($"{source}: --indices names position{(missing.Count == 1 ? "" : "s")} {string.Join(", ", missing)}, but the set holds positions {ImageSelection.FormatIndices(byPosition.Keys.Order().ToList())}.");
        return positions.Select(p => byPosition[p]).ToList();
    }

    /// <summary>The items at positions p with p mod N = I - 1; a shard with none (more shards than items) is an error.</summary>
    public static List<T> Shard<T>(IReadOnlyList<T> items, ImageShard shard, string source)
    {
        var selected = items.Where((_, position) => shard.Contains(position)).ToList();
        if (selected.Count == 0)
            throw new OnePixelException($"{source}: shard {shard} holds no image: the set has {items.Count} image(s), fewer than the {shard.Count} shards; expected at most {items.Count} shards.");
        return selected;
    }
}
