using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DistillDetect.Text;

/// <summary>
/// Seeded 64-bit hashes of the words of normalized text (words are runs of chars other than ' ').
/// </summary>
/// <remarks>
/// <para>A word is read in 16-char chunks (zero-padded), each chunk as eight 32-bit lanes u0..u7 (two UTF-16
/// chars each, little-endian) and compressed with NH (Black et al. 1999, "UMAC"):
/// NH = sum over i of (u[2i] + K[2i] mod 2^32) * (u[2i+1] + K[2i+1] mod 2^32) mod 2^64, with eight 32-bit keys
/// K derived from the seed. Two distinct chunks collide with probability at most 2^-32 over the keys. Chunks
/// chain as h = Mix64(h) + NH(next chunk); the word hash is Mix64(h + length * phi). NH of one chunk is a
/// single vpmuludq on AVX2, against a call into XxHash3 per word before.</para>
/// <para>Separators are found 16 chars at a time; on AVX-512 their positions are packed with vpcompressd,
/// so the word loop runs over a list of positions without a per-block branch.</para>
/// </remarks>
internal static class WordHasher
{
    /// <summary>Chars per NH chunk.</summary>
    internal const int ChunkChars = 16;

    private const ulong LengthMultiplier = 0x9E3779B97F4A7C15UL;

    /// <summary>Separator positions are collected for this many chars at a time (bounded stack use).</summary>
    private const int SegmentChars = 256;

    /// <summary>
    /// Bound on the words longer than a chunk that end in one segment: all but the first lie inside it and
    /// take at least ChunkChars + 1 chars each.
    /// </summary>
    private const int MaxLongWords = 2 + SegmentChars / (ChunkChars + 1);

    /// <summary>Resolves <see cref="VectorPath.Auto"/> and downgrades a path the machine cannot run.</summary>
    internal static VectorPath Resolve(VectorPath path)
    {
        bool v512 = Vector512.IsHardwareAccelerated && Avx512F.IsSupported && Avx512DQ.IsSupported;
        bool v256 = Avx2.IsSupported;
        if (path == VectorPath.Auto) path = v512 ? VectorPath.Vector512 : VectorPath.Vector256;
        if (path == VectorPath.Vector512 && !v512) path = VectorPath.Vector256;
        if (path == VectorPath.Vector256 && !v256) path = VectorPath.Scalar;
        return path;
    }

    /// <summary>The eight NH keys of a seed (SplitMix64 outputs of a seed-derived state, Steele et al. 2014).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<uint> Keys(long seed)
    {
        ulong state = (ulong)seed ^ 0x576F_7264_4B65_7973UL; // "WordKeys": unrelated to the MinHasher's own SplitMix64 stream
        return Vector256.Create(SplitMix.Next(ref state), SplitMix.Next(ref state), SplitMix.Next(ref state), SplitMix.Next(ref state)).AsUInt32();
    }

