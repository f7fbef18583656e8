using System.Runtime.CompilerServices;
using NUnit.Framework.Interfaces;

namespace OnePixel.Testing.NUnit;

/// <summary>
/// The models a suite holds while it runs: the suite that declares a model ([RobustnessModel] on the
/// assembly, a fixture or a method, an NUnit action around that suite) keeps it loaded for every
/// robustness test inside it, and releases it when its tests are done, so a model declared on the
/// assembly lives for the test run, one declared on a fixture while that fixture runs. Suites running at
/// once that declare the same file and options share one model (see <see cref="SharedModels"/>).
/// </summary>
internal sealed class ModelScope
{
    // Keyed by the suite NUnit runs (a new one for every load of the tests), weakly: a test tree that is
    // dropped takes its scopes with it.
    private static readonly ConditionalWeakTable<ITest, ModelScope> Open = new();

    // For a test outside every declaring suite (NUnit always runs one around it; this is a fallback): the process's.
    private static readonly ModelScope Process = new();

    private readonly Lock _lock = new();
    private readonly Dictionary<string, ModelLease> _held = [];

    /// <summary>The suite that declares a model starts.</summary>
    public static void Begin(ITest suite) => Open.AddOrUpdate(suite, new ModelScope());

    /// <summary>The suite's tests are done: its models are released (and disposed, unless a suite still running holds them too).</summary>
    public static void End(ITest suite)
    {
        if (!Open.TryGetValue(suite, out var scope)) return;
        Open.Remove(suite);
        scope.End();
    }

    /// <summary>The scope of the nearest declaring suite around <paramref name="test"/>.</summary>
    public static ModelScope Of(ITest test)
    {
        for (var suite = test; suite is not null; suite = suite.Parent)
            if (Open.TryGetValue(suite, out var scope)) return scope;
        return Process;
    }

    /// <summary>
    /// A lease on the current version of <paramref name="model"/> for one run (dispose it when the run
    /// ends); the scope holds the model too, for the runs after, until it ends. When the file changed, the
    /// scope moves to the new version, and the old one is disposed once the runs using it end.
    /// </summary>
    public ModelLease Use(ModelDeclaration model)
    {
        var lease = SharedModels.Acquire(model);
        ModelLease? replaced = null;
        lock (_lock)
        {
            if (!_held.TryGetValue(model.Key, out var held) || held.Version != lease.Version)
            {
                replaced = held;
                _held[model.Key] = SharedModels.Another(lease);
            }
        }
        replaced?.Dispose();
        return lease;
    }

    /// <summary>Releases the scope's models (their runs under way keep theirs until they end).</summary>
    public void End()
    {
        List<ModelLease> held;
        lock (_lock)
        {
            held = [.. _held.Values];
            _held.Clear();
        }
        foreach (var lease in held) lease.Dispose();
    }
}
