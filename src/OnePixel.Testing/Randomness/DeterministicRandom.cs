namespace OnePixel.Testing.Randomness;

/// <summary>
/// xoshiro256** seeded through SplitMix64 (Blackman and Vigna). Written out here rather than using
/// System.Random so that a seed gives the same search on every .NET version and platform, forever:
/// baselines committed today must still match next year.
/// </summary>
public sealed class DeterministicRandom
{
    private ulong _s0, _s1, _s2, _s3;
    private double? _spareGaussian;

    public DeterministicRandom(ulong seed)
    {
        var state = seed;
        _s0 = SplitMix64(ref state);
        _s1 = SplitMix64(ref state);
        _s2 = SplitMix64(ref state);
        _s3 = SplitMix64(ref state);
    }

    /// <summary>A generator in a given state: the published xoshiro256** reference outputs start from {1, 2, 3, 4}, which no seed reaches (tests).</summary>
    internal DeterministicRandom(ulong s0, ulong s1, ulong s2, ulong s3) => (_s0, _s1, _s2, _s3) = (s0, s1, s2, s3);

    /// <summary>A seed for one independent stream, from a run's seed and the parts that name the stream.</summary>
    public static ulong Derive(ulong seed, params ReadOnlySpan<ulong> parts)
    {
        var state = seed;
        var mixed = SplitMix64(ref state);
        foreach (var part in parts)
        {
            state = mixed ^ part;
            mixed = SplitMix64(ref state);
        }
        return mixed;
    }

    /// <summary>A stable 64-bit hash of a string (FNV-1a over UTF-16 code units); string.GetHashCode differs per process.</summary>
    public static ulong Hash(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var ch in text)
        {
            hash ^= ch;
            hash *= 1099511628211UL;
        }
        return hash;
    }

    public ulong NextUInt64()
    {
        var result = RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1), from the top 53 bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, n), without modulo bias (Lemire's method).</summary>
    public int NextInt(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n));
        var product = (UInt128)NextUInt64() * (ulong)n;
        var low = (ulong)product;
        if (low < (ulong)n)
        {
            var threshold = (0UL - (ulong)n) % (ulong)n;
            while (low < threshold)
            {
                product = (UInt128)NextUInt64() * (ulong)n;
                low = (ulong)product;
            }
        }
        return (int)(product >> 64);
    }

    /// <summary>Normal(mean, sd) by the Marsaglia polar method.</summary>
    public double NextGaussian(double mean, double sd)
    {
        if (_spareGaussian is { } spare)
        {
            _spareGaussian = null;
            return mean + sd * spare;
        }
        double u, v, s;
        do
        {
            u = 2 * NextDouble() - 1;
            v = 2 * NextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        var factor = Math.Sqrt(-2 * Math.Log(s) / s);
        _spareGaussian = v * factor;
        return mean + sd * u * factor;
    }

    internal static ulong SplitMix64(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
