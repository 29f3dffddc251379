using DistillDetect.RatePatterns;
using DistillDetect.Serialization;

namespace DistillDetect.Tests.RatePatterns;

public class RateWindowsTests
{
    private static readonly long Start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;

    private static readonly (string Name, long BucketTicks, int Buckets)[] Windows =
    [
        ("minute", TimeSpan.TicksPerSecond, 60),
        ("hour", TimeSpan.TicksPerMinute, 60),
        ("day", 30 * TimeSpan.TicksPerMinute, 48),
    ];

    private static long Get(RateWindows w, int window, long asOf) => window switch
    {
        0 => w.GetMinuteCount(asOf),
        1 => w.GetHourCount(asOf),
        _ => w.GetDayCount(asOf),
    };

    // The naive, obviously correct model: every accepted timestamp in a list.
    private sealed class Naive
    {
        public readonly List<long> Accepted = [];
        public long Ignored;
        public long NewestDayBucket = -1;

        public void Add(long ticks)
        {
            long dayBucket = ticks / (30 * TimeSpan.TicksPerMinute);
            if (ticks < 0 || ticks > DateTime.MaxValue.Ticks || dayBucket <= NewestDayBucket - 48)
            {
                Ignored++;
                return;
            }
            Accepted.Add(ticks);
            NewestDayBucket = Math.Max(NewestDayBucket, dayBucket);
        }

        public long InBuckets(long bucketTicks, long firstBucket, long lastBucket) =>
            Accepted.Count(t => t / bucketTicks >= firstBucket && t / bucketTicks <= lastBucket);

        public long Exact(long asOf, long windowTicks) => Accepted.Count(t => t > asOf - windowTicks && t <= asOf);
    }

