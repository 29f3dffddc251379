using DistillDetect.Fingerprints;

namespace DistillDetect.Tests.Fingerprints;

public sealed class TemplateSegmentTableTests
{
    [Fact]
    public void Record_BeyondCap_EvictsLowSupportKeepsEveryRemainingEntryFindable()
    {
        var table = new TemplateSegmentTable(maxSegments: 4096); // 64 per stripe
        var random = new Random(3);
        // 200 "wrapper" segments seen 50 times each, interleaved with 50,000 one-off "task" segments (about
        // 16 per stripe per round, so a stripe first fills in round 4, when every wrapper segment already
        // has support 4 and the one-offs support 1: least-used first evicts only one-offs).
        ulong[] popular = Enumerable.Range(0, 200).Select(_ => (ulong)random.NextInt64() | 1).ToArray();
        long order = 0;
        for (int round = 0; round < 50; round++)
        {
            foreach (ulong key in popular) table.Record(key, 12, 7, ++order, TemplateSegmentTable.Claim.None);
            for (int i = 0; i < 1000; i++) table.Record((ulong)random.NextInt64() | 1, 9, 8, ++order, TemplateSegmentTable.Claim.None);
        }
        List<TemplateSegment> all = table.Snapshot();
        Assert.Equal(table.Count, all.Count);
        Assert.True(all.Count <= 4096);
        foreach (TemplateSegment s in all)
        {
            Assert.True(table.TryGet(s.Key, out TemplateSegment found));
            Assert.Equal(s.Support, found.Support);
        }
        int kept = popular.Count(k => table.TryGet(k, out TemplateSegment s) && s.Support == 50);
        Assert.Equal(200, kept);
    }

    [Fact]
    public void Record_SameKeyOtherTemplate_CountsSupportNotOwner()
    {
        var table = new TemplateSegmentTable(1024);
        Assert.Equal(1, table.Record(42, 5, 1, 1, TemplateSegmentTable.Claim.None));
        Assert.Equal(2, table.Record(42, 5, 1, 2, TemplateSegmentTable.Claim.None));
        Assert.Equal(0, table.Record(42, 5, 2, 3, TemplateSegmentTable.Claim.None));
        Assert.Equal(1, table.Record(42, 5, 3, 4, TemplateSegmentTable.Claim.Afresh)); // template 1 evicted
        Assert.True(table.TryGet(42, out TemplateSegment s));
        Assert.Equal((3L, 1, 1, 4L), (s.Owner, s.OwnerCount, s.Support, s.LastSeen)); // the evicted owner's support is not the new owner's
    }

    [Fact]
    public void Record_AfreshClaimOfASpreadSegment_MovesOwnerAndCountsSupportAfresh()
    {
        var table = new TemplateSegmentTable(1024);
        for (int i = 1; i <= 5; i++) table.Record(42, 5, i == 1 ? 1 : 2, i, TemplateSegmentTable.Claim.None);
        Assert.Equal(1, table.Record(42, 5, 9, 6, TemplateSegmentTable.Claim.Afresh));
        Assert.Equal(2, table.Record(42, 5, 9, 7, TemplateSegmentTable.Claim.None));
        Assert.True(table.TryGet(42, out TemplateSegment s));
        Assert.Equal((9L, 2, 2, 7L), (s.Owner, s.OwnerCount, s.Support, s.LastSeen));
    }

    [Fact]
    public void Merge_EvictedOwnerOnEitherSide_CountsOnlyTheLiveOwnersPrompts()
    {
        // Templates 1 and 2 are alive, 9 was evicted. Each case: our segment (owner, owner count, support), theirs.
        static TemplateSegment Merged(long ours, int ourCount, int ourSupport, long theirs, int theirCount, int theirSupport)
        {
            var table = new TemplateSegmentTable(1024);
            for (int i = 1; i <= ourSupport; i++) table.Record(42, 5, i <= ourCount ? ours : 3, i, TemplateSegmentTable.Claim.None);
            table.Merge(new TemplateSegment { Key = 42, Owner = theirs, OwnerCount = theirCount, Support = theirSupport, LastSeen = 100, Words = 5 }, id => id is 1 or 2);
            Assert.True(table.TryGet(42, out TemplateSegment s));
            Assert.Equal(100, s.LastSeen);
            return s;
        }
        TemplateSegment deadOurs = Merged(9, 40, 50, 1, 3, 4);
        Assert.Equal((1L, 3, 4), (deadOurs.Owner, deadOurs.OwnerCount, deadOurs.Support));
        TemplateSegment deadTheirs = Merged(1, 3, 4, 9, 40, 50);
        Assert.Equal((1L, 3, 4), (deadTheirs.Owner, deadTheirs.OwnerCount, deadTheirs.Support));
        TemplateSegment bothAlive = Merged(1, 3, 4, 2, 5, 6);
        Assert.Equal((2L, 5, 10), (bothAlive.Owner, bothAlive.OwnerCount, bothAlive.Support));
        TemplateSegment same = Merged(1, 3, 4, 1, 5, 6);
        Assert.Equal((1L, 8, 10), (same.Owner, same.OwnerCount, same.Support));
    }
}
