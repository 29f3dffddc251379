namespace DistillDetect.Tests.Fingerprints;

/// <summary>
/// Signatures for LSH tests without a MinHasher: independent uniform uint values, and copies that keep each
/// position with probability J and redraw it otherwise. Two MinHash signatures of sets with Jaccard J agree at
/// each position independently with probability J, so this is exactly the MinHash collision model.
/// </summary>
internal static class LshTestSignatures
{
    /// <summary>A deterministic pseudo-random signature named by <paramref name="key"/>.</summary>
    public static uint[] Random(long key, int hashCount, long seed = 0)
    {
        var signature = new uint[hashCount];
        for (int i = 0; i < hashCount; i++)
            signature[i] = (uint)Mix((ulong)key * 0x100000001B3UL + (ulong)i + ((ulong)seed << 40));
        return signature;
    }

    /// <summary>A copy of <paramref name="source"/> that keeps each value with probability <paramref name="jaccard"/>.</summary>
    public static uint[] WithJaccard(uint[] source, double jaccard, Random rng)
    {
        var copy = new uint[source.Length];
        for (int i = 0; i < source.Length; i++)
            copy[i] = rng.NextDouble() < jaccard ? source[i] : (uint)rng.NextInt64(0, 1L << 32);
        return copy;
    }

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
