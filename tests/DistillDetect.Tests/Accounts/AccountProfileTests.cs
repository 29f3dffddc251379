using DistillDetect.Accounts;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace DistillDetect.Tests.Accounts;

public sealed class AccountProfileTests(ITestOutputHelper output)
{
    private static readonly long T0 = new DateTime(2026, 1, 5, 0, 0, 0, DateTimeKind.Utc).Ticks;

    internal static AccountProfile Build(IEnumerable<(long Template, long Ticks)> events, AccountProfileOptions? options = null)
    {
        var p = new AccountProfile(options);
        foreach (var (t, ticks) in events) p.Observe(t, ticks);
        return p;
    }

    private static List<(long, long)> Events(int seed, int count, int templates, long spacingSeconds = 60)
    {
        var rng = new Random(seed);
        var list = new List<(long, long)>(count);
        long t = T0 + rng.NextInt64(TimeSpan.TicksPerDay);
        for (int i = 0; i < count; i++)
        {
            t += (long)(spacingSeconds * (0.5 + rng.NextDouble()) * TimeSpan.TicksPerSecond);
            list.Add((rng.Next(templates), t));
        }
        return list;
    }

    [Fact]
    public void Observe_AfterWarmUp_AllocatesNothing()
    {
        var p = new AccountProfile();
        var events = Events(1, 20_000, 500);
        for (int i = 0; i < 1000; i++) p.Observe(events[i].Item1, events[i].Item2);
        int next = 1000;
        long allocated = Allocations.Fewest(() =>
        {
            for (int end = next + 3000; next < end; next++) p.Observe(events[next].Item1, events[next].Item2);
        });
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void ApproximateMemoryBytes_DefaultOptions_WithinBudgetAndStable()
    {
        var p = new AccountProfile();
        int atStart = p.ApproximateMemoryBytes;
        AccountProfile fresh = null!;
        long measured = Allocations.Fewest(() => fresh = new AccountProfile());
        foreach (var (t, ticks) in Events(2, 50_000, 5000)) p.Observe(t, ticks);
        byte[] bytes = p.ToBytes();
        output.WriteLine($"in memory {atStart} B (allocation of a fresh profile {measured} B), serialized {bytes.Length} B after 50,000 exchanges on 5,000 templates");
        // Everything a new profile allocates (the object, its word array, the timing state) is what
        // ApproximateMemoryBytes reports; the design budget is 2 KB per account, in memory and serialized.
        Assert.Equal(measured, fresh.ApproximateMemoryBytes);
        Assert.InRange(atStart, 1024, 2048);
        Assert.InRange(bytes.Length, 1024, 2048);
        Assert.Equal(atStart, p.ApproximateMemoryBytes);
    }

    [Fact]
    public void ToBytes_FullRecentRingAndReorderBuffer_WithinTwoKilobytes()
    {
        // The largest serialized profile with the default options: every one of the 32 recent gaps kept and 8
        // timestamps pending in the reorder buffer (the last 8 fall within its 1 s window); 1,955 + 8 x 8 bytes.
        var p = new AccountProfile();
        long t = T0;
        for (int i = 0; i < 100; i++) p.Observe(i % 7, t += TimeSpan.TicksPerMinute);
        for (int i = 0; i < 8; i++) p.Observe(3, t += TimeSpan.TicksPerMillisecond);
        Assert.Equal(8, p.Timing.Gaps.State.Pending);
        byte[] bytes = p.ToBytes();
        Assert.Equal(2019, bytes.Length);
        Assert.Equal(bytes, AccountProfile.FromBytes(bytes).ToBytes());
    }

    [Fact]
    public void Observe_Counters_TrackVolumeFirstLastAndTopTemplates()
    {
        var p = new AccountProfile();
        p.Observe(7, T0 + 100);
        p.Observe(7, T0 + 50);
        p.Observe(9, T0 + 300);
        Assert.Equal(3, p.Volume);
        Assert.Equal(T0 + 50, p.FirstSeenTicks);
        Assert.Equal(T0 + 300, p.LastSeenTicks);
        Span<TemplateUsage> top = stackalloc TemplateUsage[8];
        int n = p.GetTopTemplates(top);
        Assert.Equal(2, n);
        Assert.Equal(new TemplateUsage(7, 2), top[0]);
        Assert.Equal(new TemplateUsage(9, 1), top[1]);
    }

    [Fact]
    public void DistinctTemplates_TenTemplates_WithinLinearCountingError()
    {
        // Linear counting with m = 64 registers and n = 10: sd = sqrt(m (e^(n/m) - n/m - 1)) = 0.91 (Whang et al. 1990); 3 sd.
        var p = new AccountProfile();
        for (int i = 0; i < 10; i++) p.Observe(1000 + i, T0 + i);
        Assert.InRange(p.DistinctTemplates, 10 - 2.8, 10 + 2.8);
    }

    [Fact]
    public void DistinctTemplates_ManyTemplates_WithinHyperLogLogError()
    {
        // Above 2.5 m = 160 the raw estimator has standard error 1.04/sqrt(64) = 13 %: 3 sigma.
        var p = new AccountProfile();
        for (int i = 0; i < 2000; i++) p.Observe(i * 7919L, T0 + i * TimeSpan.TicksPerMinute);
        Assert.InRange(p.DistinctTemplates, 2000 * (1 - 3 * 0.13), 2000 * (1 + 3 * 0.13));
    }

    [Fact]
    public void Merge_TwoHalvesOfAStream_EqualsProfileOfWholeStream()
    {
        var events = Events(3, 3000, 40);
        AccountProfile whole = Build(events);
        AccountProfile first = Build(events.Take(1500));
        AccountProfile second = Build(events.Skip(1500));
        first.Merge(second);
        Assert.Equal(whole.Volume, first.Volume);
        Assert.Equal(whole.FirstSeenTicks, first.FirstSeenTicks);
        Assert.Equal(whole.LastSeenTicks, first.LastSeenTicks);
        Assert.True(whole.TemplateBins.SequenceEqual(first.TemplateBins));
        Assert.True(whole.SyncBins.SequenceEqual(first.SyncBins));
        Assert.True(whole.SyncWindows.SequenceEqual(first.SyncWindows));
        Assert.Equal(whole.DistinctTemplates, first.DistinctTemplates);
        Assert.Equal(whole.Timing.Count, first.Timing.Count);
        Assert.Equal(whole.MeanGapSeconds, first.MeanGapSeconds, 1e-9);
        // The usage sketch merges as the union of the two expanded multisets: each template weighs
        // max(c1, c2) instead of c1 + c2. With c1, c2 ~ Binomial(c, 1/2) and c ~ 75, the expected Jaccard with
        // the whole is about 0.5 + E|c1 - c2| / (2c) = 0.55; the 64-bin estimate has sd sqrt(J(1-J)/64) = 0.063: 3 sd.
        Assert.InRange(AccountSimilarity.UsageJaccard(whole, first), 0.55 - 0.19, 0.55 + 0.19);
    }

    [Property(MaxTest = 60)]
    public bool Merge_Sketches_CommutativeAndAssociative(int seedA, int seedB, int seedC)
    {
        AccountProfile A() => Build(Events(seedA, 50, 30));
        AccountProfile B() => Build(Events(seedB, 40, 30));
        AccountProfile C() => Build(Events(seedC, 30, 30));
        AccountProfile ab = A(); ab.Merge(B());
        AccountProfile ba = B(); ba.Merge(A());
        AccountProfile abC = A(); abC.Merge(B()); abC.Merge(C());
        AccountProfile bc = B(); bc.Merge(C());
        AccountProfile aBC = A(); aBC.Merge(bc);
        static bool Same(AccountProfile x, AccountProfile y) =>
            x.Volume == y.Volume && x.FirstSeenTicks == y.FirstSeenTicks && x.LastSeenTicks == y.LastSeenTicks
            && x.TemplateBins.SequenceEqual(y.TemplateBins) && x.UsageBins.SequenceEqual(y.UsageBins)
            && x.SyncBins.SequenceEqual(y.SyncBins) && x.SyncWindows.SequenceEqual(y.SyncWindows)
            && x.DistinctTemplates == y.DistinctTemplates;
        return Same(ab, ba) && Same(abC, aBC);
    }

    [Property(MaxTest = 40)]
    public bool Merge_WithEmpty_IsIdentity(int seed)
    {
        AccountProfile a = Build(Events(seed, 60, 20));
        AccountProfile b = Build(Events(seed, 60, 20));
        b.Merge(new AccountProfile());
        return a.Volume == b.Volume && a.FirstSeenTicks == b.FirstSeenTicks && a.LastSeenTicks == b.LastSeenTicks
            && a.TemplateBins.SequenceEqual(b.TemplateBins) && a.UsageBins.SequenceEqual(b.UsageBins)
            && a.SyncBins.SequenceEqual(b.SyncBins) && a.DistinctTemplates == b.DistinctTemplates
            && a.Timing.GetSummary().Count == b.Timing.GetSummary().Count && a.MeanGapSeconds == b.MeanGapSeconds;
    }

    [Property(MaxTest = 60)]
    public bool ToBytes_FromBytes_RoundTrips(int seed, PositiveInt count)
    {
        AccountProfile a = Build(Events(seed, count.Get % 500, 50));
        byte[] bytes = a.ToBytes();
        AccountProfile b = AccountProfile.FromBytes(bytes);
        return bytes.AsSpan().SequenceEqual(b.ToBytes()) && a.Volume == b.Volume
            && AccountSimilarity.Score(a, b) == AccountSimilarity.Score(a, a);
    }

    [Fact]
    public void FromBytes_CorruptTruncatedOrMismatched_ThrowsInvalidData()
    {
        byte[] bytes = Build(Events(4, 100, 10)).ToBytes();
        for (int i = 0; i < bytes.Length; i += 7)
        {
            byte[] corrupt = (byte[])bytes.Clone();
            corrupt[i] ^= 0x40;
            Assert.Throws<InvalidDataException>(() => AccountProfile.FromBytes(corrupt));
        }
        Assert.Throws<InvalidDataException>(() => AccountProfile.FromBytes(bytes.AsSpan(0, bytes.Length - 1)));
        var other = new AccountProfileOptions { TemplateHashCount = 16 };
        var e = Assert.Throws<InvalidDataException>(() => AccountProfile.FromBytes(bytes, other));
        Assert.Contains("TemplateHashCount", e.Message);
        var seeded = new AccountProfileOptions { Seed = 42 };
        e = Assert.Throws<InvalidDataException>(() => AccountProfile.FromBytes(bytes, seeded));
        Assert.Contains("seed", e.Message);
    }

    [Fact]
    public void Merge_DifferentOptions_ThrowsArgumentException()
    {
        var a = new AccountProfile();
        var b = new AccountProfile(new AccountProfileOptions { SynchronizationWindow = TimeSpan.FromMinutes(10) });
        Assert.Throws<ArgumentException>(() => a.Merge(b));
        Assert.Throws<ArgumentException>(() => AccountSimilarity.Score(a, b));
    }

    [Fact]
    public void Observe_AdversarialTimes_NeverThrows()
    {
        var p = new AccountProfile();
        foreach (long t in new[] { 0L, long.MaxValue, long.MinValue, -1L, DateTime.MaxValue.Ticks, T0, T0, T0 - 1 })
        {
            p.Observe(long.MinValue, t);
            p.Observe(long.MaxValue, t);
        }
        Assert.Equal(16, p.Volume);
        _ = p.ToBytes();
        Assert.InRange(AccountSimilarity.Score(p, p), 0, 1);
    }

    [Fact]
    public void Options_OutOfRange_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new AccountProfile(new AccountProfileOptions { TemplateHashCount = 4 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AccountProfile(new AccountProfileOptions { SynchronizationWindow = TimeSpan.FromSeconds(1) }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AccountProfile(new AccountProfileOptions { DistinctTemplatePrecision = 3 }));
    }
}
