using DistillDetect.RatePatterns;
using DistillDetect.Serialization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace DistillDetect.Tests.RatePatterns;

public class SteadyHoursTests
{
    private const string Magic = "TEST";

    private static SteadyHours Feed(ReadOnlySpan<long> ticks)
    {
        var s = new SteadyHours();
        foreach (long t in ticks) s.Add(t);
        return s;
    }

    /// <summary>The definition: counts of the hours whose previous and next hours both had requests; days with requests.</summary>
    private static (int Hours, double Dispersion, int Days) Reference(ReadOnlySpan<long> ticks)
    {
        var days = new HashSet<long>();
        foreach (long t in ticks) days.Add(t / TimeSpan.TicksPerDay);
        var counts = new SortedDictionary<long, long>();
        foreach (long t in ticks) counts[t / TimeSpan.TicksPerHour] = counts.GetValueOrDefault(t / TimeSpan.TicksPerHour) + 1;
        var interior = counts.Where(c => counts.ContainsKey(c.Key - 1) && counts.ContainsKey(c.Key + 1)).Select(c => (double)c.Value).ToList();
        if (interior.Count < 2) return (interior.Count, double.NaN, days.Count);
        double mean = interior.Average();
        double variance = interior.Sum(c => (c - mean) * (c - mean)) / (interior.Count - 1);
        return (interior.Count, variance / mean, days.Count);
    }

    private static byte[] Bytes(in SteadyHours s)
    {
        var w = new StateWriter(Magic, 1);
        s.Write(w);
        return w.ToArray();
    }

    [Property(MaxTest = 100)]
    public bool Add_SortedStream_MatchesTheDefinition(PositiveInt seed, PositiveInt size)
    {
        long[] t = InterArrivalStatisticsTests.RandomStream(seed.Get, size.Get % 400 + 1);
        SteadyHours s = Feed(t);
        (int hours, double dispersion, int days) = Reference(t);
        Assert.Equal(hours, s.InteriorHours);
        Assert.Equal(days, s.ActiveDays);
        if (double.IsNaN(dispersion)) Assert.True(double.IsNaN(s.Dispersion));
        else Assert.Equal(dispersion, s.Dispersion, 1e-9 * Math.Max(1, dispersion));
        Assert.True(s.IsConsistent);
        return true;
    }

    [Property(MaxTest = 100)]
    public bool Dispersion_IsNonNegativeOrNaN_AndSteadyNeedsTheHours(PositiveInt seed, PositiveInt size, PositiveInt minHours)
    {
        SteadyHours s = Feed(InterArrivalStatisticsTests.RandomStream(seed.Get, size.Get % 400 + 1));
        Assert.True(double.IsNaN(s.Dispersion) || s.Dispersion >= 0);
        int k = minHours.Get % 50;
        if (s.InteriorHours < Math.Max(2, k)) Assert.False(s.IsSteady(k, 0));
        return true;
    }

    [Property(MaxTest = 60)]
    public bool Merge_PartsADayApart_EqualsTheConcatenatedStream(PositiveInt seed, PositiveInt size, PositiveInt split)
    {
        long[] t = InterArrivalStatisticsTests.RandomStream(seed.Get, size.Get % 300 + 1);
        int k = split.Get % (t.Length + 1);
        // Move the later part to a later calendar day, with at least one empty clock hour between the two parts.
        if (k > 0 && k < t.Length)
        {
            long start = (((t[k - 1] / TimeSpan.TicksPerDay) + 1) * TimeSpan.TicksPerDay) + (2 * TimeSpan.TicksPerHour);
            long shift = Math.Max(0, start - t[k]);
            for (int i = k; i < t.Length; i++) t[i] += shift;
        }
        SteadyHours whole = Feed(t);
        SteadyHours left = Feed(t.AsSpan(0, k));
        left.Merge(Feed(t.AsSpan(k)));
        SteadyHours right = Feed(t.AsSpan(k));
        right.Merge(Feed(t.AsSpan(0, k)));
        // Equal as far as any later request can tell: same interior figures, and the same after one more hour of requests.
        foreach (SteadyHours merged in new[] { left, right })
        {
            Assert.Equal(whole.InteriorHours, merged.InteriorHours);
            Assert.Equal(whole.ActiveDays, merged.ActiveDays);
            Assert.Equal(whole.Dispersion, merged.Dispersion, 1e-9);
            Assert.Equal(Bytes(whole), Bytes(merged));
        }
        return true;
    }

    [Property(MaxTest = 60)]
    public bool Merge_WithEmpty_IsIdentityOnEitherSide(PositiveInt seed, PositiveInt size)
    {
        SteadyHours s = Feed(InterArrivalStatisticsTests.RandomStream(seed.Get, size.Get % 300 + 1));
        SteadyHours a = s;
        a.Merge(new SteadyHours());
        var b = new SteadyHours();
        b.Merge(s);
        Assert.Equal(Bytes(s), Bytes(a));
        Assert.Equal(Bytes(s), Bytes(b));
        return true;
    }

    [Property(MaxTest = 60)]
    public bool WriteRead_RoundTrips(PositiveInt seed, PositiveInt size)
    {
        SteadyHours s = Feed(InterArrivalStatisticsTests.RandomStream(seed.Get, size.Get % 300 + 1));
        byte[] bytes = Bytes(s);
        var r = new StateReader(bytes, Magic, 1, "test");
        SteadyHours back = SteadyHours.Read(ref r);
        r.EnsureEnd();
        Assert.True(back.IsConsistent);
        Assert.Equal(bytes, Bytes(back));
        return true;
    }