    /// <summary>
    /// Writes the hash of every word into <paramref name="destination"/> in text order; returns the word count,
    /// or -1 when the destination is too small.
    /// </summary>
    [SkipLocalsInit]
    internal static int HashWords(ReadOnlySpan<char> normalized, long seed, Span<ulong> destination, VectorPath path = VectorPath.Auto)
    {
        path = Resolve(path);
        Vector256<uint> keys = Keys(seed);
        ref ushort src = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(normalized));
        ref ulong dst = ref MemoryMarshal.GetReference(destination);
        int n = normalized.Length;
        int capacity = destination.Length;
        Span<int> separators = stackalloc int[SegmentChars + ChunkChars + 1];
        ref int seps = ref MemoryMarshal.GetReference(separators);
        // Last start from which 16 chars can be loaded; -1 keeps every word on the scalar path.
        int lastVectorStart = path == VectorPath.Scalar ? -1 : n - ChunkChars;
        Span<ulong> products = lastVectorStart >= 0 ? stackalloc ulong[4 * (SegmentChars + 1)] : default;
        Span<int> lengths = lastVectorStart >= 0 ? stackalloc int[SegmentChars + 1] : default;
        Span<int> longWords = stackalloc int[2 * MaxLongWords];
        int wordStart = 0;
        int words = 0;
        for (int segment = 0; segment < n; segment += SegmentChars)
        {
            int segmentEnd = Math.Min(n, segment + SegmentChars);
            int count = path == VectorPath.Vector512
                ? CollectSeparators512(ref src, segment, segmentEnd, ref seps)
                : CollectSeparators(normalized, segment, segmentEnd, ref seps, path == VectorPath.Vector256);
            if (segmentEnd == n) Unsafe.Add(ref seps, count++) = n; // the text's end closes the last word
            int s = 0;
            // Each separator closes at most one word, so with room for count more words the vector loop needs no check.
            if (lastVectorStart >= 0 && capacity - words >= count)
            {
                s = NhWords(ref src, separators[..count], lastVectorStart, ref wordStart, products, lengths, keys, longWords, out int written, out int longCount);
                Span<ulong> output = destination.Slice(words, written);
                FinishWords(products, lengths, output, vector: true);
                // Words longer than one chunk were only marked: hash them on the scalar path, out of the vector loop.
                for (int j = 0; j < longCount; j++)
                {
                    int index = longWords[2 * j], start = longWords[2 * j + 1], length = lengths[index];
                    output[index] = Mix64(HashChunksScalar(normalized.Slice(start, length), keys) + (ulong)length * LengthMultiplier);
                }
                words += written;
            }
            for (; s < count; s++)
            {
                int start = wordStart;
                int end = Unsafe.Add(ref seps, s);
                wordStart = end + 1;
                int length = end - start;
                if (length <= 0) continue;
                if (words >= capacity) return -1;
                Unsafe.Add(ref dst, words++) = Mix64(HashChunksScalar(normalized.Slice(start, length), keys) + (ulong)length * LengthMultiplier);
            }
        }
        return words;
    }

    /// <summary>
    /// The word loop over separator positions, for words whose 16-char chunk can be loaded (start &lt;=
    /// <paramref name="lastVectorStart"/>): stores each word's four NH products (one vpmuludq) and its length;
    /// the sums and the finalizer run 8 words at a time in <see cref="FinishWords"/>. Stops at the first word
    /// that cannot be loaded. Words longer than a chunk get an
    /// (index, start) entry in <paramref name="longWords"/> (their products are meaningless). Returns the
    /// number of separators consumed. Kept apart, without calls, so the JIT keeps the loop in registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int NhWords(ref ushort src, ReadOnlySpan<int> separators, int lastVectorStart, ref int wordStartRef,
        Span<ulong> products, Span<int> lengths, Vector256<uint> keys, Span<int> longWords, out int written, out int longCount)
    {
        ref int seps = ref MemoryMarshal.GetReference(separators);
        ref ulong prod = ref MemoryMarshal.GetReference(products);
        ref int len = ref MemoryMarshal.GetReference(lengths);
        int count = separators.Length;
        int wordStart = wordStartRef;
        int words = 0;
        int longs = 0;
        int s = 0;
        for (; s < count; s++)
        {
            int start = wordStart;
            if (start > lastVectorStart) break;
            int end = Unsafe.Add(ref seps, s);
            int length = end - start;
            if (length <= 0)
            {
                wordStart = end + 1;
                continue;
            }
            if (length > ChunkChars)
            {
                longWords[longs] = words;
                longWords[longs + 1] = start;
                longs += 2;
            }
            // Signed compare of small values: one vpcmpgtw on AVX2 (an unsigned one needs extra instructions there).
            var chars = Vector256.LoadUnsafe(ref Unsafe.Add(ref src, start)) & Vector256.LessThan(Vector256<short>.Indices, Vector256.Create((short)length)).AsUInt16();
            var t = chars.AsUInt32() + keys;
            Avx2.Multiply(t, Vector256.ShiftRightLogical(t.AsUInt64(), 32).AsUInt32()).StoreUnsafe(ref prod, (nuint)(4 * words));
            Unsafe.Add(ref len, words++) = length;
            wordStart = end + 1;
        }
        wordStartRef = wordStart;
        written = words;
        longCount = longs / 2;
        return s;
    }

    /// <summary>
    /// Word hash = Mix64(sum of its four NH products + length * phi) for every word NhWords stored; 4 words at a
    /// time on the vector paths: two unpacks and two 128-bit lane permutes turn the four words' product vectors
    /// into their four sums, in order. Loads are the same 32 bytes NhWords stored, so they forward from the
    /// store buffer (a 64-byte load spanning two such stores cannot, and stalled here).
    /// </summary>
    private static void FinishWords(ReadOnlySpan<ulong> products, ReadOnlySpan<int> lengths, Span<ulong> output, bool vector)
    {
        ref ulong prod = ref MemoryMarshal.GetReference(products);
        ref uint len = ref Unsafe.As<int, uint>(ref MemoryMarshal.GetReference(lengths));
        ref ulong dst = ref MemoryMarshal.GetReference(output);
        int i = 0;
        if (vector)
        {
            for (; i + 4 <= output.Length; i += 4)
            {
                ref ulong p = ref Unsafe.Add(ref prod, 4 * i);
                var y0 = Vector256.LoadUnsafe(ref p);
                var y1 = Vector256.LoadUnsafe(ref p, 4);
                var y2 = Vector256.LoadUnsafe(ref p, 8);
                var y3 = Vector256.LoadUnsafe(ref p, 12);
                // u = [w0a w1a w0b w1b], v = [w2a w3a w2b w3b] with a = p0 + p1, b = p2 + p3.
                var u = Avx2.UnpackLow(y0, y1) + Avx2.UnpackHigh(y0, y1);
                var v = Avx2.UnpackLow(y2, y3) + Avx2.UnpackHigh(y2, y3);
                var sums = Avx2.Permute2x128(u, v, 0x20) + Avx2.Permute2x128(u, v, 0x31);
                var length = Avx2.ConvertToVector256Int64(Vector128.LoadUnsafe(ref len, (nuint)i)).AsUInt64();
                Mix64(sums + length * Vector256.Create(LengthMultiplier)).StoreUnsafe(ref dst, (nuint)i);
            }
        }
        for (; i < output.Length; i++)
        {
            ref ulong p = ref Unsafe.Add(ref prod, 4 * i);
            ulong sum = p + Unsafe.Add(ref p, 1) + Unsafe.Add(ref p, 2) + Unsafe.Add(ref p, 3);
            Unsafe.Add(ref dst, i) = Mix64(sum + Unsafe.Add(ref len, i) * LengthMultiplier);
        }
    }

    /// <summary>Positions of ' ' in [start, end) into <paramref name="seps"/>; AVX2 compare + bit walk, or a char loop.</summary>
    private static int CollectSeparators(ReadOnlySpan<char> text, int start, int end, ref int seps, bool vector)
    {
        ref ushort src = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(text));
        int count = 0;
        int i = start;
        if (vector)
        {
            for (; i + 16 <= end; i += 16)
            {
                uint bits = Vector256.Equals(Vector256.LoadUnsafe(ref src, (nuint)i), Vector256.Create((ushort)' ')).ExtractMostSignificantBits();
                while (bits != 0)
                {
                    Unsafe.Add(ref seps, count++) = i + BitOperations.TrailingZeroCount(bits);
                    bits &= bits - 1;
                }
            }
        }
        for (; i < end; i++)
        {
            // Branch-free: always write, advance only on a separator.
            Unsafe.Add(ref seps, count) = i;
            count += Unsafe.Add(ref src, i) == ' ' ? 1 : 0;
        }
        return count;
    }

    /// <summary>Positions of ' ' in [start, end): 16 chars widened to int lanes, compared, packed with vpcompressd.</summary>
    private static int CollectSeparators512(ref ushort src, int start, int end, ref int seps)
    {
        int count = 0;
        int i = start;
        var index = Vector512.CreateSequence(start, 1);
        for (; i + 16 <= end; i += 16)
        {
            var chars = Avx512F.ConvertToVector512Int32(Vector256.LoadUnsafe(ref src, (nuint)i));
            var isSeparator = Vector512.Equals(chars, Vector512.Create((int)' '));
            // Compress to a register and store the full vector: the memory form of vpcompressd is microcoded on Zen 4.
            Avx512F.Compress(Vector512<int>.Zero, isSeparator, index).StoreUnsafe(ref seps, (nuint)count);
            count += BitOperations.PopCount(isSeparator.ExtractMostSignificantBits());
            index += Vector512.Create(16);
        }
        for (; i < end; i++)
        {
            Unsafe.Add(ref seps, count) = i;
            count += Unsafe.Add(ref src, i) == ' ' ? 1 : 0;
        }
        return count;
    }

    /// <summary>The portable definition: chunked NH chained with Mix64 (any length, reads only the word).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static ulong HashChunksScalar(ReadOnlySpan<char> word, Vector256<uint> keys)
    {
        ulong h = 0;
        for (int chunk = 0; chunk < word.Length; chunk += ChunkChars)
        {
            if (chunk > 0) h = Mix64(h);
            h += NhScalar(word.Slice(chunk, Math.Min(ChunkChars, word.Length - chunk)), keys);
        }
        return h;
    }

    private static ulong NhScalar(ReadOnlySpan<char> chunk, Vector256<uint> keys)
    {
        ulong sum = 0;
        for (int pair = 0; pair < 4; pair++)
        {
            uint a = Lane(chunk, 4 * pair) + keys.GetElement(2 * pair);
            uint b = Lane(chunk, 4 * pair + 2) + keys.GetElement(2 * pair + 1);
            sum += (ulong)a * b;
        }
        return sum;
    }

    /// <summary>Chars j and j+1 as a 32-bit lane, zero beyond the chunk.</summary>
    private static uint Lane(ReadOnlySpan<char> chunk, int j) =>
        (j < chunk.Length ? chunk[j] : 0u) | (j + 1 < chunk.Length ? (uint)chunk[j + 1] << 16 : 0u);

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

    /// <summary><see cref="Mix64(ulong)"/> on every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<ulong> Mix64(Vector512<ulong> x)
    {
        x ^= Vector512.ShiftRightLogical(x, 33);
        x *= Vector512.Create(0xFF51AFD7ED558CCDUL);
        x ^= Vector512.ShiftRightLogical(x, 33);
        x *= Vector512.Create(0xC4CEB9FE1A85EC53UL);
        x ^= Vector512.ShiftRightLogical(x, 33);
        return x;
    }

    /// <summary><see cref="Mix64(ulong)"/> on every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<ulong> Mix64(Vector256<ulong> x)
    {
        x ^= Vector256.ShiftRightLogical(x, 33);
        x *= Vector256.Create(0xFF51AFD7ED558CCDUL);
        x ^= Vector256.ShiftRightLogical(x, 33);
        x *= Vector256.Create(0xC4CEB9FE1A85EC53UL);
        x ^= Vector256.ShiftRightLogical(x, 33);
        return x;
    }
}
