using OnePixel.Testing.Baselines;

namespace OnePixel.Testing.NUnit.Tests.Fakes;

/// <summary>Sets ONEPIXEL_UPDATE_BASELINES (or clears it, with null) for the length of a test, and puts back what was there.</summary>
internal sealed class BaselineUpdateVariable : IDisposable
{
    private readonly string? _before = Environment.GetEnvironmentVariable(BaselineUpdate.EnvironmentVariable);

    public BaselineUpdateVariable(string? value) => Environment.SetEnvironmentVariable(BaselineUpdate.EnvironmentVariable, value);

    public void Dispose() => Environment.SetEnvironmentVariable(BaselineUpdate.EnvironmentVariable, _before);
}