    [Theory]
    [InlineData(-1L, 0, false, 0, 0, 0L, 0.0)]     // negative hour
    [InlineData(5L, 0, false, 1, 0, 0L, 0.0)]      // an open hour without requests
    [InlineData(0L, 3, false, 0, 0, 0L, 0.0)]      // requests without an open hour
    [InlineData(5L, 1, false, 0, 0, 0L, 0.0)]      // an open hour on no active day
    [InlineData(5L, 1, true, 1, 30, 40L, 60.0)]    // more interior hours than a day has
    [InlineData(5L, 1, true, 1, 4, 3L, 3.0)]       // fewer requests than interior hours
    [InlineData(5L, 1, true, 1, 2, 10L, 9.0)]      // sum of squares below the sum
    [InlineData(5L, 1, true, 1, 2, 10L, 101.0)]    // sum of squares above the squared sum
    [InlineData(5L, 1, true, 1, 2, 10L, double.NaN)]
    public void Read_ImpossibleCounts_AreNotConsistent(long hour, int open, bool follows, int days, int hours, long sum, double squares)
    {
        var w = new StateWriter(Magic, 1);
        w.WriteInt64(hour);
        w.WriteInt32(open);
        w.WriteBool(follows);
        w.WriteInt32(days);
        w.WriteInt32(hours);
        w.WriteInt64(sum);
        w.WriteDouble(squares);
        byte[] bytes = w.ToArray();
        var r = new StateReader(bytes, Magic, 1, "test");
        Assert.False(SteadyHours.Read(ref r).IsConsistent);
    }

    /// <summary>
    /// Poisson requests in a daily shift are steady. The test's bound is three standard deviations of the dispersion
    /// of Poisson counts (sqrt(2 / (k - 1))), so about 0.1-0.5 % of steady streams are rejected by chance: of 20
    /// fixed-seed streams, at most one may be (two or more has probability about 0.5 %).
    /// </summary>
    [Fact]
    public void IsSteady_PoissonInAShift_Accepted()
    {
        int rejected = 0;
        for (int seed = 1; seed <= 20; seed++)
        {
            SteadyHours s = Feed(TimingGenerators.ShiftWork(seed, days: 14, startHour: 6, endHour: 16, meanSeconds: 400));
            Assert.InRange(s.InteriorHours, 60, 100); // 10 weekdays of a 10-hour shift: 8 interior hours each, some hours empty by chance
            if (!s.IsSteady(12, 4)) rejected++;
        }
        Assert.InRange(rejected, 0, 1);
    }

    [Fact]
    public void IsSteady_JitteredIntervalRoundTheClock_AcceptedWithDispersionNearZero()
    {
        SteadyHours s = Feed(TimingGenerators.JitteredInterval(7, 2000, intervalSeconds: 300, jitter: 0.5));
        Assert.True(s.IsSteady(12, 4));
        // 12 requests an hour, each hour's count 11 to 13 at most: far below Poisson's 1.
        Assert.InRange(s.Dispersion, 0, 0.2);
    }

    /// <summary>Even counts in a stretch of three hours a day: steady by dispersion, but one interior hour a day is no shift.</summary>
    [Fact]
    public void IsSteady_ShortDailyStretches_NeedTheHoursPerDay()
    {
        SteadyHours s = Feed(TimingGenerators.ShiftWork(4, days: 60, startHour: 9, endHour: 12, meanSeconds: 300));
        Assert.InRange(s.InteriorHours, 30, 45); // 43 weekdays, one interior hour each unless an hour happens to be empty
        Assert.InRange((double)s.InteriorHours / s.ActiveDays, 0.6, 1.0);
        Assert.True(s.IsSteady(12, 0));
        Assert.False(s.IsSteady(12, 4));
    }

    /// <summary>A person's sittings (several requests seconds apart, then a pause) make hours of very different counts.</summary>
    [Fact]
    public void IsSteady_HumanSittings_Rejected()
    {
        int measured = 0;
        for (int seed = 1; seed <= 10; seed++)
        {
            SteadyHours s = Feed(TimingGenerators.Human(seed, days: 60));
            if (s.InteriorHours < 12) continue;
            measured++;
            Assert.False(s.IsSteady(12, 4), $"seed {seed}: {s.InteriorHours} hours, dispersion {s.Dispersion}");
            Assert.True(s.Dispersion > 2, $"seed {seed}: dispersion {s.Dispersion}");
        }
        // The test means something only if most people had enough interior hours to be measured.
        Assert.InRange(measured, 8, 10);
    }

    [Fact]
    public void Add_LateRequest_CountsInTheOpenHour()
    {
        long h = TimingGenerators.Monday2024;
        var s = new SteadyHours();
        for (int hour = 0; hour < 4; hour++) s.Add(h + (hour * TimeSpan.TicksPerHour));
        s.Add(h); // three hours late: counted in hour 3, still open
        s.Add(h + (4 * TimeSpan.TicksPerHour));
        // Hours 1 and 2 were interior with 1 request each; hour 3 (2 requests) closes now.
        Assert.Equal(3, s.InteriorHours);
        Assert.True(s.IsConsistent);
    }

    [Fact]
    public void Add_IsAllocationFree()
    {
        long[] t = TimingGenerators.Poisson(3, 10_000, 30);
        var s = new SteadyHours();
        s.Add(t[0]);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 1; i < t.Length; i++) s.Add(t[i]);
        long after = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(0, after - before);
        Assert.True(s.InteriorHours > 0);
    }
}
