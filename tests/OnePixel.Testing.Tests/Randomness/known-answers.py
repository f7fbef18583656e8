#!/usr/bin/python3
"""Known answers for DeterministicRandomTests, computed independently of the C# code.

Run from the repository root:  /usr/bin/python3 tests/OnePixel.Testing.Tests/Randomness/known-answers.py

Plain Python integers (no numpy: it has neither xoshiro256** nor SplitMix64), written from the
published algorithms:
  - SplitMix64 and xoshiro256**: Blackman and Vigna's reference C code (prng.di.unimi.it,
    splitmix64.c and xoshiro256starstar.c).
  - FNV-1a 64 (offset basis 14695981039346656037, prime 1099511628211), one step per UTF-16 code unit.
  - Lemire's bounded draw ("Fast random integer generation in an interval", 2019): the high half of
    x * n, redrawn while the low half is below 2^64 mod n.
  - Marsaglia's polar method: u, v uniform in (-1, 1) from 53-bit doubles, redrawn unless 0 < s < 1,
    then u * f and (spare) v * f with f = sqrt(-2 ln s / s).
Before printing anything it checks its own transcriptions against the published reference outputs
(asserts below), so the values it prints rest on those, not on the C# code under test.
"""
import math

M = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15


def splitmix64(state):
    """One SplitMix64 step: (new state, output)."""
    state = (state + GOLDEN) & M
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
    return state, z ^ (z >> 31)


def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & M


class Xoshiro256StarStar:
    def __init__(self, s):
        self.s = list(s)
        self.spare = None

    @staticmethod
    def seeded(seed):
        state, s = seed, []
        for _ in range(4):
            state, out = splitmix64(state)
            s.append(out)
        return Xoshiro256StarStar(s)

    def next_u64(self):
        s = self.s
        result = (rotl((s[1] * 5) & M, 7) * 9) & M
        t = (s[1] << 17) & M
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        return result

    def next_double(self):
        return (self.next_u64() >> 11) * (1.0 / (1 << 53))

    def next_int(self, n):
        product = self.next_u64() * n
        low = product & M
        if low < n:
            threshold = (-n % (1 << 64)) % n
            while low < threshold:
                product = self.next_u64() * n
                low = product & M
        return product >> 64

    def next_gaussian(self, mean, sd):
        if self.spare is not None:
            spare, self.spare = self.spare, None
            return mean + sd * spare
        while True:
            u = 2 * self.next_double() - 1
            v = 2 * self.next_double() - 1
            s = u * u + v * v
            if 0 < s < 1:
                break
        factor = math.sqrt(-2 * math.log(s) / s)
        self.spare = v * factor
        return mean + sd * u * factor


def fnv1a(text):
    h = 14695981039346656037
    units = text.encode("utf-16-le")
    for i in range(0, len(units), 2):
        h ^= units[i] | (units[i + 1] << 8)
        h = (h * 1099511628211) & M
    return h


def derive(seed, *parts):
    state, mixed = splitmix64(seed)
    for part in parts:
        state, mixed = splitmix64(mixed ^ part)
    return mixed


# The published reference outputs: the transcriptions above must give them.
state, published = 1234567, []
for _ in range(5):
    state, out = splitmix64(state)
    published.append(out)
assert published == [6457827717110365317, 3203168211198807973, 9817491932198370423, 4593380528125082431, 16408922859458223821]
assert splitmix64(0)[1] == 0xE220A8397B1DCDAF
reference = Xoshiro256StarStar([1, 2, 3, 4])
assert [reference.next_u64() for _ in range(10)] == [
    11520, 0, 1509978240, 1215971899390074240, 1216172134540287360,
    607988272756665600, 16172922978634559625, 8476171486693032832,
    10595114339597558777, 2904607092377533576]
assert (fnv1a(""), fnv1a("a"), fnv1a("foobar")) == (0xCBF29CE484222325, 0xAF63DC4C8601EC8C, 0x85944171F73967E8)

# What the C# tests pin (seed 2019 is AttackOptions.DefaultSeed, the seed of every committed baseline).
print("Hash('\u00e9\u2192x') =", fnv1a("\u00e9\u2192x"))
print("Derive(2019) =", derive(2019))
print("Derive(2019, Hash('test-00000-ankle-boot.png'), ulong.MaxValue) =", derive(2019, fnv1a("test-00000-ankle-boot.png"), M))
r = Xoshiro256StarStar.seeded(2019)
print("new DeterministicRandom(2019).NextUInt64() x5 =", [r.next_u64() for _ in range(5)])
r = Xoshiro256StarStar.seeded(2019)
print("new DeterministicRandom(2019).NextDouble() x3 =", [repr(r.next_double()) for _ in range(3)])
bounds = [1, 2, 7, 28, 100, 256, 2147483647]
r = Xoshiro256StarStar.seeded(2019)
print("new DeterministicRandom(2019).NextInt(n) for n in", bounds, "=", [r.next_int(n) for n in bounds])
# Seed -2 * 0x9E3779B97F4A7C15 (mod 2^64) puts SplitMix64's state at 0 for s1, and mix(0) = 0; the
# first output depends on s1 only, so the first draw is 0. Its low half, 0, is below 2^64 mod 7 = 2:
# Lemire's method redraws, where a plain multiply-shift would give 0.
zero_first = (-2 * GOLDEN) & M
print("seed whose first draw is 0 =", zero_first)
r = Xoshiro256StarStar.seeded(zero_first)
print("  NextUInt64() x2 =", [r.next_u64() for _ in range(2)])
r = Xoshiro256StarStar.seeded(zero_first)
print("  NextInt(7) x2 =", [r.next_int(7) for _ in range(2)])
r = Xoshiro256StarStar.seeded(2019)
print("new DeterministicRandom(2019).NextGaussian(128, 127) x6 =", [repr(r.next_gaussian(128, 127)) for _ in range(6)])
