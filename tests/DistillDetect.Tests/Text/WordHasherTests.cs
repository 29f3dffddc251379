using System.Runtime.Intrinsics;
using System.Text;
using DistillDetect.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace DistillDetect.Tests.Text;

public class WordHasherTests
{
    /// <summary>Every path this machine can run (the scalar one always).</summary>
    internal static IEnumerable<VectorPath> Paths()
    {
        yield return VectorPath.Scalar;
        if (WordHasher.Resolve(VectorPath.Vector256) == VectorPath.Vector256) yield return VectorPath.Vector256;
        if (WordHasher.Resolve(VectorPath.Vector512) == VectorPath.Vector512) yield return VectorPath.Vector512;
    }

    /// <summary>
    /// The definition, written the obvious way: split on ' ', drop empty words, per 16-char chunk the NH sum of
    /// (lane + key) products over 32-bit lanes of two chars, chunks chained with Mix64, then Mix64(h + length phi).
    /// </summary>
    private static ulong[] Reference(string text, long seed)
    {
        ulong state = (ulong)seed ^ 0x576F_7264_4B65_7973UL;
        var keys = new uint[8];
        for (int i = 0; i < 4; i++)
        {
            ulong z = state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            keys[2 * i] = (uint)z;
            keys[2 * i + 1] = (uint)(z >> 32);
        }
        var hashes = new List<ulong>();
        foreach (string word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            ulong h = 0;
            for (int chunk = 0; chunk < word.Length; chunk += 16)
            {
                if (chunk > 0) h = Mix(h);
                var lanes = new uint[8];
                for (int j = 0; j < 16 && chunk + j < word.Length; j++) lanes[j / 2] |= (uint)word[chunk + j] << (16 * (j % 2));
                for (int i = 0; i < 4; i++) h += (ulong)unchecked(lanes[2 * i] + keys[2 * i]) * unchecked(lanes[2 * i + 1] + keys[2 * i + 1]);
            }
            hashes.Add(Mix(h + (ulong)word.Length * 0x9E3779B97F4A7C15UL));
        }
        return [.. hashes];
    }

    private static ulong Mix(ulong x)
    {
        x = (x ^ (x >> 33)) * 0xFF51AFD7ED558CCDUL;
        x = (x ^ (x >> 33)) * 0xC4CEB9FE1A85EC53UL;
        return x ^ (x >> 33);
    }

    private static ulong[] Hash(string text, long seed, VectorPath path)
    {
        var buffer = new ulong[Shingler.GetMaxWordShingleCount(text.Length)];
        int n = WordHasher.HashWords(text, seed, buffer, path);
        return buffer[..n];
    }

    /// <summary>Text of words with lengths 1..40 (many around the 16-char chunk), optional non-ASCII, single or double spaces.</summary>
    private static string RandomText(Random rng, int chars, bool doubleSpaces)
    {
        var sb = new StringBuilder(chars + 64);
        if (doubleSpaces && rng.Next(2) == 0) sb.Append(' ');
        while (sb.Length < chars)
        {
            int length = rng.Next(5) switch { 0 => rng.Next(14, 19), 1 => rng.Next(19, 41), _ => rng.Next(1, 9) };
            for (int j = 0; j < length; j++)
                sb.Append(rng.Next(12) == 0 ? (char)rng.Next(0x80, 0xFFFF) : (char)('a' + rng.Next(26)));
            sb.Append(doubleSpaces && rng.Next(3) == 0 ? "  " : " ");
        }
        string s = sb.ToString(0, chars);
        return s;
    }

    [Fact]
    public void HashWords_EveryPath_EqualsReferenceAtLengthsAroundChunkAndSegment()
    {
        var rng = new Random(2024);
        int[] lengths = [0, 1, 2, 15, 16, 17, 31, 32, 33, 47, 48, 255, 256, 257, 271, 272, 273, 511, 512, 513, 1000, 2048, 5000];
        foreach (int chars in lengths)
        {
            for (int rep = 0; rep < 12; rep++)
            {
                string text = RandomText(rng, chars, doubleSpaces: rep % 3 == 2);
                ulong[] expected = Reference(text, rep);
                foreach (VectorPath path in Paths())
                    Assert.Equal(expected, Hash(text, rep, path));
            }
        }
    }

    [Fact]
    public void HashWords_LongWordsEverywhere_EqualsReference()
    {
        // A long word at the very start, straddling segment boundaries, at the end, and a whole text of long words.
        var rng = new Random(5);
        string longWord = new('x', 40);
        string[] texts =
        [
            longWord,
            longWord + " a",
            "a " + longWord,
            new string('q', 255) + " " + new string('r', 300) + " z",
            string.Join(' ', Enumerable.Range(0, 120).Select(i => new string((char)('a' + i % 26), 17 + i % 5))),
            string.Join(' ', Enumerable.Range(0, 60).Select(_ => RandomText(rng, 30, false).Replace(" ", "", StringComparison.Ordinal))),
        ];
        foreach (string text in texts)
        foreach (VectorPath path in Paths())
            Assert.Equal(Reference(text, 9), Hash(text, 9, path));
    }

    [Property(MaxTest = 300)]
    public bool HashWords_AnyString_EveryPathEqualsReference(string? raw, long seed)
    {
        string text = raw ?? "";
        ulong[] expected = Reference(text, seed);
        return Paths().All(p => Hash(text, seed, p).AsSpan().SequenceEqual(expected));
    }

    [Fact]
    public void HashWords_DestinationTooSmall_ReturnsMinusOneOnEveryPath()
    {
        foreach (VectorPath path in Paths())
        {
            Assert.Equal(-1, WordHasher.HashWords("a b c d e", 1, new ulong[4], path));
            Assert.Equal(5, WordHasher.HashWords("a b c d e", 1, new ulong[5], path));
            // Many separators but few words: the exact word count fits even though separators outnumber it.
            Assert.Equal(2, WordHasher.HashWords("a" + new string(' ', 300) + "b", 1, new ulong[2], path));
        }
    }

    [Fact]
    public void HashWords_SeedAndLength_ChangeTheHash()
    {
        foreach (VectorPath path in Paths())
        {
            Assert.NotEqual(Hash("word", 1, path)[0], Hash("word", 2, path)[0]);
            Assert.NotEqual(Hash("ab", 1, path)[0], Hash("ab\0", 1, path)[0]); // zero padding alone would collide
            Assert.NotEqual(Hash(new string('a', 16), 1, path)[0], Hash(new string('a', 32), 1, path)[0]);
        }
    }

    [Fact]
    public void Mix64_VectorLanes_EqualScalar()
    {
        var rng = new Random(3);
        var values = new ulong[8];
        foreach (ref ulong v in values.AsSpan()) v = (ulong)rng.NextInt64() * 3;
        Vector512<ulong> mixed512 = WordHasher.Mix64(Vector512.Create(values));
        Vector256<ulong> mixed256 = WordHasher.Mix64(Vector256.Create(values.AsSpan(0, 4)));
        for (int i = 0; i < 8; i++) Assert.Equal(Mix(values[i]), mixed512[i]);
        for (int i = 0; i < 4; i++) Assert.Equal(Mix(values[i]), mixed256[i]);
    }
}
