using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using DistillDetect.Text;

namespace DistillDetect.Fingerprints;

/// <summary>
/// The bin-level core of one-permutation hashing (Li, Owen and Zhang 2012, "One Permutation Hashing"), held
/// once for the library: an element's mixed 64-bit hash picks one of k bins with its high word and its low
/// word competes for the bin's minimum, so an update is O(1) instead of O(k). <see cref="MinHasher"/> and
/// <see cref="MinHashAccumulator"/> use it with 64-bit bins (round number above the value, for the filling
/// rounds of <see cref="MinHashScheme.OnePermutation"/>); the account profile uses it with 32-bit bins kept
/// inline in its own array, compared with the empty-bin-aware estimator and densified only for LSH keys.
/// </summary>
/// <remarks>
/// Why the profile does not use the filling rounds (Dahlgaard, Knudsen and Thorup 2017): a round fills only
/// bins still empty after the earlier rounds, but a streaming update must run every round up to the largest
/// one present, which stays near k while a set has fewer than about k elements (most accounts use a handful
/// of templates). That would make a profile update O(k) per exchange, and each 32-bit bin would have to give
/// bits to the round number. The profile instead leaves small sets' bins empty, estimates Jaccard over the
/// bins either set reached (<see cref="EstimateJaccard"/>), and densifies (<see cref="Densify{T}"/>) only when
/// a dense signature is read.
/// </remarks>
internal static class OnePermutationHashing
{
    /// <summary>Value of a 32-bit bin no element fell into.</summary>
    public const uint Empty = uint.MaxValue;

    /// <summary>The bin of a mixed hash: Lemire's multiply-shift range reduction of its high word (division-free).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Bin(ulong mixed, int k) => (int)(((mixed >> 32) * (ulong)(uint)k) >> 32);

    /// <summary>The value a mixed hash competes with in its bin: its low word, moved one down from <see cref="Empty"/> so that it never reads as empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Value(ulong mixed)
    {
        uint value = (uint)mixed;
        return value - (value == Empty ? 1u : 0u);
    }

    /// <summary>Lowers <paramref name="slot"/> to <paramref name="value"/> when smaller (branch-free select).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Lower<T>(ref T slot, T value)
        where T : unmanaged, IComparisonOperators<T, T, bool>
    {
        T current = slot;
        slot = value < current ? value : current;
    }

    /// <summary>
    /// Adds one element to 32-bit bins: the low word of <paramref name="mixed"/> competes in the bin its high
    /// word picks (the value <see cref="Empty"/> is moved one down so that it never reads as empty). O(1).
    /// </summary>
    /// <returns>The bin the element fell into.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Update(Span<uint> bins, ulong mixed) => Update(ref MemoryMarshal.GetReference(bins), bins.Length, mixed);

    /// <summary>
    /// <see cref="Update(Span{uint}, ulong)"/> on the <paramref name="k"/> bins starting at <paramref name="bins"/>,
    /// for callers that hold their bins inside a larger array (no slice, no bounds check on the hot path).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Update(ref uint bins, int k, ulong mixed)
    {
        int bin = Bin(mixed, k);
        Lower(ref Unsafe.Add(ref bins, bin), Value(mixed)); // bin < k by construction
        return bin;
    }

    /// <summary>Bin-wise minimum of <paramref name="other"/> into <paramref name="target"/> (the sketch of the union). O(k).</summary>
    public static void MergeMinima<T>(Span<T> target, ReadOnlySpan<T> other)
        where T : unmanaged, IComparisonOperators<T, T, bool>
    {
        for (int i = 0; i < target.Length; i++) Lower(ref target[i], other[i]);
    }

    /// <summary>Number of non-empty 32-bit bins. O(k).</summary>
    public static int Occupied(ReadOnlySpan<uint> bins) => bins.Length - bins.Count(Empty);

    /// <summary>
    /// Jaccard estimate of two sets from their 32-bit bins: bins where both minima agree over bins at least one
    /// set reached (the estimator of Li, Owen and Zhang 2012 for one-permutation hashing without densification).
    /// 0 when either set is empty (nothing shared). O(k).
    /// </summary>
    public static double EstimateJaccard(ReadOnlySpan<uint> a, ReadOnlySpan<uint> b)
    {
        int matches = 0, used = 0;
        for (int i = 0; i < a.Length; i++)
        {
            uint x = a[i], y = b[i];
            used += (x != Empty) | (y != Empty) ? 1 : 0;
            matches += (x == y) & (x != Empty) ? 1 : 0;
        }
        return used == 0 ? 0.0 : (double)matches / used;
    }

    /// <summary>
    /// Optimal densification (Shrivastava 2017): every position whose bin is <paramref name="empty"/> copies the
    /// signature value of the first non-empty bin on its own pseudo-random probe sequence (the same sequence for
    /// every set, keyed by <paramref name="key"/>), which keeps P(positions agree) = Jaccard for LSH banding.
    /// <paramref name="signature"/> must already hold the values of the non-empty bins; nothing changes when
    /// every bin is empty or none is. O(k) expected.
    /// </summary>
    public static void Densify<T>(ReadOnlySpan<T> bins, T empty, Span<uint> signature, ulong key)
        where T : unmanaged, IEquatable<T>
    {
        int k = bins.Length;
        if (bins.IndexOfAnyExcept(empty) < 0) return;
        for (int i = 0; i < k; i++)
        {
            if (!bins[i].Equals(empty)) continue;
            for (uint attempt = 1; ; attempt++)
            {
                int j = Bin(Shingler.Mix64(key ^ ((ulong)(uint)i << 32 | attempt)), k);
                if (!bins[j].Equals(empty))
                {
                    signature[i] = signature[j];
                    break;
                }
            }
        }
    }
}
