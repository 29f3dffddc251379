using System.IO.Hashing;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace DistillDetect.Text;

/// <summary>
/// Turns normalized text into a set of 64-bit shingle hashes, hashing straight from the span
/// (a keyed word hash with a caller-chosen seed; no substring is allocated).
/// </summary>
/// <remarks>
/// <para>Words are maximal runs of characters other than U+0020 (the separator
/// <see cref="PromptNormalizer"/> emits). Each word is hashed once with a seeded 64-bit hash (NH over
/// 16-char chunks, Black et al. 1999, then the MurmurHash3 finalizer; two distinct words collide with
/// probability about 2^-32 for a secret seed). A word k-shingle's hash combines the hashes of its k words in
/// order. Text with fewer than k words still gets one shingle: the combination of all its words. Hashes depend
/// only on the text, k and the seed, and are the same on every machine and on every code path (AVX-512, AVX2,
/// scalar). Duplicate shingles give duplicate hashes (the caller treats the output as a set).</para>
/// <para>Thread safety: all members are static and thread-safe.</para>
/// </remarks>
public static class Shingler
{
    /// <summary>The largest shingle size supported by <see cref="HashWordShingles"/>.</summary>
    public const int MaxShingleSize = 32;

    /// <summary>
    /// An upper bound on the number of word shingles of a normalized text of the given length:
    /// (length + 1) / 2 (every word has at least one char and a separator between words). O(1).
    /// </summary>
    /// <param name="normalizedLength">Length of the normalized text in chars.</param>
    /// <returns>The destination length that always suffices for <see cref="HashWordShingles"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="normalizedLength"/> is negative.</exception>
    public static int GetMaxWordShingleCount(int normalizedLength)
    {
        if (normalizedLength < 0) TextGuard.ArgumentOutOfRange(nameof(normalizedLength), "must not be negative.");
        return (int)(((long)normalizedLength + 1) / 2);
    }

    /// <summary>
    /// Hashes every word k-shingle of <paramref name="normalized"/> (in text order) into <paramref name="destination"/>.
    /// O(n + shingles x k), no allocation.
    /// </summary>
    /// <param name="normalized">Normalized text (output of <see cref="PromptNormalizer"/>).</param>
    /// <param name="shingleSize">Words per shingle, 1 to <see cref="MaxShingleSize"/>.</param>
    /// <param name="seed">Hash seed; different seeds give unrelated hashes.</param>
    /// <param name="destination">Receives the hashes; <see cref="GetMaxWordShingleCount"/> always suffices.</param>
    /// <returns>Number of hashes written: max(1, words - k + 1) for text with at least one word, 0 for empty text.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="shingleSize"/> is out of range.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too small.</exception>
    public static int HashWordShingles(ReadOnlySpan<char> normalized, int shingleSize, long seed, Span<ulong> destination) =>
        HashWordShinglesCore(normalized, shingleSize, seed, destination, VectorPath.Auto, mix: false, 0);

    /// <summary>
    /// <see cref="HashWordShingles(ReadOnlySpan{char}, int, long, Span{ulong})"/> on a chosen path; with
    /// <paramref name="mix"/> every output is Mix64(shingle ^ <paramref name="key"/>) instead (the MinHasher's
    /// element mixing, done in the same vector pass).
    /// </summary>
    [SkipLocalsInit]
    internal static int HashWordShinglesCore(ReadOnlySpan<char> normalized, int shingleSize, long seed, Span<ulong> destination, VectorPath path, bool mix, ulong key)
    {
        if ((uint)(shingleSize - 1) >= MaxShingleSize)
            TextGuard.ArgumentOutOfRange(nameof(shingleSize), $"must be between 1 and {MaxShingleSize}.");
        path = WordHasher.Resolve(path);
        int words = WordHasher.HashWords(normalized, seed, destination, path);
        if (words < 0) TextGuard.Argument(nameof(destination), "is too small; size it with GetMaxWordShingleCount.");
        if (words == 0) return 0;
        int count;
        int done = 0;
        if (words < shingleSize)
        {
            destination[0] = Combine(destination[..words]);
            count = 1;
        }
        else
        {
            // In place: shingle i reads word hashes i..i+k-1 only, all at or after i.
            count = words - shingleSize + 1;
            if (shingleSize == 3)
            {
                if (path == VectorPath.Vector512) done = CombineThree512(destination, count, mix, key);
                ulong c3 = unchecked(3 * CountMultiplier);
                for (int i = done; i < count && i + 2 < destination.Length; i++)
                    destination[i] = Mix64(c3 + destination[i] * PositionMultipliers[0] + destination[i + 1] * PositionMultipliers[1] + destination[i + 2] * PositionMultipliers[2]);
            }
            else
            {
                for (int i = 0; i < count; i++) destination[i] = Combine(destination.Slice(i, shingleSize));
            }
        }
        if (mix)
        {
            for (int i = done; i < count; i++) destination[i] = Mix64(destination[i] ^ key);
        }
        return count;
    }

