using System.IO.Hashing;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using DistillDetect.Text;

namespace DistillDetect.Fingerprints;

public sealed partial class TemplateIndex
{
    /// <summary>Words hashed before their mixes are folded in: the hash calls stay out of the vector loop.</summary>
    private const int SketchWordBatch = 64;

    /// <summary>(j + 1) * golden ratio for j in [0, <see cref="SegmentSketchHashes"/>): the offsets of the mix family.</summary>
    private static readonly ulong[] s_sketchOffsets = SketchOffsets();

    private static ulong[] SketchOffsets()
    {
        var offsets = new ulong[SegmentSketchHashes];
        for (int j = 0; j < offsets.Length; j++) offsets[j] = (ulong)(j + 1) * 0x9E3779B97F4A7C15UL;
        return offsets;
    }

    /// <summary>
    /// MinHash of the set of words of a normalized segment (one 64-bit hash per word, then
    /// <see cref="SegmentSketchHashes"/> mixes of it; Broder 1997). Word sets make a reworded sentence
    /// (one synonym in 15 words: Jaccard 14/16) still close. No allocation.
    /// </summary>
    internal static void SegmentSketch(ReadOnlySpan<char> normalized, long seed, Span<uint> sketch) =>
        SegmentSketch(normalized, seed, sketch, VectorPath.Auto);

