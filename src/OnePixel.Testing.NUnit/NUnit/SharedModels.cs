using System.Reflection;
using OnePixel.Testing.Attacks;
using OnePixel.Testing.Models;

namespace OnePixel.Testing.NUnit;

/// <summary>A classifier the tests of a run share, with the identity reports give it, and (for a model file) its path and options, which verification by bounds reads.</summary>
internal sealed record SharedModel(IImageClassifier Classifier, ModelIdentity? Identity, string Description, string? Path = null, ModelOptions? Options = null);

/// <summary>
/// The models tests share, one per declaration (file and options) and version of the file: an ONNX
/// session is costly to create, and classifiers are safe to call from several threads. A model is held
/// by leases (<see cref="ModelLease"/>: the suites that declare it, see <see cref="ModelScope"/>, and the
/// runs using it) and disposed when the last is released. The file's identity is part of the key: a
/// model file or sidecar that changed (size or last write time; the same bytes, by sha256, count as
/// unchanged) is loaded again for the runs that start after the change. A load that fails fails the same
/// way for every lease of that version, and is tried again once they are all released (the next test run).
/// </summary>
internal static class SharedModels
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, List<Version>> Versions = []; // by declaration key, oldest first
    private static int _loads;

    /// <summary>Loads started in this process (for tests of the sharing itself).</summary>
    public static int Loads => Volatile.Read(ref _loads);

    /// <summary>Models loaded and not disposed yet (for tests of their lifetime).</summary>
    public static int Alive
    {
        get { lock (Gate) return Versions.Values.Sum(versions => versions.Count(v => v.Loaded)); }
    }

    /// <summary>A lease on the current version of <paramref name="model"/>; the model itself is loaded when the lease's <see cref="ModelLease.Model"/> is first read.</summary>
    public static ModelLease Acquire(ModelDeclaration model)
    {
        var stamp = FileStamp.For(model);
        lock (Gate)
        {
            if (Find(model.Key, v => v.Stamp == stamp) is { } current)
                return Lease(current);
        }
        // The file changed since a version was loaded: the same bytes (a touch, a checkout of the same
        // revision) keep that version. Hashed outside the lock: a large model takes a moment.
        var sha256 = model.Path is { } path && stamp.Model is not null && Known(model.Key) ? LoadedModel.Sha256Of(path) : null;
        lock (Gate)
        {
            var same = Find(model.Key, v => v.Stamp == stamp)
                ?? (sha256 is null ? null : Find(model.Key, v => v.Stamp.Sidecar == stamp.Sidecar && v.Sha256 == sha256));
            if (same is not null)
            {
                same.Stamp = stamp;
                return Lease(same);
            }
            var version = new Version(model, stamp);
            (Versions.TryGetValue(model.Key, out var versions) ? versions : Versions[model.Key] = []).Add(version);
            return Lease(version);
        }
    }

    /// <summary>Another lease on the version <paramref name="lease"/> holds.</summary>
    public static ModelLease Another(ModelLease lease)
    {
        lock (Gate) return Lease(lease.Version);
    }

    private static bool Known(string key) => Versions.ContainsKey(key);

    private static Version? Find(string key, Func<Version, bool> match) =>
        Versions.TryGetValue(key, out var versions) ? versions.LastOrDefault(match) : null;

    private static ModelLease Lease(Version version)
    {
        version.Leases++;
        return new ModelLease(version);
    }

    internal static void Release(Version version)
    {
        lock (Gate)
        {
            if (--version.Leases > 0) return;
            var versions = Versions[version.Key];
            versions.Remove(version);
            if (versions.Count == 0) Versions.Remove(version.Key);
        }
        version.Dispose();
    }

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
        return new SharedModel(loaded.Classifier, loaded.Identity, loaded.Path, loaded.Path, loaded.Options);
    }

    /// <summary>One version of a declared model: loaded once (a failure is kept, not retried), disposed with its last lease.</summary>
    internal sealed class Version(ModelDeclaration model, FileStamp stamp)
    {
        private readonly Lazy<SharedModel> _model = new(() => Load(model), LazyThreadSafetyMode.ExecutionAndPublication);

        public string Key { get; } = model.Key;
        public FileStamp Stamp { get; set; } = stamp; // guarded by Gate
        public int Leases { get; set; }               // guarded by Gate
        public SharedModel Model => _model.Value;
        public bool Loaded => _model.IsValueCreated;
        public string? Sha256 => Loaded ? _model.Value.Identity?.Sha256 : null;

        public void Dispose()
        {
            if (_model.IsValueCreated) _model.Value.Classifier.Dispose();
        }
    }
}

/// <summary>A hold on a shared model: it is not disposed while a lease on it is held. Dispose releases it (once).</summary>
internal sealed class ModelLease(SharedModels.Version version) : IDisposable
{
    private int _released;

    internal SharedModels.Version Version { get; } = version;

    /// <summary>The model, loaded on first use; a load that failed throws its error again.</summary>
    public SharedModel Model => Version.Model;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0) SharedModels.Release(Version);
    }
}

/// <summary>
/// What a model's files were when read: the model file and its sidecar, each by size and last write time
/// (a classifier made in code has neither).
/// </summary>
internal readonly record struct FileStamp(FileState? Model, FileState? Sidecar)
{
    public static FileStamp For(ModelDeclaration model) =>
        model.Path is { } path ? new(FileState.Of(path), FileState.Of(ModelSidecar.PathFor(path))) : default;
}

/// <summary>A file's size and last write time; null when it does not exist.</summary>
internal readonly record struct FileState(long Length, DateTime LastWriteUtc)
{
    public static FileState? Of(string path)
    {
        var file = new FileInfo(path);
        return file.Exists ? new FileState(file.Length, file.LastWriteTimeUtc) : null;
    }
}