    /// <summary>
    /// The 3-shingle combination 8 shingles at a time (vpmullq), optionally with the element mixing; returns how
    /// many leading shingles it finished (the scalar loop does the rest, identically).
    /// </summary>
    private static int CombineThree512(Span<ulong> hashes, int count, bool mix, ulong key)
    {
        ref ulong h = ref MemoryMarshal.GetReference(hashes);
        var c3 = Vector512.Create(unchecked(3 * CountMultiplier));
        var m0 = Vector512.Create(PositionMultipliers[0]);
        var m1 = Vector512.Create(PositionMultipliers[1]);
        var m2 = Vector512.Create(PositionMultipliers[2]);
        var k = Vector512.Create(key);
        int i = 0;
        // Reads hashes[i .. i+10), writes hashes[i .. i+8): the next block's inputs are not yet overwritten.
        for (; i + 8 <= count; i += 8)
        {
            var s = WordHasher.Mix64(c3 + Vector512.LoadUnsafe(ref h, (nuint)i) * m0 + Vector512.LoadUnsafe(ref h, (nuint)(i + 1)) * m1 + Vector512.LoadUnsafe(ref h, (nuint)(i + 2)) * m2);
            if (mix) s = WordHasher.Mix64(s ^ k);
            s.StoreUnsafe(ref h, (nuint)i);
        }
        return i;
    }

    /// <summary>
    /// Hashes every character n-gram of <paramref name="normalized"/> (XxHash3 of its UTF-16 bytes) into
    /// <paramref name="destination"/>. O(length x n), no allocation.
    /// </summary>
    /// <param name="normalized">Normalized text.</param>
    /// <param name="n">Characters per n-gram, at least 1.</param>
    /// <param name="seed">XxHash3 seed.</param>
    /// <param name="destination">Receives the hashes; <c>normalized.Length</c> entries always suffice.</param>
    /// <returns>Number of hashes written: max(1, length - n + 1) for non-empty text, 0 for empty text.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is less than 1.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too small.</exception>
    public static int HashCharacterNGrams(ReadOnlySpan<char> normalized, int n, long seed, Span<ulong> destination)
    {
        if (n < 1) TextGuard.ArgumentOutOfRange(nameof(n), "must be at least 1.");
        if (normalized.IsEmpty) return 0;
        int count = Math.Max(1, normalized.Length - n + 1);
        if (destination.Length < count) TextGuard.Argument(nameof(destination), "is too small; normalized.Length entries always suffice.");
        if (normalized.Length < n)
        {
            destination[0] = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(normalized), seed);
            return 1;
        }
        for (int i = 0; i < count; i++)
            destination[i] = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(normalized.Slice(i, n)), seed);
        return count;
    }

    /// <summary>Word hashes in text order (see <see cref="WordHasher"/>); the word count, or -1 when the destination is too small.</summary>
    internal static int HashWords(ReadOnlySpan<char> normalized, long seed, Span<ulong> destination, VectorPath path = VectorPath.Auto) =>
        WordHasher.HashWords(normalized, seed, destination, path);

    private const ulong CountMultiplier = 0x9E3779B97F4A7C15UL;

    /// <summary>
    /// Order-sensitive combination of consecutive word hashes: each position has its own odd multiplier (the
    /// products are independent, so they run in parallel), the sum goes through the MurmurHash3 finalizer so
    /// every output bit depends on every input bit; the count is mixed in so texts shorter than k differ from
    /// longer ones.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Combine(ReadOnlySpan<ulong> wordHashes)
    {
        ulong acc = (ulong)wordHashes.Length * CountMultiplier;
        ReadOnlySpan<ulong> multipliers = PositionMultipliers;
        for (int j = 0; j < wordHashes.Length && j < multipliers.Length; j++) acc += wordHashes[j] * multipliers[j];
        return Mix64(acc);
    }

    /// <summary>Odd 64-bit multipliers, one per shingle position (arbitrary odd constants; fixed forever, since signatures depend on them).</summary>
    private static ReadOnlySpan<ulong> PositionMultipliers =>
    [
        0x910A2DEC89025CC1, 0xBEEB8DA1658EEC67, 0xF893A2EEFB32555F, 0x71C18690EE42C90B,
        0x71BB54D8D101B5B9, 0xC34D0BFF90150281, 0xF8B6DC1D32C7F6E1, 0xCD4E9848B3B6DB5B,
        0x8B8F3C4A8F54A9E5, 0xF9B6C0C1B1E5D96F, 0x8C5AB92F6D7D3E3B, 0xC4C1DC8A2B8D4F35,
        0xA3D5E2B1C9F8E7D3, 0xE5B7C9D1A3F2E4C7, 0x9F8E7D6C5B4A3921, 0xB1C2D3E4F5A6B7C9,
        0xD2E3F4A5B6C7D8E9, 0xF3A4B5C6D7E8F9AB, 0x84B5C6D7E8F9A0BD, 0xA5C6D7E8F9A0B1CF,
        0xC6D7E8F9A0B1C2D1, 0xE7E8F9A0B1C2D3E3, 0x88F9A0B1C2D3E4F5, 0xA9A0B1C2D3E4F507,
        0xCAB1C2D3E4F50619, 0xEBC2D3E4F506172B, 0x8CD3E4F50617283D, 0xADE4F5061728394F,
        0xCEF5061728394A51, 0xEF061728394A5B63, 0x9017283A4B5C6D75, 0xB1283A4B5C6D7E87,
    ];

    /// <summary>MurmurHash3 fmix64 finalizer (Appleby): a bijection with full avalanche.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong Mix64(ulong x) => WordHasher.Mix64(x);
}
