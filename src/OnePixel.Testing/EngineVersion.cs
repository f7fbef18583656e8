using System.Reflection;

namespace OnePixel.Testing;

/// <summary>The engine's version, written into reports and baselines so results can be traced to the code that made them.</summary>
public static class EngineVersion
{
    public static string Current { get; } =
        typeof(EngineVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(EngineVersion).Assembly.GetName().Version?.ToString() ?? "0.0.0";
}