    // Mostly increasing times with bursts and pauses; 10 % of events arrive late by up to 30 hours (some of them
    // beyond the day ring), and a few carry impossible ticks.
    private static List<long> Stream(int seed, int n)
    {
        var random = new Random(seed);
        var times = new List<long>(n);
        long now = Start;
        for (int i = 0; i < n; i++)
        {
            double meanGapSeconds = random.Next(4) switch { 0 => 0.2, 1 => 2, 2 => 30, _ => random.NextDouble() < 0.02 ? 20_000 : 5 };
            now += (long)(-Math.Log(1 - random.NextDouble()) * meanGapSeconds * TimeSpan.TicksPerSecond);
            long t = now;
            double roll = random.NextDouble();
            if (roll < 0.1) t -= (long)(random.NextDouble() * 30 * TimeSpan.TicksPerHour);
            else if (roll < 0.102) t = random.Next(2) == 0 ? -1 - random.Next(1000) : long.MaxValue - random.Next(1000);
            times.Add(t);
        }
        return times;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Counts_RandomStream_EqualBucketedModelAndWithinOneBucketOfExact(int seed)
    {
        var windows = new RateWindows();
        var naive = new Naive();
        var random = new Random(seed + 100);
        List<long> stream = Stream(seed, 8000);
        int queries = 0;
        for (int i = 0; i < stream.Count; i++)
        {
            windows.Add(stream[i]);
            naive.Add(stream[i]);
            if (i % 53 != 0 || naive.Accepted.Count == 0) continue;
            long newest = naive.Accepted.Max();
            Assert.Equal(newest, windows.NewestUtcTicks);
            foreach (long asOf in new[] { newest, newest + (long)(random.NextDouble() * 2 * TimeSpan.TicksPerMinute), newest + (long)(random.NextDouble() * 2 * TimeSpan.TicksPerDay) })
            {
                for (int w = 0; w < Windows.Length; w++)
                {
                    var (name, bucketTicks, buckets) = Windows[w];
                    long current = asOf / bucketTicks;
                    long actual = Get(windows, w, asOf);
                    Assert.Equal(naive.InBuckets(bucketTicks, current - buckets + 1, current), actual);
                    // The stated bound: never above the exact sliding count, short of it by at most the bucket sliding out.
                    long exact = naive.Exact(asOf, bucketTicks * buckets);
                    long slidingOut = naive.InBuckets(bucketTicks, current - buckets, current - buckets);
                    Assert.True(actual <= exact && exact - actual <= slidingOut, $"{name} as of {asOf}: {actual} vs exact {exact}, sliding-out bucket {slidingOut}");
                    queries++;
                }
            }
            Assert.Equal(naive.InBuckets(TimeSpan.TicksPerSecond, newest / TimeSpan.TicksPerSecond - 59, newest / TimeSpan.TicksPerSecond), windows.MinuteCount);
            Assert.Equal(windows.GetHourCount(newest), windows.HourCount);
            Assert.Equal(windows.GetDayCount(newest), windows.DayCount);
        }
        Assert.Equal(naive.Accepted.Count, windows.AcceptedCount);
        Assert.Equal(naive.Ignored, windows.IgnoredCount);
        Assert.True(naive.Ignored > 50 && queries > 1000, $"ignored {naive.Ignored}, queries {queries}");
    }

    [Fact]
    public void Add_DateTimeOffset_EqualsUtcTicks()
    {
        var a = new RateWindows();
        var b = new RateWindows();
        var t = new DateTimeOffset(2026, 3, 1, 12, 0, 30, TimeSpan.FromHours(5));
        a.Add(t);
        a.Add(t.AddSeconds(10));
        b.Add(t.UtcTicks);
        b.Add(t.AddSeconds(10).UtcTicks);
        Assert.Equal(b.ToBytes(), a.ToBytes());
        Assert.Equal(2, a.MinuteCount);
        Assert.Equal(0, a.GetMinuteCount(t.AddSeconds(71).UtcTicks));
        Assert.Equal(1, a.GetMinuteCount(t.AddSeconds(69).UtcTicks));
    }

    [Fact]
    public void Add_AdversarialTimestamps_NeverThrow()
    {
        var w = new RateWindows();
        foreach (long t in new[] { long.MinValue, -1, 0, 0, 1, DateTime.MaxValue.Ticks, DateTime.MaxValue.Ticks, long.MaxValue, 5, Start })
            w.Add(t);
        Assert.Equal(5, w.AcceptedCount); // 0, 0, 1, max, max; then 5 and Start are far older than the day ring
        Assert.Equal(3 + 2, w.IgnoredCount);
        Assert.Equal(DateTime.MaxValue.Ticks, w.NewestUtcTicks);
        Assert.Equal(2, w.MinuteCount);
        Assert.Throws<ArgumentOutOfRangeException>(() => w.GetDayCount(-1));
    }

    [Fact]
    public void Add_Burst_CountsEveryEvent()
    {
        var w = new RateWindows();
        for (int i = 0; i < 1_000_000; i++) w.Add(Start + i); // one million events within 0.1 s
        Assert.Equal(1_000_000, w.MinuteCount);
        Assert.Equal(1_000_000, w.DayCount);
    }

    [Fact]
    public void Add_Warm_AllocatesNothing()
    {
        var w = new RateWindows();
        List<long> stream = Stream(7, 20_000);
        foreach (long t in stream) w.Add(t);
        long allocated = Allocations.Fewest(() =>
        {
            w.Clear();
            foreach (long t in stream) w.Add(t);
        });
        Assert.Equal(0, allocated);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public void Merge_RandomSplit_AnswersAsTheWholeStream(int seed)
    {
        List<long> stream = Stream(seed, 6000);
        var random = new Random(seed);
        var whole = new RateWindows();
        var a = new RateWindows();
        var b = new RateWindows();
        foreach (long t in stream)
        {
            whole.Add(t);
            (random.Next(2) == 0 ? a : b).Add(t);
        }
        a.Merge(b);
        long newest = whole.NewestUtcTicks;
        Assert.Equal(newest, a.NewestUtcTicks);
        foreach (long asOf in new[] { newest, newest + TimeSpan.TicksPerSecond * 30, newest + TimeSpan.TicksPerMinute * 45, newest + TimeSpan.TicksPerHour * 20 })
            for (int w = 0; w < Windows.Length; w++)
                Assert.Equal(Get(whole, w, asOf), Get(a, w, asOf));
    }

    [Fact]
    public void Merge_WithItselfOrEmpty_DoublesOrKeeps()
    {
        var w = new RateWindows();
        for (int i = 0; i < 10; i++) w.Add(Start + i * TimeSpan.TicksPerSecond);
        w.Merge(new RateWindows());
        Assert.Equal(10, w.MinuteCount);
        w.Merge(w);
        Assert.Equal(20, w.MinuteCount);
        Assert.Equal(20, w.AcceptedCount);
        var empty = new RateWindows();
        empty.Merge(w);
        Assert.Equal(w.ToBytes(), empty.ToBytes());
    }

    [Fact]
    public void FromBytes_RoundTrip_SameAnswersAndBytes()
    {
        var w = new RateWindows();
        foreach (long t in Stream(8, 3000)) w.Add(t);
        byte[] bytes = w.ToBytes();
        RateWindows back = RateWindows.FromBytes(bytes);
        Assert.Equal(bytes, back.ToBytes());
        long newest = w.NewestUtcTicks;
        for (int i = 0; i < Windows.Length; i++)
            Assert.Equal(Get(w, i, newest + TimeSpan.TicksPerMinute * 10), Get(back, i, newest + TimeSpan.TicksPerMinute * 10));
        Assert.Equal(new RateWindows().ToBytes(), RateWindows.FromBytes(new RateWindows().ToBytes()).ToBytes());
    }

    [Fact]
    public void FromBytes_FlippedBitOrInconsistent_ThrowsInvalidData()
    {
        var w = new RateWindows();
        w.Add(Start);
        byte[] bytes = w.ToBytes();
        for (int i = 0; i < bytes.Length; i += 3)
        {
            byte[] copy = (byte[])bytes.Clone();
            copy[i] ^= 0x02;
            Assert.Throws<InvalidDataException>(() => RateWindows.FromBytes(copy));
        }
        Assert.Throws<InvalidDataException>(() => RateWindows.FromBytes(new DecayedRate(TimeSpan.FromMinutes(1)).ToBytes()));

        // A valid envelope whose rings hold more events than were accepted.
        var writer = new StateWriter("RWIN", 1);
        writer.WriteInt64(1);
        writer.WriteInt64(0);
        writer.WriteInt64(Start);
        foreach (var (_, bucketTicks, buckets) in Windows)
        {
            writer.WriteInt64(Start / bucketTicks);
            var counts = new uint[buckets];
            counts[0] = 2;
            writer.WriteUInt32s(counts);
        }
        Assert.Contains("more than", Assert.Throws<InvalidDataException>(() => RateWindows.FromBytes(writer.ToArray())).Message, StringComparison.Ordinal);
    }
}
