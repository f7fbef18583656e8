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

    public int Images => Results.Count;
    public int Checked => Results.Count(r => r.Checked);
    public int Vulnerable => Results.Count(r => r.Vulnerable);

    /// <summary>Correctly classified images that no single pixel fools (certified when <see cref="Exact"/>).</summary>
    public int Resisting => Checked - Vulnerable;

    public bool Exact => Results.All(r => r.Exact);
    public long Queries => Results.Sum(r => r.Queries);

    /// <summary>vulnerable / checked: the success rate a perfect one-pixel search would reach.</summary>
    public double VulnerableRate => Checked == 0 ? 0 : (double)Vulnerable / Checked;
}
