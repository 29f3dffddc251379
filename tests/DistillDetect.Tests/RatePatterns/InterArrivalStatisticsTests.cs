using DistillDetect.RatePatterns;
using DistillDetect.Serialization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace DistillDetect.Tests.RatePatterns;

public class InterArrivalStatisticsTests
{
    private static readonly long Base = TimingGenerators.Monday2024;

    /// <summary>A random sorted stream: mixtures of duplicates, sub-second bursts, minutes and days between requests.</summary>
    internal static long[] RandomStream(int seed, int count)
    {
        var rng = new Random(seed);
        var t = new long[count];
        long now = Base + rng.NextInt64(0, TimeSpan.TicksPerDay * 30);
        for (int i = 0; i < count; i++)
        {
            t[i] = now;
            now += rng.Next(6) switch
            {
                0 => 0,
                1 => rng.NextInt64(1, TimeSpan.TicksPerSecond),
                2 => rng.NextInt64(TimeSpan.TicksPerSecond, TimeSpan.TicksPerMinute * 5),
                3 => rng.NextInt64(TimeSpan.TicksPerMinute, TimeSpan.TicksPerHour * 3),
                4 => rng.NextInt64(TimeSpan.TicksPerHour, TimeSpan.TicksPerDay * 3),
                _ => rng.NextInt64(1, TimeSpan.TicksPerMinute),
            };
        }
        return t;
    }

    internal static void SameSummary(TimingSummary a, TimingSummary b, double relative = 1e-9)
    {
        Assert.Equal(a.Count, b.Count);
        Assert.Equal(a.First, b.First);
        Assert.Equal(a.Last, b.Last);
        Assert.Equal(a.DroppedOutOfOrder, b.DroppedOutOfOrder);
        Assert.Equal(a.HourBins, b.HourBins);
        Assert.Equal(a.ActiveDays, b.ActiveDays);
        Assert.Equal(a.TestSampleSize, b.TestSampleSize);
        double[] x =
        [
            a.MeanGapSeconds, a.GapStandardDeviationSeconds, a.CoefficientOfVariation, a.Burstiness, a.BurstinessCorrected, a.Memory,
            a.MinGapSeconds, a.GapEntropyBits, a.ConditionalEntropyBits, a.PeriodSeconds, a.PeriodStrength, a.KsExponentialD,
            a.KsExponentialP, a.KsLillieforsP, a.DispersionIndex, a.DispersionPValue, a.HourOfDayEntropyBits, a.HourOfWeekEntropyBits,
        ];
        double[] y =
        [
            b.MeanGapSeconds, b.GapStandardDeviationSeconds, b.CoefficientOfVariation, b.Burstiness, b.BurstinessCorrected, b.Memory,
            b.MinGapSeconds, b.GapEntropyBits, b.ConditionalEntropyBits, b.PeriodSeconds, b.PeriodStrength, b.KsExponentialD,
            b.KsExponentialP, b.KsLillieforsP, b.DispersionIndex, b.DispersionPValue, b.HourOfDayEntropyBits, b.HourOfWeekEntropyBits,
        ];
        for (int i = 0; i < x.Length; i++)
        {
            if (double.IsNaN(x[i]) || double.IsNaN(y[i]))
            {
                Assert.True(double.IsNaN(x[i]) && double.IsNaN(y[i]), $"figure {i}: {x[i]} vs {y[i]}");
                continue;
            }
            // Merged moments differ from streamed ones by rounding only: Welford and Chan are backward
            // stable, so the relative difference is a few ulps times log(n); the memory coefficient and
            // p-values inherit it. Near-zero figures get an absolute floor.
            Assert.True(Math.Abs(x[i] - y[i]) <= relative * Math.Max(Math.Abs(x[i]), 1e-3), $"figure {i}: {x[i]:R} vs {y[i]:R}");
        }
    }

    private static AccountTiming Feed(ReadOnlySpan<long> ticks, TimeSpan window = default, int capacity = 8)
    {
        var a = new AccountTiming(window == default ? InterArrivalStatistics.DefaultReorderWindow : window, capacity);
        foreach (long t in ticks) a.Add(t);
        return a;
    }

