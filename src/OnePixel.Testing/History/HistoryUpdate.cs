namespace OnePixel.Testing.History;

/// <summary>
/// Appending to a history is explicit, never silent: a test appends its run only when this environment variable
/// is "1" or "true" (or `onepixel history add` is run), labelled by <see cref="LabelVariable"/> when it is set.
/// </summary>
public static class HistoryUpdate
{
    public const string EnvironmentVariable = "ONEPIXEL_UPDATE_HISTORY";

    /// <summary>The label of the record a test appends, such as a release tag or a commit; default: the model's sha256 prefix.</summary>
    public const string LabelVariable = "ONEPIXEL_HISTORY_LABEL";

    public static bool Requested =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { } value &&
        (value == "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase));

    /// <summary>The label for a record of a model with <paramref name="sha256"/>: <see cref="LabelVariable"/>, else "sha256:" and the hash's first 12 digits.</summary>
    public static string Label(string sha256) =>
        Environment.GetEnvironmentVariable(LabelVariable) is { Length: > 0 } label ? label.Trim() : $"sha256:{sha256[..Math.Min(12, sha256.Length)]}";
}
