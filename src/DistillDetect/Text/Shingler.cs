using System.IO.Hashing;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace DistillDetect.Text;

/// <summary>
/// Turns normalized text into a set of 64-bit shingle hashes, hashing straight from the span
/// (XxHash3 with a caller-chosen seed; no substring is allocated).
/// </summary>
/// <remarks>
/// <para>Words are maximal runs of characters other than U+0020 (the separator
/// <see cref="PromptNormalizer"/> emits). A word k-shingle's hash combines the XxHash3 hashes of its k
/// words in order (each word is hashed once, not k times). Text with fewer than k words still gets one
/// shingle: the combination of all its words. Hashes depend only on the text, k and the seed, and are the
/// same on every machine. Duplicate shingles give duplicate hashes (the caller treats the output as a set).</para>
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
    /// <param name="seed">XxHash3 seed; different seeds give unrelated hashes.</param>
    /// <param name="destination">Receives the hashes; <see cref="GetMaxWordShingleCount"/> always suffices.</param>
    /// <returns>Number of hashes written: max(1, words - k + 1) for text with at least one word, 0 for empty text.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="shingleSize"/> is out of range.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too small.</exception>
    public static int HashWordShingles(ReadOnlySpan<char> normalized, int shingleSize, long seed, Span<ulong> destination)
    {
        var sink = new SpanSink(destination);
        ForEachWordShingle(normalized, shingleSize, seed, ref sink);
        if (sink.Overflow) TextGuard.Argument(nameof(destination), "is too small; size it with GetMaxWordShingleCount.");
        return sink.Count;
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

    /// <summary>The shingling loop, specialized per sink so a MinHash consumes hashes without a buffer.</summary>
    [SkipLocalsInit]
    internal static void ForEachWordShingle<TSink>(ReadOnlySpan<char> normalized, int shingleSize, long seed, ref TSink sink)
        where TSink : IHashSink, allows ref struct
    {
        if ((uint)(shingleSize - 1) >= MaxShingleSize)
            TextGuard.ArgumentOutOfRange(nameof(shingleSize), $"must be between 1 and {MaxShingleSize}.");
        Span<ulong> ring = stackalloc ulong[MaxShingleSize];
        int words = 0;
        int i = 0;
        int n = normalized.Length;
        while (i < n)
        {
            int rest = normalized[i..].IndexOf(' ');
            int end = rest < 0 ? n : i + rest;
            if (end > i)
            {
                ring[words % shingleSize] = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(normalized[i..end]), seed);
                words++;
                if (words >= shingleSize) sink.Add(Combine(ring, words, shingleSize, shingleSize));
            }
            i = end + 1;
        }
        if (words > 0 && words < shingleSize) sink.Add(Combine(ring, words, words, shingleSize));
    }

    /// <summary>
    /// Order-sensitive combination of the last <paramref name="count"/> word hashes (ring buffer of size
    /// <paramref name="size"/>, <paramref name="words"/> words seen): rotate-xor-multiply, then the
    /// MurmurHash3 finalizer so every output bit depends on every input bit.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Combine(ReadOnlySpan<ulong> ring, int words, int count, int size)
    {
        ulong acc = 0x9E3779B97F4A7C15UL;
        int start = words - count;
        for (int j = 0; j < count; j++)
        {
            acc = (BitOperations.RotateLeft(acc, 23) ^ ring[(start + j) % size]) * 0xBF58476D1CE4E5B9UL;
        }
        return Mix64(acc ^ (ulong)count);
    }

    /// <summary>MurmurHash3 fmix64 finalizer (Appleby): a bijection with full avalanche.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong Mix64(ulong x)
    {
        x ^= x >> 33;
        x *= 0xFF51AFD7ED558CCDUL;
        x ^= x >> 33;
        x *= 0xC4CEB9FE1A85EC53UL;
        x ^= x >> 33;
        return x;
    }

    private ref struct SpanSink(Span<ulong> destination) : IHashSink
    {
        private readonly Span<ulong> _destination = destination;
        public int Count;
        public bool Overflow;

        public void Add(ulong hash)
        {
            if (Count < _destination.Length) _destination[Count++] = hash;
            else Overflow = true;
        }
    }
}
