using System.Runtime.CompilerServices;

namespace DistillDetect.Accounts;

/// <summary>
/// Operations on a one-permutation MinHash sketch held inline in a caller's span (Li, Owen and Zhang
/// 2012, "One Permutation Hashing"): an element hash picks one of k bins with its high bits and its low
/// 32 bits compete for the bin's minimum, so an update is O(1) instead of O(k). Empty bins hold
/// <see cref="Empty"/>. Similarity uses the empty-bin-aware estimator J = matches / (k - bins empty in both),
/// so no densification is needed to compare; <see cref="Densify"/> (Shrivastava 2017, optimal
/// densification) fills empty bins only where a dense signature is needed (LSH band keys).
/// </summary>
internal static class OnePermutationSketch
{
    /// <summary>Value of a bin no element fell into.</summary>
    public const uint Empty = uint.MaxValue;

    /// <summary>Mixes a 64-bit element with a seed (the xxHash64/murmur3 avalanche finalizer, seeded).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mix(ulong value, ulong seed)
    {
        ulong h = (value ^ seed) * 0x9E3779B97F4A7C15UL;
        h ^= h >> 33;
        h *= 0xC2B2AE3D27D4EB4FUL;
        h ^= h >> 29;
        h *= 0x165667B19E3779F9UL;
        h ^= h >> 32;
        return h;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(Span<uint> bins, ulong elementHash, out int bin)
    {
        // Fast range reduction (Lemire 2019) on the high word picks the bin; the low word is the value.
        bin = (int)(((elementHash >> 32) * (ulong)(uint)bins.Length) >> 32);
        uint value = (uint)elementHash;
        value -= value == Empty ? 1u : 0u;
        ref uint slot = ref bins[bin];
        if (value < slot) slot = value;
    }

    public static void Clear(Span<uint> bins) => bins.Fill(Empty);

    public static void Merge(Span<uint> target, ReadOnlySpan<uint> other)
    {
        for (int i = 0; i < target.Length; i++)
        {
            uint a = target[i], b = other[i];
            target[i] = a < b ? a : b;
        }
    }

    /// <summary>Number of non-empty bins.</summary>
    public static int Occupied(ReadOnlySpan<uint> bins)
    {
        int n = 0;
        foreach (uint v in bins) n += v != Empty ? 1 : 0;
        return n;
    }

    /// <summary>
    /// Jaccard estimate of the two sets: bins where both minima agree over bins where at least one set
    /// has an element. 0 when either set is empty (nothing shared). O(k).
    /// </summary>
    public static double Jaccard(ReadOnlySpan<uint> a, ReadOnlySpan<uint> b)
    {
        int matches = 0, used = 0;
        for (int i = 0; i < a.Length; i++)
        {
            uint x = a[i], y = b[i];
            bool any = (x != Empty) | (y != Empty);
            used += any ? 1 : 0;
            matches += (x == y) & (x != Empty) ? 1 : 0;
        }
        return used == 0 ? 0.0 : (double)matches / used;
    }

    /// <summary>
    /// Writes a dense signature (every position filled) into <paramref name="destination"/>: empty bins
    /// borrow the value of the first non-empty bin on a seeded pseudo-random probe sequence (Shrivastava
    /// 2017, optimal densification), which keeps P(positions agree) = Jaccard for LSH banding.
    /// An empty set gives all <see cref="Empty"/>.
    /// </summary>
    public static void Densify(ReadOnlySpan<uint> bins, Span<uint> destination, ulong seed)
    {
        int k = bins.Length;
        if (Occupied(bins) == 0)
        {
            destination[..k].Fill(Empty);
            return;
        }
        for (int i = 0; i < k; i++)
        {
            uint v = bins[i];
            if (v == Empty)
            {
                for (ulong attempt = 1; ; attempt++)
                {
                    ulong h = Mix(((ulong)(uint)i << 32) | attempt, seed);
                    int j = (int)(((h >> 32) * (ulong)(uint)k) >> 32);
                    if (bins[j] != Empty)
                    {
                        v = bins[j];
                        break;
                    }
                }
            }
            destination[i] = v;
        }
    }
}
