using DistillDetect.RatePatterns;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace DistillDetect.Tests.RatePatterns;

/// <summary>Merging parts whose time ranges overlap (or contain one another) must leave a consistent, serializable state.</summary>
public class InterArrivalMergeOverlapTests
{
    [Property(MaxTest = 200)]
    public Property Merge_OverlappingOrContainedRanges_StateStaysConsistentAndRoundTrips(PositiveInt seed)
    {
        var rng = new Random(seed.Get);
        long start = new DateTime(2026, 4, 22, 0, 0, 0, DateTimeKind.Utc).Ticks;
        var a = new AccountTiming();
        var b = new AccountTiming();
        int na = rng.Next(1, 80), nb = rng.Next(1, 80);
        // b's range lies inside a's, overlaps its end, or precedes it, depending on the offset.
        long offset = rng.Next(-3600, 7200) * TimeSpan.TicksPerSecond;
        long t = start;
        for (int i = 0; i < na; i++) a.Add(t += rng.Next(1, 600) * TimeSpan.TicksPerSecond);
        t = start + offset;
        for (int i = 0; i < nb; i++) b.Add(t += rng.Next(1, 300) * TimeSpan.TicksPerSecond);
        a.Merge(b);
        AccountTiming restored = AccountTiming.FromBytes(a.ToBytes());
        TimingSummary s = restored.GetSummary();
        return (restored.Count == na + nb
                && s.Count == na + nb
                && (s.Count < 2 || s.MeanGapSeconds > 0))
            .Label($"count {restored.Count} of {na + nb}");
    }

    [Fact]
    public void Merge_ContainedRange_KeepsBothPartsRecentGaps()
    {
        long start = new DateTime(2026, 4, 22, 0, 0, 0, DateTimeKind.Utc).Ticks;
        var outer = new AccountTiming();
        var inner = new AccountTiming();
        for (int i = 0; i < 10; i++) outer.Add(start + i * 100 * TimeSpan.TicksPerSecond);
        for (int i = 0; i < 4; i++) inner.Add(start + (300 + i) * TimeSpan.TicksPerSecond);
        outer.Merge(inner);
        Assert.Equal(14, outer.Count);
        Assert.Equal(14, AccountTiming.FromBytes(outer.ToBytes()).Count);
        Assert.Equal(1.0, outer.Gaps.MinGapSeconds, 9);
    }
}