    [Fact]
    public void Add_SimpleSequence_MomentsAsDefined()
    {
        var s = new InterArrivalStatistics();
        long[] t = [Base, Base + 10 * TimeSpan.TicksPerSecond, Base + 30 * TimeSpan.TicksPerSecond, Base + 60 * TimeSpan.TicksPerSecond];
        foreach (long x in t) Assert.True(s.Add(x));
        Assert.Equal(4, s.Count);
        Assert.Equal(20.0, s.MeanGapSeconds, 12);
        Assert.Equal(100.0, s.GapVarianceSeconds2, 9); // gaps 10, 20, 30: sample variance 100
        Assert.Equal(10.0, s.MinGapSeconds, 12);
        Assert.Equal(new DateTimeOffset(Base, TimeSpan.Zero), s.First);
        Assert.Equal(new DateTimeOffset(t[^1], TimeSpan.Zero), s.Last);
    }

    [Fact]
    public void Add_OlderThanWindow_CountedAndDropped()
    {
        var s = new InterArrivalStatistics(TimeSpan.FromSeconds(2), 4);
        Assert.True(s.Add(Base + 10 * TimeSpan.TicksPerSecond));
        Assert.True(s.Add(Base + 9 * TimeSpan.TicksPerSecond)); // 1 s late: reordered
        Assert.False(s.Add(Base + 7 * TimeSpan.TicksPerSecond)); // 3 s late: dropped
        Assert.False(s.Add(-5));
        Assert.False(s.Add(long.MaxValue));
        Assert.Equal(2, s.Count);
        Assert.Equal(1, s.DroppedOutOfOrder);
        Assert.Equal(2, s.DroppedInvalid);
        Assert.Equal(1.0, s.MeanGapSeconds, 12);
    }

    [Fact]
    public void Add_Duplicates_ZeroGapsKept()
    {
        var s = new InterArrivalStatistics(TimeSpan.Zero, 0);
        for (int i = 0; i < 5; i++) s.Add(Base);
        Assert.Equal(5, s.Count);
        Assert.Equal(0.0, s.MeanGapSeconds);
        Assert.Equal(0.0, s.MinGapSeconds);
        var timing = Feed([Base, Base, Base, Base]);
        TimingSummary summary = timing.GetSummary();
        Assert.True(double.IsNaN(summary.CoefficientOfVariation)); // 0/0
        Assert.True(double.IsNaN(summary.KsExponentialD)); // no exponential with mean 0
    }

    [Fact]
    public void GetSummary_FewerThanThree_NaNWhereUndefined()
    {
        Assert.Equal(0, Feed([]).GetSummary().Count);
        Assert.Null(Feed([]).GetSummary().First);
        TimingSummary one = Feed([Base]).GetSummary();
        Assert.True(double.IsNaN(one.MeanGapSeconds));
        Assert.Equal(0, one.HourOfDayEntropyBits);
        Assert.Equal(1, one.ActiveDays);
        TimingSummary two = Feed([Base, Base + TimeSpan.TicksPerMinute]).GetSummary();
        Assert.Equal(60, two.MeanGapSeconds, 12);
        Assert.True(double.IsNaN(two.CoefficientOfVariation));
        Assert.True(double.IsNaN(two.Burstiness));
        Assert.True(double.IsNaN(two.KsExponentialP));
        Assert.True(double.IsNaN(two.DispersionIndex));
        Assert.True(double.IsNaN(two.PeriodSeconds));
    }

    [Fact]
    public void Add_Warm_AllocatesNothing()
    {
        var timing = new AccountTiming();
        long[] t = RandomStream(3, 4096);
        for (int i = 0; i < 1000; i++) timing.Add(t[i]);
        int next = 1000;
        long allocated = Allocations.Fewest(() =>
        {
            for (int end = next + 600; next < end; next++) timing.Add(t[next]);
            timing.Add(t[0]); // dropped: also free
        });
        Assert.Equal(0, allocated);
    }

    [Property(MaxTest = 60)]
    public bool Merge_SplitStream_EqualsConcatenatedStream(PositiveInt seed, PositiveInt size, PositiveInt split)
    {
        int n = size.Get % 300 + 1;
        long[] t = RandomStream(seed.Get, n);
        int k = split.Get % (n + 1);
        AccountTiming whole = Feed(t);
        AccountTiming left = Feed(t.AsSpan(0, k));
        AccountTiming right = Feed(t.AsSpan(k));
        left.Merge(right);
        SameSummary(whole.GetSummary(), left.GetSummary());
        // The other order (the later part merged with the earlier) gives the same state.
        AccountTiming right2 = Feed(t.AsSpan(k));
        right2.Merge(Feed(t.AsSpan(0, k)));
        SameSummary(whole.GetSummary(), right2.GetSummary());
        return true;
    }

