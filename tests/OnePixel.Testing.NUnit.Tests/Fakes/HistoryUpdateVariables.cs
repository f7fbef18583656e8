using OnePixel.Testing.History;

namespace OnePixel.Testing.NUnit.Tests.Fakes;

/// <summary>Sets ONEPIXEL_UPDATE_HISTORY and ONEPIXEL_HISTORY_LABEL (or clears them, with null) for the length of a test, and puts back what was there.</summary>
internal sealed class HistoryUpdateVariables : IDisposable
{
    private readonly string? _update = Environment.GetEnvironmentVariable(HistoryUpdate.EnvironmentVariable);
    private readonly string? _label = Environment.GetEnvironmentVariable(HistoryUpdate.LabelVariable);

    public HistoryUpdateVariables(string? update, string? label = null)
    {
        Environment.SetEnvironmentVariable(HistoryUpdate.EnvironmentVariable, update);
        Environment.SetEnvironmentVariable(HistoryUpdate.LabelVariable, label);
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(HistoryUpdate.EnvironmentVariable, _update);
        Environment.SetEnvironmentVariable(HistoryUpdate.LabelVariable, _label);
    }
}
