using OnePixel.Testing.Randomness;

namespace OnePixel.Testing.Tests.Robustness;

/// <summary>Seeded mutations of valid inputs: bit flips, byte changes, truncation, insertion, deletion and splices.</summary>
internal static class Mutator
{
    public static byte[] Mutate(byte[] input, DeterministicRandom random)
    {
        var bytes = input.ToList();
        var edits = 1 + random.NextInt(4);
        for (var e = 0; e < edits && bytes.Count > 0; e++)
        {
            var at = random.NextInt(bytes.Count);
            switch (random.NextInt(7))
            {
                case 0: bytes[at] ^= (byte)(1 << random.NextInt(8)); break;
                case 1: bytes[at] = (byte)random.NextInt(256); break;
                case 2: bytes.RemoveRange(at, bytes.Count - at); break;
                case 3: bytes.Insert(at, (byte)random.NextInt(256)); break;
                case 4: bytes.RemoveAt(at); break;
                case 5: bytes[at] = random.NextInt(2) == 0 ? (byte)0 : (byte)255; break;
                default:
                    var from = random.NextInt(bytes.Count);
                    var length = Math.Min(1 + random.NextInt(16), bytes.Count - from);
                    bytes.InsertRange(at, bytes.GetRange(from, length));
                    break;
            }
        }
        return bytes.ToArray();
    }

    public static byte[] RandomBytes(DeterministicRandom random, int maxLength)
    {
        var bytes = new byte[random.NextInt(maxLength + 1)];
        for (var i = 0; i < bytes.Length; i++) bytes[i] = (byte)random.NextInt(256);
        return bytes;
    }

    /// <summary>
    /// Runs <paramref name="parse"/> on <paramref name="cases"/> inputs (mostly mutations of the
    /// valid one, some pure noise). Only success or a OnePixelException may come out; anything else
    /// is reported with the case number that reproduces it.
    /// </summary>
    public static (int Accepted, int Refused) Fuzz(byte[] valid, int cases, ulong seed, Action<byte[]> parse)
    {
        var random = new DeterministicRandom(seed);
        int accepted = 0, refused = 0;
        for (var i = 0; i < cases; i++)
        {
            var input = i % 10 == 9 ? RandomBytes(random, valid.Length * 2) : Mutate(valid, random);
            try
            {
                parse(input);
                accepted++;
            }
            catch (OnePixelException e)
            {
                e.Message.Should().NotBeNullOrWhiteSpace();
                refused++;
            }
            catch (Exception e)
            {
                Assert.Fail($"case {i} (seed {seed}) threw {e.GetType().Name} instead of a OnePixelException: {e.Message}");
            }
        }
        return (accepted, refused);
    }
}