    [Property(MaxTest = 60)]
    public bool Add_ShuffledWithinWindow_SameAsSorted(PositiveInt seed, PositiveInt size)
    {
        // Blocks of at most 8 (the capacity) timestamps spanning less than the window, shuffled inside
        // each block: every timestamp arrives within the window and the buffer never overflows.
        var rng = new Random(seed.Get);
        int n = size.Get % 400 + 1;
        long[] sorted = RandomStream(seed.Get, n);
        long[] shuffled = (long[])sorted.Clone();
        var window = TimeSpan.FromMinutes(10);
        int i = 0;
        while (i < n)
        {
            int j = i + 1;
            while (j < n && j - i < 8 && shuffled[j] - shuffled[i] < window.Ticks) j++;
            rng.Shuffle(shuffled.AsSpan(i, j - i));
            i = j;
        }
        SameSummary(Feed(sorted, window).GetSummary(), Feed(shuffled, window).GetSummary(), 0);
        return Feed(shuffled, window).GetSummary().DroppedOutOfOrder == 0;
    }

    [Property(MaxTest = 60)]
    public bool ToBytes_RoundTrip_SameStateAndSameFuture(PositiveInt seed, PositiveInt size)
    {
        long[] t = RandomStream(seed.Get, size.Get % 200 + 1);
        int half = t.Length / 2;
        AccountTiming a = Feed(t.AsSpan(0, half));
        AccountTiming b = AccountTiming.FromBytes(a.ToBytes());
        Assert.Equal(a.ToBytes(), b.ToBytes());
        // The restored state continues exactly like the original (reorder buffer included).
        for (int i = half; i < t.Length; i++)
        {
            a.Add(t[i]);
            b.Add(t[i]);
        }
        SameSummary(a.GetSummary(), b.GetSummary(), 0);
        InterArrivalStatistics g = InterArrivalStatistics.FromBytes(a.Gaps.ToBytes());
        Assert.Equal(a.Gaps.ToBytes(), g.ToBytes());
        return true;
    }

    [Property(MaxTest = 100)]
    public bool Add_AdversarialTimestamps_NeverThrows(PositiveInt seed)
    {
        var rng = new Random(seed.Get);
        var timing = new AccountTiming(TimeSpan.FromTicks(rng.NextInt64(0, TimeSpan.TicksPerDay)), rng.Next(0, 9));
        long[] special = [long.MinValue, long.MaxValue, 0, 1, -1, DateTime.MaxValue.Ticks, DateTime.MaxValue.Ticks + 1, DateTime.MinValue.Ticks, Base, Base];
        for (int i = 0; i < 300; i++)
        {
            long t = rng.Next(5) switch
            {
                0 => special[rng.Next(special.Length)],
                1 => rng.NextInt64(long.MinValue, long.MaxValue),
                2 => Base - i * 1000L, // decreasing
                3 => Base, // a huge burst of duplicates
                _ => rng.NextInt64(0, DateTime.MaxValue.Ticks),
            };
            timing.Add(t);
        }
        TimingSummary s = timing.GetSummary();
        AccountTiming copy = AccountTiming.FromBytes(timing.ToBytes());
        copy.Merge(timing);
        copy.GetSummary();
        return s.Count + s.DroppedOutOfOrder + timing.Gaps.DroppedInvalid == 300;
    }

    [Fact]
    public void FromBytes_CorruptOrForeign_ThrowsInvalidData()
    {
        byte[] data = Feed(RandomStream(5, 50)).ToBytes();
        byte[] flipped = (byte[])data.Clone();
        flipped[20] ^= 1;
        Assert.Throws<InvalidDataException>(() => AccountTiming.FromBytes(flipped));
        Assert.Throws<InvalidDataException>(() => AccountTiming.FromBytes(data.AsSpan(0, data.Length - 3)));
        Assert.Throws<InvalidDataException>(() => InterArrivalStatistics.FromBytes(data));
        Assert.Throws<InvalidDataException>(() => ActivityHistogram.FromBytes(data));
    }

