using System.IO.Hashing;
using System.Runtime.InteropServices;
using DistillDetect.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace DistillDetect.Tests.Text;

public class ShinglerTests
{
    private static ulong[] Shingles(string text, int k = 3, long seed = 7)
    {
        var buffer = new ulong[Shingler.GetMaxWordShingleCount(text.Length)];
        int n = Shingler.HashWordShingles(text, k, seed, buffer);
        return buffer[..n];
    }

    [Fact]
    public void HashWordShingles_FourWords_TwoShinglesSharedWithOtherTexts()
    {
        ulong[] abcd = Shingles("a b c d");
        ulong[] xabc = Shingles("x a b c");
        Assert.Equal(2, abcd.Length);
        Assert.Equal(abcd[0], xabc[1]); // "a b c" hashes the same wherever it occurs
        Assert.NotEqual(abcd[0], abcd[1]);
        Assert.NotEqual(Shingles("a b c")[0], Shingles("c b a")[0]); // order matters
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("one", 1)]
    [InlineData("one two", 1)]
    [InlineData("one two three", 1)]
    [InlineData("one two three four five", 3)]
    public void HashWordShingles_ShortTexts_AtLeastOneShingle(string text, int expected) =>
        Assert.Equal(expected, Shingles(text).Length);

    [Fact]
    public void HashWordShingles_ShortTextsDiffer_AndSeedMatters()
    {
        Assert.NotEqual(Shingles("one")[0], Shingles("one two")[0]);
        Assert.NotEqual(Shingles("one two")[0], Shingles("two one")[0]);
        Assert.NotEqual(Shingles("a b c", seed: 1)[0], Shingles("a b c", seed: 2)[0]);
        Assert.Equal(Shingles("a  b   c")[0], Shingles("a b c")[0]); // extra spaces do not make empty words
    }

    [Fact]
    public void HashWordShingles_ShingleSizeOne_WordsInOrder()
    {
        ulong[] words = Shingles("x y x", k: 1);
        Assert.Equal(3, words.Length);
        Assert.Equal(words[0], words[2]);
        Assert.NotEqual(words[0], words[1]);
    }

    [Fact]
    public void HashWordShingles_InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Shingler.HashWordShingles("a b", 0, 1, new ulong[4]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Shingler.HashWordShingles("a b", Shingler.MaxShingleSize + 1, 1, new ulong[4]));
        Assert.Throws<ArgumentException>(() => Shingler.HashWordShingles("a b c d e", 1, 1, new ulong[2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Shingler.GetMaxWordShingleCount(-1));
    }

    [Property(MaxTest = 200)]
    public bool HashWordShingles_AnyNormalizedText_CountWithinBound(string? raw, PositiveInt k)
    {
        string text = PromptNormalizer.Normalize(raw ?? "");
        int size = 1 + (k.Get % Shingler.MaxShingleSize);
        var buffer = new ulong[Shingler.GetMaxWordShingleCount(text.Length)];
        int n = Shingler.HashWordShingles(text, size, 3, buffer);
        int words = text.Length == 0 ? 0 : text.Split(' ').Length;
        return n == (words == 0 ? 0 : Math.Max(1, words - size + 1));
    }

    [Fact]
    public void HashCharacterNGrams_MatchesXxHash3OfEachSubstring()
    {
        const string text = "hello world";
        var dest = new ulong[text.Length];
        int n = Shingler.HashCharacterNGrams(text, 4, 11, dest);
        Assert.Equal(text.Length - 3, n);
        for (int i = 0; i < n; i++)
            Assert.Equal(XxHash3.HashToUInt64(MemoryMarshal.AsBytes(text.AsSpan(i, 4)), 11), dest[i]);
        Assert.Equal(1, Shingler.HashCharacterNGrams("ab", 4, 11, dest));
        Assert.Equal(XxHash3.HashToUInt64(MemoryMarshal.AsBytes("ab".AsSpan()), 11), dest[0]);
        Assert.Equal(0, Shingler.HashCharacterNGrams("", 4, 11, dest));
        Assert.Throws<ArgumentOutOfRangeException>(() => Shingler.HashCharacterNGrams("ab", 0, 11, dest));
        Assert.Throws<ArgumentException>(() => Shingler.HashCharacterNGrams("hello world", 2, 11, new ulong[3]));
    }

    [Fact]
    public void HashWordShingles_EveryPathAndShingleSize_BitIdenticalAndMixMatches()
    {
        var rng = new Random(17);
        foreach (int chars in new[] { 0, 3, 16, 40, 100, 257, 700, 2048 })
        {
            string raw = Fingerprints.MinHashTestData.Prompt(rng.Next(), chars) + (chars % 2 == 0 ? " \u00E9t\u00E9 supercalifragilisticexpialidocious" : "");
            string text = PromptNormalizer.Normalize(raw);
            foreach (int k in new[] { 1, 2, 3, 4, 5, 32 })
            {
                ulong[]? expected = null;
                const ulong key = 0x1234_5678_9ABC_DEF1;
                foreach (VectorPath path in WordHasherTests.Paths())
                {
                    var plain = new ulong[Shingler.GetMaxWordShingleCount(text.Length)];
                    var mixed = new ulong[plain.Length];
                    int n = Shingler.HashWordShinglesCore(text, k, 21, plain, path, mix: false, 0);
                    Assert.Equal(n, Shingler.HashWordShinglesCore(text, k, 21, mixed, path, mix: true, key));
                    expected ??= plain[..n];
                    Assert.Equal(expected, plain[..n]);
                    for (int i = 0; i < n; i++) Assert.Equal(Shingler.Mix64(plain[i] ^ key), mixed[i]);
                }
                Assert.Equal(expected, Shingles(text, k, 21));
            }
        }
    }
}
