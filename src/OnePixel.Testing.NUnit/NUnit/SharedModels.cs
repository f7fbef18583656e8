using System.Collections.Concurrent;
using System.Reflection;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.Models;

namespace OnePixel.Testing.NUnit;

/// <summary>A classifier the tests of a run share, with the identity reports give it.</summary>
internal sealed record SharedModel(IImageClassifier Classifier, ModelIdentity? Identity, string Description);

/// <summary>
/// Models are loaded once per test run and shared: an ONNX session is costly to create, and
/// classifiers are safe to call from several threads (<see cref="IImageClassifier"/>). Keyed by the
/// full path and the options in force, so two declarations of one file with different options get
/// two models. Lazy with ExecutionAndPublication: tests starting in parallel wait for one load, and a
/// load that fails fails the same way for each of them rather than being retried.
/// </summary>
internal static class SharedModels
{
    private static readonly ConcurrentDictionary<string, Lazy<SharedModel>> Models = new();
    private static int _loads;

    /// <summary>Models actually loaded in this process (for tests of the sharing itself).</summary>
    public static int Loads => Volatile.Read(ref _loads);

    public static SharedModel Get(ModelDeclaration model) =>
        Models.GetOrAdd(model.Key, _ => new Lazy<SharedModel>(() => Load(model), LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    private static SharedModel Load(ModelDeclaration model)
    {
        Interlocked.Increment(ref _loads);
        if (model.ClassifierType is { } type)
        {
            try
            {
                var classifier = (IImageClassifier)Activator.CreateInstance(type)!;
                return new SharedModel(classifier, null, type.Name);
            }
            catch (TargetInvocationException e) when (e.InnerException is OnePixelException inner)
            {
                throw new OnePixelException(inner.Message, inner); // the constructor's own words, not reflection's wrapper
            }
            catch (TargetInvocationException e) when (e.InnerException is { } inner)
            {
                throw new OnePixelException($"{type.FullName}: the constructor failed: {inner.GetType().Name}: {inner.Message}", inner);
            }
        }
        var loaded = LoadedModel.Load(model.Path!, model.Overrides);
        return new SharedModel(loaded.Classifier, loaded.Identity, loaded.Path);
    }
}
