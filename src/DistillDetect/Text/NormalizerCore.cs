using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Text;

namespace DistillDetect.Text;

/// <summary>Which implementation of the normalization loop to run (tests force each one).</summary>
internal enum NormalizerPath
{
    Auto,
    Scalar,
    Vector256,
    Vector512,
}

/// <summary>
/// The normalization state machine. One pass, no allocation: table lookup per character on the scalar
/// path; on the vector paths, blocks of 16 or 32 pure-ASCII characters are lower-cased, classified and
/// run-collapsed with a handful of vector operations and only blocks containing non-ASCII fall back to
/// the scalar loop (so both paths emit exactly the same characters).
/// </summary>
internal static class NormalizerCore
{
    /// <summary>Output of one normalization: chars written, or -1 when the destination was too small.</summary>
    [SkipLocalsInit]
    internal static int TryNormalize(ReadOnlySpan<char> source, Span<char> destination, NormalizationOptions options, NormalizerPath path = NormalizerPath.Auto)
    {
        var e = new Emitter(destination, (options & NormalizationOptions.MaskNumbers) != 0);
        if (path == NormalizerPath.Auto)
            path = Vector512.IsHardwareAccelerated ? NormalizerPath.Vector512
                 : Vector256.IsHardwareAccelerated ? NormalizerPath.Vector256 : NormalizerPath.Scalar;
        int i = 0;
        if (path == NormalizerPath.Vector512)
        {
            // The vector loop stops at a block with non-ASCII chars; that block runs here, outside the loop, so
            // the loop has no call in it (a call there spilled the vector registers on every block).
            while (true)
            {
                i = RunVector512(source, i, ref e);
                if (i + 32 > source.Length || e.Written + 33 > e.Destination.Length) break;
                i = RunScalar(source, i, i + 32, ref e);
                if (e.Overflow) break;
            }
        }
        else if (path == NormalizerPath.Vector256) i = RunVector256(source, ref e);
        RunScalar(source, i, source.Length, ref e);
        return e.Overflow ? -1 : e.Written;
    }

