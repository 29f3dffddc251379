using System.Runtime.Intrinsics;
using System.Text;
using DistillDetect.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace DistillDetect.Tests.Text;

public class PromptNormalizerTests
{
    private static string N(string s, NormalizationOptions o = NormalizationOptions.None) => PromptNormalizer.Normalize(s, o);

    [Theory]
    // ASCII: case, whitespace runs, punctuation runs, trimming
    [InlineData("Hello World", "hello world")]
    [InlineData("  Hello,\t\n  WORLD!!!  ", "hello world")]
    [InlineData("hello - world...", "hello world")]
    [InlineData("step-by-step", "step by step")]
    [InlineData("", "")]
    [InlineData(" \t.,;!? ", "")]
    // Homoglyphs: Cyrillic, Greek
    [InlineData("p\u0430ssword", "password")]              // Cyrillic а
    [InlineData("\u0421\u043E\u0440\u0443", "copy")]        // Сору: Cyrillic С о р у
    [InlineData("\u0422\u0415\u0425\u0422", "text")]        // ТЕХТ: Cyrillic
    [InlineData("\u039A\u0395\u03A5", "key")]               // ΚΕΥ: Greek capitals
    [InlineData("\u03BFpen \u03B1i", "open ai")]            // Greek ο, α
    [InlineData("\u0397ello \u03B7", "hello n")]            // Greek capital Eta looks like H, small eta like n
    // Fullwidth Latin and digits
    [InlineData("\uFF37\uFF52\uFF49\uFF54\uFF45 \uFF43\uFF4F\uFF44\uFF45", "write code")]
    [InlineData("\uFF11\uFF12\uFF13", "123")]
    // Zero-width characters inside words, soft hyphen, BOM, word joiner
    [InlineData("inv\u200Bisi\u200Cb\u200Dle", "invisible")]
    [InlineData("soft\u00ADware", "software")]
    [InlineData("\uFEFFwo\u2060rd", "word")]
    // Bidi controls and marks
    [InlineData("ab\u202Ecd\u202C ef\u2066gh\u2069 i\u200Ej\u200Fk\u061Cl", "abcd efgh ijkl")]
    // Variation selectors (BMP and supplement), tags
    [InlineData("te\uFE0Fxt \U000E0100x\U000E0041y", "text xy")]
    // NFKC ligatures and compatibility letters
    [InlineData("\uFB01nd the \uFB02ow of \uFB03ce", "find the flow of ffice")]
    [InlineData("\u2460 \u24B6\u24D1 \u2167", "1 ab viii")]
    [InlineData("x\u00B2 \u1D2C\u1D2E", "x2 ab")]
    [InlineData("\U0001D41A\U0001D41B\U0001D41C \U0001D5D4\U0001D7CF", "abc a1")] // math bold abc, sans bold A, bold 1
    [InlineData("\U0001F130\U0001F131 \U0001F1E6", "ab a")]   // squared letters, regional indicator
    // Accents and combining marks (Zalgo)
    [InlineData("caf\u00E9 na\u00EFve", "cafe naive")]
    [InlineData("cafe\u0301 z\u0351\u0352a\u0353lgo", "cafe zalgo")]
    [InlineData("\u00C6sop \u00DF", "aesop ss")]
    // Small capitals and IPA look-alikes
    [InlineData("\u1D00\u0299\u1D04", "abc")]
    // Lone surrogates: read as U+FFFD, a separator
    [InlineData("ab\uD800cd", "ab cd")]
    [InlineData("ab\uDC00", "ab")]
    [InlineData("\uDBFF\uDBFFx", "x")]
    public void Normalize_EvasionClass_FoldsToPlainText(string input, string expected) =>
        Assert.Equal(expected, N(input));

    [Theory]
    [InlineData("Task 17", "Task 912")]
    [InlineData("see item 3.14 of 2024", "see item 2.71 of 1999")]
    [InlineData("gpt4 v12", "gpt5 v3")]
    [InlineData("\uFF11\uFF12 tasks", "7 tasks")]
    public void Normalize_MaskNumbers_DifferentNumbersEqual(string a, string b)
    {
        Assert.Equal(N(a, NormalizationOptions.MaskNumbers), N(b, NormalizationOptions.MaskNumbers));
        Assert.NotEqual(N(a), N(b));
    }

    [Fact]
    public void Normalize_MaskNumbers_KnownAnswer()
    {
        Assert.Equal("task 0", N("Task 912", NormalizationOptions.MaskNumbers));
        Assert.Equal("a0b0 0 0", N("a12b3 4.5", NormalizationOptions.MaskNumbers));
        Assert.Equal("0", N("1\u200B2", NormalizationOptions.MaskNumbers)); // one run across an invisible char
    }

