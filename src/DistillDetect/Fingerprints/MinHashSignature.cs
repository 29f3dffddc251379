using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using DistillDetect.Text;

namespace DistillDetect.Fingerprints;

/// <summary>
/// Operations on MinHash signatures: Jaccard estimates and b-bit compaction for storage.
/// </summary>
/// <remarks>Thread safety: all members are static and thread-safe; no allocation.</remarks>
public static class MinHashSignature
{
    /// <summary>
    /// Estimated Jaccard similarity of the two sets: the fraction of positions where the signatures agree
    /// (standard error sqrt(J(1-J)/k)). Two empty-set signatures (all <see cref="uint.MaxValue"/>) give 1.
    /// O(k), vectorized (AVX-512 / AVX2 / scalar).
    /// </summary>
    /// <param name="a">A signature.</param>
    /// <param name="b">A signature from the same hasher options.</param>
    /// <returns>A value in [0, 1].</returns>
    /// <exception cref="ArgumentException">The lengths differ or are zero.</exception>
    public static double EstimateJaccard(ReadOnlySpan<uint> a, ReadOnlySpan<uint> b)
    {
        if (a.Length != b.Length || a.IsEmpty) ThrowLengths(a.Length, b.Length);
        return (double)CountEqual(a, b, 512) / a.Length;
    }

    /// <summary>Number of equal positions; <paramref name="maxVectorBits"/> (512, 256 or 0) limits the vector width (tests compare paths).</summary>
    internal static int CountEqual(ReadOnlySpan<uint> a, ReadOnlySpan<uint> b, int maxVectorBits)
    {
        ref uint ra = ref MemoryMarshal.GetReference(a);
        ref uint rb = ref MemoryMarshal.GetReference(b);
        int n = Math.Min(a.Length, b.Length);
        int i = 0;
        int count = 0;
        if (maxVectorBits >= 512 && Vector512.IsHardwareAccelerated)
        {
            for (; i + 16 <= n; i += 16)
                count += BitOperations.PopCount(Vector512.Equals(Vector512.LoadUnsafe(ref ra, (nuint)i), Vector512.LoadUnsafe(ref rb, (nuint)i)).ExtractMostSignificantBits());
        }
        if (maxVectorBits >= 256 && Vector256.IsHardwareAccelerated)
        {
            for (; i + 8 <= n; i += 8)
                count += BitOperations.PopCount(Vector256.Equals(Vector256.LoadUnsafe(ref ra, (nuint)i), Vector256.LoadUnsafe(ref rb, (nuint)i)).ExtractMostSignificantBits());
        }
        for (; i < n; i++)
            count += Unsafe.Add(ref ra, i) == Unsafe.Add(ref rb, i) ? 1 : 0;
        return count;
    }

    /// <summary>Bytes needed to store <paramref name="hashCount"/> values of <paramref name="bitsPerValue"/> bits: ceil(k b / 8). O(1).</summary>
    /// <param name="hashCount">Signature length k, at least 1.</param>
    /// <param name="bitsPerValue">b, 1 to 32.</param>
    /// <returns>The compacted length in bytes.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range.</exception>
    public static int GetCompactedLength(int hashCount, int bitsPerValue)
    {
        if (hashCount < 1) TextGuard.ArgumentOutOfRange(nameof(hashCount), "must be at least 1.");
        if (bitsPerValue is < 1 or > 32) TextGuard.ArgumentOutOfRange(nameof(bitsPerValue), "must be between 1 and 32.");
        return (int)(((long)hashCount * bitsPerValue + 7) / 8);
    }