    [Fact]
    public void Memory_PerAccountState_WithinDocumentedBudget()
    {
        // The documented figures: 632 B of inter-arrival state (the 616 B inline struct plus a 16 B object
        // header and method-table pointer) and 1,072 B for a whole AccountTiming; the account profile
        // must fit in 2 KB with other things.
        int core = System.Runtime.CompilerServices.Unsafe.SizeOf<InterArrivalState>();
        Assert.Equal(616, core);
        AccountTiming? timing = null;
        long allocated = Allocations.Fewest(() => timing = new AccountTiming());
        GC.KeepAlive(timing);
        Assert.Equal(1072, allocated);
        Assert.Equal(AccountTiming.MemoryBytes, allocated);
    }

    [Fact]
    public void Merge_DifferentReorderParameters_Throws()
    {
        var a = new InterArrivalStatistics(TimeSpan.FromSeconds(1), 8);
        var b = new InterArrivalStatistics(TimeSpan.FromSeconds(2), 8);
        Assert.Throws<ArgumentException>(() => a.Merge(b));
        Assert.Throws<ArgumentOutOfRangeException>(() => new InterArrivalStatistics(TimeSpan.FromSeconds(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new InterArrivalStatistics(TimeSpan.Zero, 9));
    }

    [Fact]
    public void Merge_OverlappingRanges_PoolsEachPartsGaps()
    {
        // Two gateways each see every other request of a 10 s schedule: each part has 20 s gaps.
        long[] t = TimingGenerators.JitteredInterval(1, 100, 10, 0);
        var even = new AccountTiming();
        var odd = new AccountTiming();
        for (int i = 0; i < t.Length; i++) (i % 2 == 0 ? even : odd).Add(t[i]);
        even.Merge(odd);
        TimingSummary s = even.GetSummary();
        Assert.Equal(100, s.Count);
        Assert.Equal(20.0, s.MeanGapSeconds, 9);
        Assert.Equal(t[0], s.First!.Value.UtcTicks);
        Assert.Equal(t[^1], s.Last!.Value.UtcTicks);
    }

    [Fact]
    public void Properties_PendingTimestamps_EqualTheFlushedSummaryWithoutAllocating()
    {
        // With the default 1 s window the newest timestamps stay pending; the property reads apply them to
        // scalar copies instead of copying the state, and must give the summary's figures bit for bit.
        long[] t = RandomStream(21, 500);
        for (int i = 0; i < t.Length; i++) t[i] = Base + i * TimeSpan.TicksPerSecond / 4 + (t[i] % 1000);
        Array.Sort(t);
        var timing = new AccountTiming();
        foreach (long x in t) timing.Add(x);
        InterArrivalStatistics g = timing.Gaps;
        Assert.True(g.State.Pending > 1, $"{g.State.Pending} pending");
        TimingSummary s = timing.GetSummary();
        Assert.Equal(s.Count, g.Count);
        Assert.Equal(s.First, g.First);
        Assert.Equal(s.Last, g.Last);
        Assert.Equal(s.MeanGapSeconds, g.MeanGapSeconds);
        Assert.Equal(s.MinGapSeconds, g.MinGapSeconds);
        Assert.Equal(s.GapStandardDeviationSeconds, Math.Sqrt(g.GapVarianceSeconds2));
        double sink = 0;
        for (int i = 0; i < 100; i++) sink += g.MeanGapSeconds + g.GapVarianceSeconds2 + g.MinGapSeconds;
        long allocated = Allocations.Fewest(() =>
        {
            for (int i = 0; i < 1000; i++) sink += g.MeanGapSeconds + g.GapVarianceSeconds2 + g.MinGapSeconds + g.Last!.Value.Ticks;
        });
        Assert.Equal(0, allocated);
        Assert.False(double.IsNaN(sink));
    }

    [Fact]
    public void FromBytes_AccountTimingVersion1_ReadsTheSameState()
    {
        // Version 1 of the account timing nests the version-1 histogram layout (32-bit hour counters).
        AccountTiming a = Feed(RandomStream(23, 700));
        byte[] v2 = a.ToBytes();
        var w = new StateWriter(AccountTiming.Magic, 1);
        InterArrivalStatistics.Write(w, a.Gaps.State);
        byte[] histogram = a.Activity.ToBytes();
        ActivityHistogramTests.WriteVersion1Payload(w, histogram.AsSpan(StateReader.HeaderLength, histogram.Length - StateReader.HeaderLength - 4));
        AccountTiming back = AccountTiming.FromBytes(w.ToArray());
        Assert.Equal(v2, back.ToBytes());
        Assert.Equal(a.GetSummary(), back.GetSummary());
    }
}