    [Fact]
    public void Normalize_DisguisedCopy_EqualsOriginal()
    {
        const string original = "Reason step by step, then give the full code for: sort a list.";
        const string disguised = "  R\u0435ason  st\u200Bep b\u0443 ST\u0415P \u2014 then g\u0456ve the \uFF46ull c\u03BFde for:\tsort a l\u0456st!!! ";
        Assert.Equal(N(original), N(disguised));
    }

    [Fact]
    public void Normalize_AsciiAlreadyNormalized_ReturnsSameInstance()
    {
        string s = "already normalized text 42";
        Assert.Same(s, N(s));
    }

    [Fact]
    public void Normalize_DestinationTooSmall_Throws()
    {
        char[] small = new char[3];
        Assert.Throws<ArgumentException>(() => PromptNormalizer.Normalize("hello world", small));
    }

    [Fact]
    public void GetMaxNormalizedLength_Invalid_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PromptNormalizer.GetMaxNormalizedLength(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => PromptNormalizer.GetMaxNormalizedLength(int.MaxValue));
        Assert.Equal(0, PromptNormalizer.GetMaxNormalizedLength(0));
    }

    /// <summary>Every BMP code unit (and every pair of them with a space) is within the bound, idempotent and well-formed.</summary>
    [Fact]
    public void Normalize_EveryBmpCharacter_IdempotentBoundedWellFormed()
    {
        Span<char> dest = stackalloc char[64];
        Span<char> again = stackalloc char[64];
        foreach (var options in new[] { NormalizationOptions.None, NormalizationOptions.MaskNumbers })
        {
            for (int c = 0; c < 65536; c++)
            {
                ReadOnlySpan<char> one = [(char)c, 'x', (char)c];
                int n = PromptNormalizer.Normalize(one, dest, options);
                Assert.True(n <= PromptNormalizer.GetMaxNormalizedLength(3), $"U+{c:X4} expands beyond the bound");
                int m = PromptNormalizer.Normalize(dest[..n], again, options);
                Assert.True(dest[..n].SequenceEqual(again[..m]), $"U+{c:X4} not idempotent: '{dest[..n].ToString()}' -> '{again[..m].ToString()}'");
                Assert.True(IsWellFormed(dest[..n]), $"U+{c:X4} gives ill-formed output");
            }
        }
    }

    [Fact]
    public void Normalize_EverySupplementaryCodePoint_IdempotentAndWellFormed()
    {
        Span<char> dest = stackalloc char[64];
        Span<char> again = stackalloc char[64];
        for (int cp = 0x10000; cp <= 0x10FFFF; cp += cp is >= 0x1D400 and < 0x1F300 or >= 0xE0000 and < 0xE0200 ? 1 : 61)
        {
            string s = "a" + char.ConvertFromUtf32(cp) + "b";
            int n = PromptNormalizer.Normalize(s, dest, NormalizationOptions.MaskNumbers);
            int m = PromptNormalizer.Normalize(dest[..n], again, NormalizationOptions.MaskNumbers);
            Assert.True(dest[..n].SequenceEqual(again[..m]), $"U+{cp:X5} not idempotent");
            Assert.True(IsWellFormed(dest[..n]), $"U+{cp:X5} gives ill-formed output");
        }
    }

    [Property(MaxTest = 300)]
    public bool Normalize_AnyUtf16_NeverThrowsIdempotentWellFormed(char[] chars, bool mask)
    {
        var o = mask ? NormalizationOptions.MaskNumbers : NormalizationOptions.None;
        string once = N(new string(chars), o);
        return IsWellFormed(once) && N(once, o) == once && !once.StartsWith(' ') && !once.EndsWith(' ') && !once.Contains("  ", StringComparison.Ordinal);
    }

    [Property(MaxTest = 200)]
    public bool Normalize_RandomMixedText_VectorAndScalarPathsAgree(int seed, byte asciiShare, bool mask)
    {
        var rng = new Random(seed);
        int length = rng.Next(0, 300);
        string s = RandomText(rng, length, asciiShare / 255.0);
        return AllPathsAgree(s, mask ? NormalizationOptions.MaskNumbers : NormalizationOptions.None);
    }

    [Fact]
    public void Normalize_LengthsAroundVectorWidths_VectorAndScalarPathsAgree()
    {
        var rng = new Random(1234);
        int[] lengths = [0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 48, 63, 64, 65, 95, 96, 127, 128, 129, 255, 256, 257, 1023, 1024, 1025];
        foreach (int length in lengths)
        {
            foreach (double ascii in new[] { 1.0, 0.97, 0.5 })
            {
                for (int rep = 0; rep < 20; rep++)
                {
                    string s = RandomText(rng, length, ascii);
                    Assert.True(AllPathsAgree(s, NormalizationOptions.None), $"length {length}: '{s}'");
                    Assert.True(AllPathsAgree(s, NormalizationOptions.MaskNumbers), $"length {length} masked: '{s}'");
                }
            }
        }
    }

    [Fact]
    public void Normalize_SmallDestination_AllPathsReportOverflowOrAgree()
    {
        var rng = new Random(99);
        for (int rep = 0; rep < 500; rep++)
        {
            string s = RandomText(rng, rng.Next(0, 100), 0.9);
            int full = NormalizerCore.TryNormalize(s, new char[PromptNormalizer.GetMaxNormalizedLength(s.Length)], NormalizationOptions.None, NormalizerPath.Scalar);
            int size = rng.Next(0, full + 2);
            foreach (var path in Paths())
            {
                int r = NormalizerCore.TryNormalize(s, new char[size], NormalizationOptions.None, path);
                Assert.Equal(size >= full ? full : -1, r);
            }
        }
    }

    [Fact]
    public void Normalize_TenMegabytePrompt_Works()
    {
        var sb = new StringBuilder(10_000_000);
        var rng = new Random(5);
        while (sb.Length < 10_000_000) sb.Append(Words[rng.Next(Words.Length)]).Append(rng.Next(4) == 0 ? ",  " : " ");
        string big = sb.ToString();
        string normalized = N(big);
        Assert.InRange(normalized.Length, 5_000_000, big.Length);
        Assert.Equal(normalized, N(normalized));
    }

    [Fact]
    public void Normalize_ManyExpansions_UsesLargerBufferCorrectly()
    {
        string s = string.Concat(Enumerable.Repeat("\u2167\uFB03", 3000)); // each char expands 3 to 4 times
        string n = N(s);
        Assert.StartsWith("viiiffiviiiffi", n, StringComparison.Ordinal);
        Assert.Equal(3000 * 7, n.Length);
    }

    internal static readonly string[] Words =
        ["reason", "step", "by", "then", "give", "the", "full", "code", "Task", "write", "a", "function", "that", "returns", "list", "of", "numbers", "42", "x1"];

    private static readonly string[] Pieces =
        ["\u0430", "\u03BF", "\u200B", "\u00AD", "\uFF41", "\uFB01", "\u00E9", "\u0301", "\uD835\uDC1A", "\uD800", "\uDC00", "\u2167", "\u2014", "\u00A0", "\u4E2D", "\U0001F600", "\u0660", "\uFF11"];

    internal static string RandomText(Random rng, int length, double asciiShare)
    {
        var sb = new StringBuilder(length + 4);
        const string ascii = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789     ,.!?-\t\n'\"()";
        while (sb.Length < length)
        {
            if (rng.NextDouble() < asciiShare) sb.Append(ascii[rng.Next(ascii.Length)]);
            else sb.Append(Pieces[rng.Next(Pieces.Length)]);
        }
        return sb.ToString(0, length);
    }

    private static IEnumerable<NormalizerPath> Paths()
    {
        yield return NormalizerPath.Scalar;
        if (Vector256.IsHardwareAccelerated) yield return NormalizerPath.Vector256;
        if (Vector512.IsHardwareAccelerated) yield return NormalizerPath.Vector512;
    }

    private static bool AllPathsAgree(string s, NormalizationOptions o)
    {
        char[] reference = new char[PromptNormalizer.GetMaxNormalizedLength(s.Length)];
        int n = NormalizerCore.TryNormalize(s, reference, o, NormalizerPath.Scalar);
        foreach (var path in Paths())
        {
            char[] other = new char[reference.Length];
            int m = NormalizerCore.TryNormalize(s, other, o, path);
            if (m != n || !other.AsSpan(0, m).SequenceEqual(reference.AsSpan(0, n))) return false;
        }
        return true;
    }

    internal static bool IsWellFormed(ReadOnlySpan<char> s)
    {
        for (int i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]))
            {
                if (i + 1 >= s.Length || !char.IsLowSurrogate(s[i + 1])) return false;
                i++;
            }
            else if (char.IsLowSurrogate(s[i])) return false;
        }
        return true;
    }
}
