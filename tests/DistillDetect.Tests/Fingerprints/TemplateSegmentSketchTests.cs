using System.Text;
using DistillDetect.Fingerprints;
using DistillDetect.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace DistillDetect.Tests.Fingerprints;

public sealed class TemplateSegmentSketchTests
{
    private const long Seed = 0x5EED;

    private static IEnumerable<VectorPath> VectorPaths()
    {
        foreach (VectorPath path in DistillDetect.Tests.Text.WordHasherTests.Paths())
        {
            if (path != VectorPath.Scalar) yield return path;
        }
    }

    private const string AsciiSeparators = " ,.;:!?-_/@[`{~\u007F\t";
    private const string WordChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private static string Words(Random random, int count, bool asciiOnly = false)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            // Separators around the letter and digit ranges' edges ('/', ':', '@', '[', '`', '{'), runs of them.
            if (i > 0 || random.Next(2) == 0)
            {
                int separators = random.Next(1, 3);
                for (int s = 0; s < separators; s++) sb.Append(asciiOnly ? AsciiSeparators[random.Next(AsciiSeparators.Length)] : ' ');
            }
            int length = random.Next(1, 12);
            for (int c = 0; c < length; c++) sb.Append(WordChars[random.Next(WordChars.Length)]);
            // Some non-ASCII letters, which are word characters too.
            if (!asciiOnly && random.Next(8) == 0) sb.Append('\u00E9');
        }
        return sb.ToString();
    }

    private static uint[] Sketch(string text, VectorPath path)
    {
        var sketch = new uint[TemplateIndex.SegmentSketchHashes];
        TemplateIndex.SegmentSketch(text, Seed, sketch, path);
        return sketch;
    }

    private static uint[] ScalarSketch(string text)
    {
        var sketch = new uint[TemplateIndex.SegmentSketchHashes];
        TemplateIndex.SegmentSketchScalar(text, Seed, sketch);
        return sketch;
    }

    [Theory]
    // Word counts around the batch of 64 hashed words and the vector widths.
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(127)]
    [InlineData(128)]
    [InlineData(129)]
    [InlineData(300)]
    public void SegmentSketch_EveryVectorPath_EqualsScalarDefinition(int words)
    {
        var random = new Random(words + 1);
        for (int trial = 0; trial < 20; trial++)
        {
            // ASCII-only text takes the bit-mask word scan, other text the per-character one.
            foreach (bool asciiOnly in new[] { true, false })
            {
                string text = Words(random, words, asciiOnly);
                uint[] expected = ScalarSketch(text);
                Assert.Equal(expected, Sketch(text, VectorPath.Auto));
                foreach (VectorPath path in VectorPaths()) Assert.Equal(expected, Sketch(text, path));
            }
        }
    }

    [Fact]
    public void SegmentSketch_NoWords_AllMaximal()
    {
        foreach (VectorPath path in VectorPaths().Append(VectorPath.Scalar))
            Assert.All(Sketch("  ,.; ", path), v => Assert.Equal(uint.MaxValue, v));
    }

    [Property(MaxTest = 200)]
    public Property SegmentSketch_AnyText_VectorPathsEqualScalar(NonNull<string> text)
    {
        uint[] expected = ScalarSketch(text.Get);
        bool same = true;
        foreach (VectorPath path in VectorPaths()) same &= expected.AsSpan().SequenceEqual(Sketch(text.Get, path));
        return same.ToProperty();
    }

    [Property(MaxTest = 200)]
    public Property SegmentSketch_AnyAsciiText_VectorPathsEqualScalar(NonNull<string> text)
    {
        var ascii = new string(Array.ConvertAll(text.Get.ToCharArray(), c => (char)(c & 0x7F)));
        uint[] expected = ScalarSketch(ascii);
        bool same = true;
        foreach (VectorPath path in VectorPaths()) same &= expected.AsSpan().SequenceEqual(Sketch(ascii, path));
        return same.ToProperty();
    }

    [Fact]
    public void SegmentSketch_AfterWarmUp_AllocatesNothing()
    {
        string ascii = Words(new Random(3), 200, asciiOnly: true);
        string other = Words(new Random(4), 200) + "\u00E9";
        var sketch = new uint[TemplateIndex.SegmentSketchHashes];
        for (int i = 0; i < 100; i++)
        {
            TemplateIndex.SegmentSketch(ascii, Seed, sketch);
            TemplateIndex.SegmentSketch(other, Seed, sketch);
        }
        // Steady state, the best of a few rounds (see Allocations.Fewest; a single round once measured 1,928 B
        // in a full, loaded run).
        long allocated = Allocations.Fewest(() =>
        {
            for (int i = 0; i < 100; i++)
            {
                TemplateIndex.SegmentSketch(ascii, Seed, sketch);
                TemplateIndex.SegmentSketch(other, Seed, sketch);
            }
        });
        Assert.Equal(0, allocated);
    }

    private const string Suffix = "Please answer with detailed reasoning first and then give the final Python code only with no extra commentary after it.";

    /// <summary>
    /// The reworded last sentence of a prompt with more than 2 * SketchEnds kept segments is matched through its
    /// sketch, so its text must come from the right slot of the ring the first pass fills. Expected: every query
    /// joins. Word-set Jaccard of the reworded sentence with the original is 19/21 = 0.90: the 10 x 3 banding makes
    /// it a candidate with probability 1 - (1 - 0.9^3)^10 > 0.9999, and P(fewer than 21 of 32 equal minima) at
    /// J = 0.9 is below 1e-4, so a miss means the wrong text was sketched (the seeds are fixed in any case).
    /// </summary>
    [Fact]
    public void Assign_RewordedLastSentenceAfterManySegments_JoinsThroughSketch()
    {
        string reworded = Suffix.Replace("detailed", "thorough", StringComparison.Ordinal);
        AssertRewordedSuffixJoins(Suffix, reworded, new Random(11));
    }

    /// <summary>
    /// The same when the sentence normalizes to more than a slot (512 chars: every word starts with the ligature
    /// U+FB03, which normalizes to "ffi"), so the sketch steps normalize it again instead of reading a slot.
    /// 90 distinct words, one replaced: Jaccard 89/91 = 0.98.
    /// </summary>
    [Fact]
    public void Assign_RewordedSentenceLongerThanSlotAfterNormalization_JoinsThroughSketch()
    {
        var sb = new StringBuilder();
        for (int k = 0; k < 90; k++)
        {
            if (k > 0) sb.Append(' ');
            sb.Append('\uFB03').Append((char)('a' + (k / 26))).Append((char)('a' + (k % 26)));
        }
        string suffix = sb.ToString();
        Assert.True(PromptNormalizer.Normalize(suffix, NormalizationOptions.MaskNumbers).Length > 512);
        string reworded = suffix.Replace("\uFB03ab", "\uFB03zz", StringComparison.Ordinal);
        AssertRewordedSuffixJoins(suffix, reworded, new Random(12));
    }

    private static void AssertRewordedSuffixJoins(string suffix, string reworded, Random random)
    {
        var index = new TemplateIndex();
        long template = 0;
        for (int i = 0; i < 30; i++)
        {
            // About ten task sentences, then the wrapper's one sentence: 12 or more kept segments.
            long id = index.Assign(TemplateCorpus.RandomTask(random, 150) + "\n\n" + suffix);
            if (i == 0) template = id;
            Assert.Equal(template, id);
        }
        for (int i = 0; i < 20; i++)
            Assert.Equal(template, index.Assign(TemplateCorpus.RandomTask(random, 150) + "\n\n" + reworded));
    }
}
