using System.Globalization;

namespace OnePixel.Testing.Imaging;

/// <summary>
/// One share of an image set, for splitting a large set across CI jobs (a CI matrix). Shard I of N
/// holds the images at positions p (0-based, in the set's order) with p mod N = I - 1: the same share
/// for the same I/N on any machine, and shares that differ in size by at most one image. Each image's
/// random stream depends on the seed and its name only, so the shards' results, merged, equal an
/// unsharded run's.
/// </summary>
public readonly record struct ImageShard
{
    /// <summary>The environment variable the test adapters read the shard from, written as I/N (for example 1/4).</summary>
    public const string EnvironmentVariable = "ONEPIXEL_SHARD";

    public ImageShard(int index, int count)
    {
        if (count < 1)
            throw new OnePixelException($"shard: expected a shard count of 1 or more, found {count}.");
        if (index < 1 || index > count)
            throw new OnePixelException($"shard: expected a shard number 1..{count}, found {index}.");
        Index = index;
        Count = count;
    }

    /// <summary>The shard's number, 1..<see cref="Count"/>.</summary>
    public int Index { get; }

    /// <summary>How many shards the set is split into.</summary>
    public int Count { get; }

    /// <summary>Whether the image at <paramref name="position"/> (0-based) belongs to this shard.</summary>
    public bool Contains(int position) => position % Count == Index - 1;

    /// <summary>Parses "I/N" such as "1/4"; <paramref name="what"/> names the option or variable in messages.</summary>
    public static ImageShard Parse(string text, string what)
    {
        var parts = text.Trim().Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            throw new OnePixelException($"{what}: expected I/N such as 1/4 (shard I of N, counted from 1), found '{text}'.");
        if (count < 1 || index < 1 || index > count)
            throw new OnePixelException($"{what}: expected I/N with 1 <= I <= N, found '{text}'.");
        return new ImageShard(index, count);
    }

    /// <summary>The shard named by <see cref="EnvironmentVariable"/>, or null when it is unset or empty.</summary>
    public static ImageShard? FromEnvironment()
    {
        var text = Environment.GetEnvironmentVariable(EnvironmentVariable);
        return string.IsNullOrWhiteSpace(text) ? null : Parse(text, $"environment variable {EnvironmentVariable}");
    }

    public override string ToString() => $"{Index}/{Count}";
}
