using DistillDetect.Fingerprints;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace DistillDetect.Tests.Fingerprints;

public sealed class TemplatePromptSegmenterTests
{
    private static string[] Segments(string text, int perEnd = 24)
    {
        var ranges = new Range[2 * perEnd];
        int n = PromptSegmenter.Split(text, perEnd, ranges, out _);
        return ranges.Take(n).Select(r => text[r]).ToArray();
    }

    [Fact]
    public void Split_LinesSentencesAndLabels_AreSegments()
    {
        Assert.Equal(
            ["Task", " Write code", " It must run", "\tThen explain why", " Done"],
            Segments("Task: Write code. It must run!\n\tThen explain why? Done"));
    }

    [Fact]
    public void Split_MarkupTags_AreBoundariesAndDropped()
    {
        Assert.Equal(["Sort the list", "Think inside ", " tags first"],
            Segments("<task>Sort the list</task>\nThink inside <thinking> tags first"));
    }

    [Fact]
    public void Split_NotATag_StaysInSegment()
    {
        Assert.Equal(["if a <b and c> d then x<y"], Segments("if a <b and c> d then x<y"));
    }

    [Fact]
    public void Split_CommaAfterShortOpener_EndsSegment_CommaInSentence_DoesNot()
    {
        Assert.Equal(["Hey there", " Think step by step, then answer"], Segments("Hey there, Think step by step, then answer"));
        Assert.Equal(["Use 1,000 rows"], Segments("Use 1,000 rows"));
    }

    [Fact]
    public void Split_DecimalsUrlsAndAbbreviationsWithoutSpace_StayWhole()
    {
        Assert.Equal(["Use pi=3.14 and see http://x.org/a.b for e.g.this"], Segments("Use pi=3.14 and see http://x.org/a.b for e.g.this"));
    }

    [Fact]
    public void Split_ZeroWidthAfterTerminator_StillEndsSentence()
    {
        Assert.Equal(["First one", "\u200B Second one"], Segments("First one.\u200B Second one"));
    }

    [Fact]
    public void Split_PunctuationOnlyAndBlankLines_AreDropped()
    {
        Assert.Equal(["code", "more"], Segments("```\n\n\ncode\n\"\"\"\n  ...  \nmore\n---"));
    }

    [Fact]
    public void Split_EmptyText_HasNoSegments()
    {
        Assert.Empty(Segments(""));
        Assert.Empty(Segments("   \n\n ."));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(5, 3)]
    [InlineData(6, 3)]
    [InlineData(7, 3)]
    [InlineData(100, 3)]
    [InlineData(100, 24)]
    public void Split_ManySegments_KeepsFirstAndLastInOrder(int total, int perEnd)
    {
        string text = string.Join("\n", Enumerable.Range(0, total).Select(i => $"line{i}"));
        var ranges = new Range[2 * perEnd];
        int n = PromptSegmenter.Split(text, perEnd, ranges, out int counted);
        Assert.Equal(total, counted);
        IEnumerable<int> expected = total <= 2 * perEnd
            ? Enumerable.Range(0, total)
            : Enumerable.Range(0, perEnd).Concat(Enumerable.Range(total - perEnd, perEnd));
        Assert.Equal(expected.Select(i => $"line{i}"), ranges.Take(n).Select(r => text[r]));
    }

    [Property(MaxTest = 500)]
    public Property Split_AnyText_RangesInBoundsOrderedAndDisjoint()
    {
        Gen<string> gen = Gen.ArrayOf(Gen.Elements('a', 'B', '7', ' ', '.', '!', ':', '\n', '\r', '\u200B', '\uD800', 'é', '?', '\t')).Select(a => new string(a));
        return Prop.ForAll(gen.ToArbitrary(), Gen.Choose(1, 6).ToArbitrary(), (text, perEnd) =>
        {
            var ranges = new Range[2 * perEnd];
            int n = PromptSegmenter.Split(text, perEnd, ranges, out int total);
            int previousEnd = -1;
            for (int i = 0; i < n; i++)
            {
                (int start, int length) = ranges[i].GetOffsetAndLength(text.Length);
                if (start <= previousEnd - 1 || length <= 0) return false;
                previousEnd = start + length;
            }
            return n == Math.Min(total, 2 * perEnd);
        });
    }
}