    /// <summary><see cref="SegmentSketch(ReadOnlySpan{char}, long, Span{uint})"/> on a chosen path (tests check every path gives the same sketch).</summary>
    [SkipLocalsInit]
    internal static void SegmentSketch(ReadOnlySpan<char> normalized, long seed, Span<uint> sketch, VectorPath path)
    {
        path = WordHasher.Resolve(path);
        if (path == VectorPath.Scalar || sketch.Length != SegmentSketchHashes)
        {
            SegmentSketchScalar(normalized, seed, sketch);
            return;
        }
        // Each word's 32 mixes are independent lanes: hash a batch of words (calls), then fold every word's
        // mixes into the running minima with no call in the loop (a call would spill the vector registers).
        Span<ulong> hashes = stackalloc ulong[SketchWordBatch];
        var mins = new SketchMinima(path);
        int count = 0;
        if (!normalized.ContainsAnyExceptInRange('\0', '\u007F'))
        {
            // ASCII only (the usual normalized segment): word characters are exactly the ASCII letters and
            // digits, so the words are the runs of set bits of a vector-built mask, not a branch per character.
            Span<ulong> bits = stackalloc ulong[(normalized.Length + 63) >> 6];
            AsciiWordBits(normalized, bits);
            int n = normalized.Length;
            int position = 0;
            while (true)
            {
                int first = NextBit(bits, position, set: true, n);
                if (first >= n) break;
                position = NextBit(bits, first, set: false, n);
                hashes[count++] = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(normalized[first..position]), seed);
                if (count == SketchWordBatch)
                {
                    mins.Add(hashes);
                    count = 0;
                }
            }
            mins.Add(hashes[..count]);
            mins.Store(sketch);
            return;
        }
        int start = -1;
        for (int i = 0; i <= normalized.Length; i++)
        {
            bool letter = i < normalized.Length && IsWordChar(normalized[i]);
            if (letter && start < 0) start = i;
            if (!letter && start >= 0)
            {
                hashes[count++] = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(normalized[start..i]), seed);
                if (count == SketchWordBatch)
                {
                    mins.Add(hashes);
                    count = 0;
                }
                start = -1;
            }
        }
        mins.Add(hashes[..count]);
        mins.Store(sketch);
    }

    /// <summary>Bit i of <paramref name="bits"/> set when char i is an ASCII letter or digit (16 chars per Vector256 step).</summary>
    private static void AsciiWordBits(ReadOnlySpan<char> text, Span<ulong> bits)
    {
        ref ushort r = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(text));
        int n = text.Length;
        for (int b = 0; b < bits.Length; b++)
        {
            ulong mask = 0;
            for (int q = 0; q < 4; q++)
            {
                int at = (b << 6) + (q << 4);
                if (at + 16 <= n && Vector256.IsHardwareAccelerated)
                {
                    Vector256<ushort> v = Vector256.LoadUnsafe(ref r, (nuint)at);
                    // Unsigned range tests: c - '0' < 10, (c | 0x20) - 'a' < 26.
                    Vector256<ushort> digit = Vector256.LessThan(v - Vector256.Create((ushort)'0'), Vector256.Create((ushort)10));
                    Vector256<ushort> letter = Vector256.LessThan((v | Vector256.Create((ushort)0x20)) - Vector256.Create((ushort)'a'), Vector256.Create((ushort)26));
                    mask |= (ulong)(digit | letter).ExtractMostSignificantBits() << (q << 4);
                }
                else
                {
                    int end = Math.Min(n, at + 16);
                    for (int c = at; c < end; c++)
                    {
                        if (char.IsAsciiLetterOrDigit(text[c])) mask |= 1UL << (c - (b << 6));
                    }
                }
            }
            bits[b] = mask;
        }
    }

    /// <summary>The first index at or after <paramref name="position"/> whose bit is <paramref name="set"/>, at most <paramref name="n"/> (bits at n and beyond are clear).</summary>
    private static int NextBit(ReadOnlySpan<ulong> bits, int position, bool set, int n)
    {
        int w = position >> 6;
        if (w >= bits.Length) return n;
        ulong x = (set ? bits[w] : ~bits[w]) & (ulong.MaxValue << (position & 63));
        while (x == 0)
        {
            if (++w >= bits.Length) return n;
            x = set ? bits[w] : ~bits[w];
        }
        return Math.Min(n, (w << 6) + BitOperations.TrailingZeroCount(x));
    }

    /// <summary>The definition, one word and one mix at a time (machines without AVX2, and the tests' reference).</summary>
    internal static void SegmentSketchScalar(ReadOnlySpan<char> normalized, long seed, Span<uint> sketch)
    {
        sketch.Fill(uint.MaxValue);
        int start = -1;
        for (int i = 0; i <= normalized.Length; i++)
        {
            bool letter = i < normalized.Length && IsWordChar(normalized[i]);
            if (letter && start < 0) start = i;
            if (!letter && start >= 0)
            {
                ulong h = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(normalized[start..i]), seed);
                for (int j = 0; j < sketch.Length; j++)
                {
                    // SplitMix64 finalizer of (h + j * golden ratio): a cheap, well-mixed independent-enough family.
                    uint v = (uint)(SplitMix.Mix(h + (ulong)(j + 1) * SplitMix.Gamma) >> 32);
                    if (v < sketch[j]) sketch[j] = v;
                }
                start = -1;
            }
        }
    }

    /// <summary>
    /// The 32 running minima of a segment sketch, kept as the high halves of the mixes in 64-bit lanes (so the
    /// min is one unsigned 64-bit vector min, no narrowing per word): 4 Vector512 or 8 Vector256 registers.
    /// </summary>
    private struct SketchMinima
    {
        private readonly bool _wide;
        private Vector512<ulong> _a, _b, _c, _d;
        private Vector256<ulong> _e, _f, _g, _h, _i, _j, _k, _l;

        public SketchMinima(VectorPath path)
        {
            _wide = path == VectorPath.Vector512;
            Vector512<ulong> empty512 = Vector512.Create((ulong)uint.MaxValue);
            Vector256<ulong> empty256 = Vector256.Create((ulong)uint.MaxValue);
            _a = _b = _c = _d = empty512;
            _e = _f = _g = _h = _i = _j = _k = _l = empty256;
        }

        public void Add(ReadOnlySpan<ulong> hashes)
        {
            if (_wide) Add512(hashes);
            else Add256(hashes);
        }

        private void Add512(ReadOnlySpan<ulong> hashes)
        {
            ref ulong offsets = ref MemoryMarshal.GetArrayDataReference(s_sketchOffsets);
            Vector512<ulong> oa = Vector512.LoadUnsafe(ref offsets, 0);
            Vector512<ulong> ob = Vector512.LoadUnsafe(ref offsets, 8);
            Vector512<ulong> oc = Vector512.LoadUnsafe(ref offsets, 16);
            Vector512<ulong> od = Vector512.LoadUnsafe(ref offsets, 24);
            Vector512<ulong> a = _a, b = _b, c = _c, d = _d;
            foreach (ulong h in hashes)
            {
                Vector512<ulong> v = Vector512.Create(h);
                a = Vector512.Min(a, Mix(v + oa));
                b = Vector512.Min(b, Mix(v + ob));
                c = Vector512.Min(c, Mix(v + oc));
                d = Vector512.Min(d, Mix(v + od));
            }
            _a = a; _b = b; _c = c; _d = d;
        }

        private void Add256(ReadOnlySpan<ulong> hashes)
        {
            ref ulong offsets = ref MemoryMarshal.GetArrayDataReference(s_sketchOffsets);
            Vector256<ulong> e = _e, f = _f, g = _g, h = _h, i = _i, j = _j, k = _k, l = _l;
            foreach (ulong word in hashes)
            {
                Vector256<ulong> v = Vector256.Create(word);
                e = Vector256.Min(e, Mix(v + Vector256.LoadUnsafe(ref offsets, 0)));
                f = Vector256.Min(f, Mix(v + Vector256.LoadUnsafe(ref offsets, 4)));
                g = Vector256.Min(g, Mix(v + Vector256.LoadUnsafe(ref offsets, 8)));
                h = Vector256.Min(h, Mix(v + Vector256.LoadUnsafe(ref offsets, 12)));
                i = Vector256.Min(i, Mix(v + Vector256.LoadUnsafe(ref offsets, 16)));
                j = Vector256.Min(j, Mix(v + Vector256.LoadUnsafe(ref offsets, 20)));
                k = Vector256.Min(k, Mix(v + Vector256.LoadUnsafe(ref offsets, 24)));
                l = Vector256.Min(l, Mix(v + Vector256.LoadUnsafe(ref offsets, 28)));
            }
            _e = e; _f = f; _g = g; _h = h; _i = i; _j = j; _k = k; _l = l;
        }

        /// <summary>The scalar loop's SplitMix64 finalizer, high 32 bits, in every lane.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector512<ulong> Mix(Vector512<ulong> x)
        {
            x = (x ^ (x >>> 30)) * Vector512.Create(0xBF58476D1CE4E5B9UL);
            x = (x ^ (x >>> 27)) * Vector512.Create(0x94D049BB133111EBUL);
            return (x ^ (x >>> 31)) >>> 32;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<ulong> Mix(Vector256<ulong> x)
        {
            x = (x ^ (x >>> 30)) * Vector256.Create(0xBF58476D1CE4E5B9UL);
            x = (x ^ (x >>> 27)) * Vector256.Create(0x94D049BB133111EBUL);
            return (x ^ (x >>> 31)) >>> 32;
        }

        public readonly void Store(Span<uint> sketch)
        {
            ref uint destination = ref MemoryMarshal.GetReference(sketch);
            if (_wide)
            {
                Vector512.Narrow(_a, _b).StoreUnsafe(ref destination, 0);
                Vector512.Narrow(_c, _d).StoreUnsafe(ref destination, 16);
                return;
            }
            Vector256.Narrow(_e, _f).StoreUnsafe(ref destination, 0);
            Vector256.Narrow(_g, _h).StoreUnsafe(ref destination, 8);
            Vector256.Narrow(_i, _j).StoreUnsafe(ref destination, 16);
            Vector256.Narrow(_k, _l).StoreUnsafe(ref destination, 24);
        }
    }
}
