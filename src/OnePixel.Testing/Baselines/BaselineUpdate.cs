namespace OnePixel.Testing.Baselines;

/// <summary>
/// Updating a baseline is explicit, never silent: only when this environment variable is "1" or
/// "true" (or the command line's `baseline update` is run) is a baseline written.
/// </summary>
public static class BaselineUpdate
{
    public const string EnvironmentVariable = "ONEPIXEL_UPDATE_BASELINES";

    public static bool Requested =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { } value &&
        (value == "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase));
}