    /// <summary>
    /// b-bit minwise hashing (Li and Koenig 2010): keeps the lowest <paramref name="bitsPerValue"/> bits of each
    /// value, packed little-endian (value i at bit offset i b; unused high bits of the last byte are zero).
    /// 128 values at b = 8 take 128 bytes instead of 512. O(k).
    /// </summary>
    /// <param name="signature">The signature (k values).</param>
    /// <param name="bitsPerValue">b, 1 to 32.</param>
    /// <param name="destination">At least <see cref="GetCompactedLength"/> bytes; exactly that many are written.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bitsPerValue"/> is out of range or the signature is empty.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too small.</exception>
    public static void CompactBBits(ReadOnlySpan<uint> signature, int bitsPerValue, Span<byte> destination)
    {
        int length = GetCompactedLength(signature.Length, bitsPerValue);
        if (destination.Length < length) TextGuard.Argument(nameof(destination), $"must hold at least {length} bytes.");
        ulong valueMask = bitsPerValue == 32 ? uint.MaxValue : (1UL << bitsPerValue) - 1;
        ulong acc = 0;
        int bits = 0;
        int o = 0;
        foreach (uint v in signature)
        {
            acc |= (v & valueMask) << bits;
            bits += bitsPerValue;
            while (bits >= 8)
            {
                destination[o++] = (byte)acc;
                acc >>= 8;
                bits -= 8;
            }
        }
        if (bits > 0) destination[o] = (byte)acc;
    }

    /// <summary>
    /// Jaccard estimate from two b-bit compacted signatures, bias-corrected for the chance that unequal values
    /// agree in their low b bits (Li and Koenig 2010, sparse-set limit): J = (P - 2^-b) / (1 - 2^-b), where P is
    /// the fraction of equal b-bit values; clamped to [0, 1]. Variance grows as b shrinks
    /// (about (1 - P) P / (k (1 - 2^-b)^2)). O(k).
    /// </summary>
    /// <param name="a">Output of <see cref="CompactBBits"/>.</param>
    /// <param name="b">Output of <see cref="CompactBBits"/> with the same k and b.</param>
    /// <param name="hashCount">k.</param>
    /// <param name="bitsPerValue">b, 1 to 32.</param>
    /// <returns>A value in [0, 1].</returns>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range.</exception>
    /// <exception cref="ArgumentException">A span's length is not <see cref="GetCompactedLength"/>.</exception>
    public static double EstimateJaccardBBits(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, int hashCount, int bitsPerValue)
    {
        int length = GetCompactedLength(hashCount, bitsPerValue);
        if (a.Length != length || b.Length != length)
            TextGuard.Argument(a.Length != length ? nameof(a) : nameof(b), $"must be exactly {length} bytes for {hashCount} values of {bitsPerValue} bits (lengths {a.Length} and {b.Length}).");
        int equal;
        if (bitsPerValue == 8) equal = CountEqualBytes(a, b);
        else
        {
            ulong valueMask = bitsPerValue == 32 ? uint.MaxValue : (1UL << bitsPerValue) - 1;
            ulong acc = 0;
            int bits = 0;
            int pos = 0;
            equal = 0;
            for (int i = 0; i < hashCount; i++)
            {
                while (bits < bitsPerValue)
                {
                    acc |= (ulong)(byte)(a[pos] ^ b[pos]) << bits;
                    pos++;
                    bits += 8;
                }
                equal += (acc & valueMask) == 0 ? 1 : 0;
                acc >>= bitsPerValue;
                bits -= bitsPerValue;
            }
        }
        double p = (double)equal / hashCount;
        double chance = Math.ScaleB(1.0, -bitsPerValue);
        return Math.Clamp((p - chance) / (1 - chance), 0.0, 1.0);
    }

    private static int CountEqualBytes(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        int i = 0;
        int count = 0;
        ref byte ra = ref MemoryMarshal.GetReference(a);
        ref byte rb = ref MemoryMarshal.GetReference(b);
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 32 <= a.Length; i += 32)
                count += BitOperations.PopCount(Vector256.Equals(Vector256.LoadUnsafe(ref ra, (nuint)i), Vector256.LoadUnsafe(ref rb, (nuint)i)).ExtractMostSignificantBits());
        }
        for (; i < a.Length; i++) count += a[i] == b[i] ? 1 : 0;
        return count;
    }

    private static void ThrowLengths(int a, int b) =>
        TextGuard.Argument(nameof(a), $"and b must be non-empty signatures of the same hash count (lengths {a} and {b}).");
}
