namespace OnePixel.Testing.Verification;

/// <summary>The verdicts on a set of images.</summary>
public sealed record VerificationReport
{
    public required IReadOnlyList<ImageVerification> Results { get; init; }
    public required double Seconds { get; init; }
    public required VerificationOptions Options { get; init; }
    public Attacks.ModelIdentity? Model { get; init; }
    public string? ImageSource { get; init; }
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>How the images were verified (bounds, or enumeration when bounds were not asked for or not possible).</summary>
    public VerificationMethod Method { get; init; } = VerificationMethod.Enumerate;

    /// <summary>What the reader should know: why bounds fell back to enumeration, the parity measured, ...</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    public int Images => Results.Count;
    public int Checked => Results.Count(r => r.Checked);
    public int Vulnerable => Results.Count(r => r.Vulnerable);

    /// <summary>Correctly classified images that no single pixel fools (certified when <see cref="Exact"/>).</summary>
    public int Resisting => Checked - Vulnerable;

    /// <summary>Every checked image got an exact verdict (a certificate covering every colour, or a counterexample).</summary>
    public bool Exact => Results.All(r => r.Exact || !r.Checked);

    public int Undecided => Results.Count(r => r.Verdict == VerificationVerdict.Undecided);
    public long Queries => Results.Sum(r => r.Queries);

    /// <summary>vulnerable / checked: the success rate a perfect one-pixel search would reach.</summary>
    public double VulnerableRate => Checked == 0 ? 0 : (double)Vulnerable / Checked;

    /// <summary>
    /// The figures in an attack summary's terms (checked images as attacked, vulnerable as fooled), so clean
    /// accuracy, misclassified images and the gate are computed as they are for attacks.
    /// </summary>
    public Attacks.AttackSummary Summary => new()
    {
        Images = Images,
        Attacked = Checked,
        Fooled = Vulnerable,
        Misclassified = Images - Checked,
        Queries = Queries,
        Seconds = Seconds,
    };

    /// <summary>Correctly classified images proved robust: every colour of every pixel covered.</summary>
    public int Certified => Results.Count(r => r.Verdict == VerificationVerdict.Certified);

    /// <summary>RGB images by enumeration with no counterexample on the colour grid (not a certificate).</summary>
    public int NoneFoundOnGrid => Results.Count(r => r.Verdict == VerificationVerdict.NoneFoundOnGrid);

    /// <summary>The class name for an index, or the index itself when names are unknown.</summary>
    public string ClassName(int label) =>
        ClassNames is { } names && label >= 0 && label < names.Count ? names[label] : label.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
