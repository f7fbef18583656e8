namespace OnePixel.Testing.Attacks;

/// <summary>Everything a run found, with what is needed to reproduce it.</summary>
public sealed record AttackReport
{
    public required AttackSummary Summary { get; init; }

    /// <summary>One result per image (per image and target, in targeted mode), in image order.</summary>
    public required IReadOnlyList<ImageAttackResult> Results { get; init; }

    public required AttackOptions Options { get; init; }

    /// <summary>The model's file and sha256, when it came from a file.</summary>
    public ModelIdentity? Model { get; init; }

    /// <summary>Where the images came from.</summary>
    public string? ImageSource { get; init; }

    /// <summary>The IDX labels file that went with an IDX images file; null for other sources.</summary>
    public string? ImageLabels { get; init; }

    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>The shard of the image set this run covered, or null for a whole set (or a merged one).</summary>
    public Imaging.ImageShard? Shard { get; init; }

    public IEnumerable<ImageAttackResult> FooledResults => Results.Where(r => r.Fooled);

    /// <summary>The class name for an index, or the index itself when names are unknown.</summary>
    public string ClassName(int label) => ClassNames is { } names && label >= 0 && label < names.Count ? names[label] : label.ToString();
}

/// <summary>A model file and its content hash: the identity that baselines and reports refer to.</summary>
public sealed record ModelIdentity(string Path, string Sha256)
{
    /// <summary>How the model was fed in the run that names it; null for a classifier made in code (or a report of an older version).</summary>
    public Models.ModelPreprocessing? Preprocessing { get; init; }
}