    /// <summary>
    /// The AVX-512 loop, 32 chars a block from <paramref name="start"/>; returns where it stopped: at a block with
    /// non-ASCII chars, at the tail, or when the destination may not hold one more block. The emitter state lives
    /// in locals for the whole loop: kept in the ref struct, every block re-read and re-wrote Written and the two
    /// run flags through memory, a store-to-load chain on every block.
    /// </summary>
    private static int RunVector512(ReadOnlySpan<char> source, int start, ref Emitter e)
    {
        ref ushort src = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(source));
        ref ushort dst = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(e.Destination));
        int i = start;
        int n = source.Length;
        bool mask = e.MaskNumbers;
        bool compress = Avx512Vbmi2.IsSupported;
        const int width = 32;
        int capacity = e.Destination.Length;
        int written = e.Written;
        bool pending = e.PendingSeparator;
        bool inDigitRun = e.InDigitRun;
        while (i + width <= n)
        {
            if (written + 1 + width > capacity) break; // let the scalar loop handle the tail exactly
            var v = Vector512.LoadUnsafe(ref src, (nuint)i);
            if ((v & Vector512.Create((ushort)0xFF80)) != Vector512<ushort>.Zero) break;
            var upper = Vector512.LessThanOrEqual(v - Vector512.Create((ushort)'A'), Vector512.Create((ushort)25));
            var lower = Vector512.LessThanOrEqual(v - Vector512.Create((ushort)'a'), Vector512.Create((ushort)25));
            var digit = Vector512.LessThanOrEqual(v - Vector512.Create((ushort)'0'), Vector512.Create((ushort)9));
            var sep = ~(upper | lower | digit);
            var output = Vector512.ConditionalSelect(sep, Vector512.Create((ushort)' '), v | (upper & Vector512.Create((ushort)0x20)));
            ulong sepBits = sep.ExtractMostSignificantBits();
            ulong digitBits = 0;
            if (mask)
            {
                digitBits = digit.ExtractMostSignificantBits();
                output = Vector512.ConditionalSelect(digit, Vector512.Create((ushort)'0'), output);
            }
            // BeginBlock with locals: write a pending separator eagerly (the block may take it back).
            ulong prev = written == 0 ? 1UL : 0UL;
            if (pending)
            {
                Unsafe.Add(ref dst, written++) = ' ';
                pending = false;
                prev = 1;
            }
            prev |= inDigitRun ? 2UL : 0UL;
            ulong dropBits = DropBits(sepBits, digitBits, prev);
            if (dropBits != 0 && compress)
            {
                // vpcompressw packs the kept chars in one instruction instead of a 32-step loop.
                ulong keep = ~dropBits & 0xFFFF_FFFFUL;
                var keepLanes = Vector512.Create(Vector256.Create((ushort)keep), Vector256.Create((ushort)(keep >> 16))) & LaneBits;
                output = Avx512Vbmi2.Compress(Vector512<ushort>.Zero, ~Vector512.Equals(keepLanes, Vector512<ushort>.Zero), output);
                output.StoreUnsafe(ref dst, (nuint)written);
                written += BitOperations.PopCount(keep);
            }
            else
            {
                output.StoreUnsafe(ref dst, (nuint)written);
                written = Compact(ref Unsafe.As<ushort, char>(ref dst), written, dropBits, width);
            }
            if (((sepBits >> (width - 1)) & 1) != 0 && written > 0)
            {
                written--; // the last written char is the run's single space
                pending = true;
            }
            inDigitRun = ((digitBits >> (width - 1)) & 1) != 0;
            i += width;
        }
        e.Written = written;
        e.PendingSeparator = pending;
        e.InDigitRun = inDigitRun;
        return i;
    }

    /// <summary>Drops (in place, moving left) the chars of the block stored at <paramref name="written"/> whose drop bit is set; returns the new length.</summary>
    private static int Compact(ref char dst, int written, ulong dropBits, int width)
    {
        if (dropBits == 0) return written + width;
        int w = written;
        for (int j = 0; j < width; j++)
        {
            Unsafe.Add(ref dst, w) = Unsafe.Add(ref dst, written + j);
            w += 1 - (int)((dropBits >> j) & 1);
        }
        return w;
    }

    /// <summary>Lane j holds 1 &lt;&lt; (j mod 16): turns a 32-bit keep mask into a lane mask.</summary>
    private static readonly Vector512<ushort> LaneBits = Vector512.Create(
        (ushort)0x1, 0x2, 0x4, 0x8, 0x10, 0x20, 0x40, 0x80, 0x100, 0x200, 0x400, 0x800, 0x1000, 0x2000, 0x4000, 0x8000,
        0x1, 0x2, 0x4, 0x8, 0x10, 0x20, 0x40, 0x80, 0x100, 0x200, 0x400, 0x800, 0x1000, 0x2000, 0x4000, 0x8000);

    /// <summary>A separator that follows a separator (or starts the text) and a masked digit that follows a digit are dropped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong DropBits(ulong sepBits, ulong digitBits, ulong prev) =>
        (sepBits & ((sepBits << 1) | (prev & 1))) | (digitBits & ((digitBits << 1) | (prev >> 1)));

    private static int RunVector256(ReadOnlySpan<char> source, ref Emitter e)
    {
        ref ushort src = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(source));
        ref ushort dst = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(e.Destination));
        int i = 0;
        int n = source.Length;
        bool mask = e.MaskNumbers;
        const int width = 16;
        while (i + width <= n)
        {
            if (e.Overflow) return n;
            if (e.Written + 1 + width > e.Destination.Length) return i;
            var v = Vector256.LoadUnsafe(ref src, (nuint)i);
            if ((v & Vector256.Create((ushort)0xFF80)) != Vector256<ushort>.Zero)
            {
                i = RunScalar(source, i, i + width, ref e);
                continue;
            }
            var upper = Vector256.LessThanOrEqual(v - Vector256.Create((ushort)'A'), Vector256.Create((ushort)25));
            var lower = Vector256.LessThanOrEqual(v - Vector256.Create((ushort)'a'), Vector256.Create((ushort)25));
            var digit = Vector256.LessThanOrEqual(v - Vector256.Create((ushort)'0'), Vector256.Create((ushort)9));
            var sep = ~(upper | lower | digit);
            var output = Vector256.ConditionalSelect(sep, Vector256.Create((ushort)' '), v | (upper & Vector256.Create((ushort)0x20)));
            ulong sepBits = sep.ExtractMostSignificantBits();
            ulong digitBits = 0;
            if (mask)
            {
                digitBits = digit.ExtractMostSignificantBits();
                output = Vector256.ConditionalSelect(digit, Vector256.Create((ushort)'0'), output);
            }
            ulong prev = BeginBlock(ref e);
            output.StoreUnsafe(ref dst, (nuint)e.Written);
            FinishBlock(sepBits, digitBits, DropBits(sepBits, digitBits, prev), width, -1, ref e);
            i += width;
        }
        return i;
    }

    /// <summary>
    /// Writes a pending separator eagerly (the block may take it back) and returns the "previous was
    /// separator" bit in bit 0 and the "previous was a masked digit" bit in bit 1.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong BeginBlock(ref Emitter e)
    {
        ulong prevSep = e.Written == 0 ? 1UL : 0UL;
        if (e.PendingSeparator)
        {
            e.Destination[e.Written++] = ' ';
            e.PendingSeparator = false;
            prevSep = 1;
        }
        return prevSep | (e.InDigitRun ? 2UL : 0UL);
    }

    /// <summary>
    /// The transformed block is already stored at Written; drops (in place, moving left) each separator that
    /// follows a separator or starts the text and each masked digit that follows a digit: exactly what the
    /// scalar state machine emits. A trailing separator is taken back and kept pending, as the scalar loop does.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FinishBlock(ulong sepBits, ulong digitBits, ulong dropBits, int width, int compactedLength, ref Emitter e)
    {
        int w = e.Written;
        ref char dst = ref MemoryMarshal.GetReference(e.Destination);
        if (compactedLength >= 0)
        {
            w += compactedLength;
        }
        else if (dropBits == 0)
        {
            w += width;
        }
        else
        {
            int r = w;
            for (int j = 0; j < width; j++)
            {
                Unsafe.Add(ref dst, w) = Unsafe.Add(ref dst, r + j);
                w += 1 - (int)((dropBits >> j) & 1);
            }
        }
        int last = width - 1;
        if (((sepBits >> last) & 1) != 0 && w > 0)
        {
            w--; // the last written char is the run's single space
            e.PendingSeparator = true;
        }
        e.InDigitRun = ((digitBits >> last) & 1) != 0;
        e.Written = w;
    }

    /// <summary>Processes source[start..end) (one more char when a surrogate pair straddles end); returns the next index.</summary>
    internal static int RunScalar(ReadOnlySpan<char> source, int start, int end, ref Emitter e)
    {
        uint[] entries = NormalizationTable.Entries;
        int i = start;
        while (i < end)
        {
            if (e.Overflow) return source.Length;
            char c = source[i++];
            uint entry = entries[c];
            uint kind = entry >> 16;
            if (kind <= NormalizationTable.Separator)
            {
                e.Put(entry);
            }
            else if (kind == NormalizationTable.Expand)
            {
                foreach (char x in NormalizationTable.Expansions[(int)(entry & 0xFFFF)]) e.Put(entries[x]);
            }
            else if (kind == NormalizationTable.HighSurrogate)
            {
                if (i < source.Length && char.IsLowSurrogate(source[i]))
                {
                    ProcessSupplementary(char.ConvertToUtf32(c, source[i]), ref e);
                    i++;
                }
                else
                {
                    e.Separator(); // lone high surrogate: read as U+FFFD, a symbol, hence a separator
                }
            }
            else if (kind == NormalizationTable.LowSurrogate)
            {
                e.Separator(); // lone low surrogate: read as U+FFFD
            }
            // Drop: nothing, the word continues.
        }
        return i;
    }

    /// <summary>Code points above U+FFFF: mathematical alphanumerics, enclosed letters, tags, everything else by category.</summary>
    private static void ProcessSupplementary(int cp, ref Emitter e)
    {
        uint[] entries = NormalizationTable.Entries;
        if (cp is >= 0x1D400 and <= 0x1D6A3)
        {
            int letter = (cp - 0x1D400) % 52; // 13 styles of A..Z a..z (NFKC)
            e.Put(entries['a' + (letter % 26)]);
        }
        else if (cp == 0x1D6A4) e.Put(entries['i']);
        else if (cp == 0x1D6A5) e.Put(entries['j']);
        else if (cp is >= 0x1D6A8 and <= 0x1D7C9)
        {
            e.Put(entries[MathGreek((cp - 0x1D6A8) % 58)]);
        }
        else if (cp == 0x1D7CA) e.Put(entries['\u03DC']);
        else if (cp == 0x1D7CB) e.Put(entries['\u03DD']);
        else if (cp is >= 0x1D7CE and <= 0x1D7FF) e.Put(entries['0' + ((cp - 0x1D7CE) % 10)]);
        else if (cp is >= 0x1F100 and <= 0x1F10A)
        {
            e.Put(entries['0' + (cp == 0x1F100 ? 0 : cp - 0x1F101)]); // "0." and "0,".."9,"
            e.Separator();
        }
        else if (cp is >= 0x1F110 and <= 0x1F129)
        {
            e.Separator();
            e.Put(entries['a' + (cp - 0x1F110)]); // parenthesized A..Z
            e.Separator();
        }
        else if (cp is >= 0x1F130 and <= 0x1F149) e.Put(entries['a' + (cp - 0x1F130)]); // squared
        else if (cp is >= 0x1F150 and <= 0x1F169) e.Put(entries['a' + (cp - 0x1F150)]); // negative circled
        else if (cp is >= 0x1F170 and <= 0x1F189) e.Put(entries['a' + (cp - 0x1F170)]); // negative squared
        else if (cp is >= 0x1F1E6 and <= 0x1F1FF) e.Put(entries['a' + (cp - 0x1F1E6)]); // regional indicators
        else if (cp is (>= 0xE0000 and <= 0xE007F) or (>= 0xE0100 and <= 0xE01EF))
        {
            // Tag characters (invisible "ASCII smuggling") and variation selectors supplement: dropped.
        }
        else
        {
            uint kind = NormalizationTable.ClassifyCategory(CharUnicodeInfo.GetUnicodeCategory(cp));
            if (kind == NormalizationTable.Separator) e.Separator();
            else if (kind == NormalizationTable.Digit && e.MaskNumbers) e.Put(NormalizationTable.Digit << 16 | '0');
            else if (kind != NormalizationTable.Drop)
            {
                int lowered = Rune.ToLowerInvariant(new Rune(cp)).Value;
                if (lowered <= 0xFFFF) e.Put(entries[lowered]);
                else e.WordPair((char)((lowered - 0x10000 >> 10) + 0xD800), (char)(((lowered - 0x10000) & 0x3FF) + 0xDC00));
            }
        }
    }

    /// <summary>The 58-character layout of each Greek style in U+1D6A8..U+1D7C9.</summary>
    private static char MathGreek(int index) => index switch
    {
        17 => '\u03F4',                       // capital theta symbol sits where U+03A2 is unassigned
        < 25 => (char)(0x0391 + index),
        25 => '\u2207',                       // nabla
        < 51 => (char)(0x03B1 + index - 26),
        51 => '\u2202',                       // partial differential
        52 => '\u03F5',
        53 => '\u03D1',
        54 => '\u03F0',
        55 => '\u03D5',
        56 => '\u03F1',
        _ => '\u03D6',
    };

    /// <summary>Output writer and run state; every write is bounds-checked and sets <see cref="Overflow"/> instead of throwing.</summary>
    internal ref struct Emitter(Span<char> destination, bool maskNumbers)
    {
        public Span<char> Destination = destination;
        public int Written;
        public bool PendingSeparator;
        public bool InDigitRun;
        public bool Overflow;
        public readonly bool MaskNumbers = maskNumbers;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Put(uint entry)
        {
            uint kind = entry >> 16;
            char c = (char)entry;
            if (kind == NormalizationTable.Word) WordChar(c);
            else if (kind == NormalizationTable.Digit)
            {
                if (!MaskNumbers) WordChar(c);
                else if (!InDigitRun || PendingSeparator)
                {
                    WordChar('0');
                    InDigitRun = true;
                }
            }
            else Separator();
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Separator()
        {
            PendingSeparator = Written > 0;
            InDigitRun = false;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void WordChar(char c)
        {
            int need = PendingSeparator ? 2 : 1;
            if (Written + need > Destination.Length) { Overflow = true; return; }
            if (PendingSeparator) { Destination[Written++] = ' '; PendingSeparator = false; }
            Destination[Written++] = c;
            InDigitRun = false;
        }

        public void WordPair(char high, char low)
        {
            int need = PendingSeparator ? 3 : 2;
            if (Written + need > Destination.Length) { Overflow = true; return; }
            if (PendingSeparator) { Destination[Written++] = ' '; PendingSeparator = false; }
            Destination[Written++] = high;
            Destination[Written++] = low;
            InDigitRun = false;
        }
    }
}
