using DistillDetect.Cli.Simulation;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace DistillDetect.Tests.Cli.Simulation;

public class SimulationPrimitivesTests
{
    [Fact]
    public void SplitMix64_KnownAnswers_MatchTheReferenceAlgorithm()
    {
        // Reference values of splitmix64.c (Vigna) for seeds 0 and 1234567, computed independently.
        var a = new SplitMix64(0);
        Assert.Equal(0xE220A8397B1DCDAFUL, a.NextUInt64());
        Assert.Equal(0x6E789E6AA1B965F4UL, a.NextUInt64());
        Assert.Equal(0x06C45D188009454FUL, a.NextUInt64());
        var b = new SplitMix64(1234567);
        Assert.Equal(0x599ED017FB08FC85UL, b.NextUInt64());
        Assert.Equal(0x2C73F08458540FA5UL, b.NextUInt64());
        Assert.Equal(0x883EBCE5A3F27C77UL, b.NextUInt64());
    }

    [Fact]
    public void SplitMix64_UniformDraws_HaveTheRightMeans()
    {
        var rng = new SplitMix64(77);
        const int n = 200_000;
        double sum = 0, normal = 0, normal2 = 0, expo = 0;
        int[] buckets = new int[10];
        for (int i = 0; i < n; i++)
        {
            double u = rng.NextDouble();
            sum += u;
            buckets[rng.NextInt(10)]++;
            double z = rng.NextNormal();
            normal += z;
            normal2 += z * z;
            expo += rng.NextExponential();
        }
        // Standard errors: uniform 0.29/sqrt(n) = 0.00065, normal 1/sqrt(n) = 0.0022, exponential 0.0022; bounds are 5 sigma.
        Assert.InRange(sum / n, 0.5 - 0.0033, 0.5 + 0.0033);
        Assert.InRange(normal / n, -0.011, 0.011);
        Assert.InRange(normal2 / n, 1 - 0.016, 1 + 0.016);
        Assert.InRange(expo / n, 1 - 0.011, 1 + 0.011);
        // Each of 10 buckets: mean 20,000, sd 134; 5 sigma = 670.
        Assert.All(buckets, c => Assert.InRange(c, 20_000 - 670, 20_000 + 670));
    }

    [Property(MaxTest = 500)]
    public bool DeterministicMath_LogAndExp_AgreeWithThePlatformWithinFewUlps(PositiveInt mantissa, int exponent)
    {
        double x = mantissa.Get * Math.Pow(2, (exponent % 600) - 30);
        double log = DeterministicMath.Log(x);
        double y = Math.Clamp(Math.Log(x) / 8, -700, 700);
        double exp = DeterministicMath.Exp(y);
        return Math.Abs(log - Math.Log(x)) <= 4e-16 * Math.Max(1, Math.Abs(Math.Log(x)))
            && Math.Abs(exp - Math.Exp(y)) <= 1e-15 * Math.Exp(y);
    }

    [Fact]
    public void DeterministicMath_EdgeCases()
    {
        Assert.Equal(double.NegativeInfinity, DeterministicMath.Log(0));
        Assert.True(double.IsNaN(DeterministicMath.Log(-1)));
        Assert.Equal(0.0, DeterministicMath.Log(1.0));
        Assert.Equal(1.0, DeterministicMath.Exp(0.0));
        Assert.Equal(0.0, DeterministicMath.Exp(-800));
        Assert.InRange(DeterministicMath.Log(double.Epsilon), -744.45, -744.43);
        Assert.InRange(DeterministicMath.Pow(0.5, 1.0 / 3), 0.7937005259840997, 0.7937005259840999);
    }

    [Property(MaxTest = 200)]
    public bool TimeHeap_PopsInTimeThenAccountOrder(int[] raw)
    {
        var heap = new TimeHeap(1);
        var expected = new List<(long, int)>();
        for (int i = 0; i < raw.Length; i++)
        {
            long t = Math.Abs(raw[i] % 50);
            heap.AddUnordered(t, i);
            expected.Add((t, i));
        }
        heap.Heapify();
        expected.Sort();
        var actual = new List<(long, int)>();
        while (heap.Count > 0)
        {
            actual.Add((heap.TopTime, heap.TopAccount));
            heap.Pop();
        }
        return actual.SequenceEqual(expected);
    }

    [Property(MaxTest = 300)]
    public bool Allocate_SumsExactlyRespectsMinimumAndIsProportional(PositiveInt[] rawWeights, PositiveInt extra, byte minimum)
    {
        if (rawWeights.Length == 0)
        {
            return true;
        }
        double[] weights = [.. rawWeights.Select(w => (double)(w.Get % 1000) + 1)];
        long total = (rawWeights.Length * (long)minimum) + extra.Get;
        int[] counts = new int[weights.Length];
        TrafficSimulator.Allocate(total, minimum, weights, counts);
        double sum = weights.Sum();
        long rest = total - (minimum * (long)weights.Length);
        bool proportional = counts.Select((c, i) => Math.Abs(c - minimum - (rest * weights[i] / sum))).All(d => d <= 1.0001);
        return counts.Sum(c => (long)c) == total && counts.All(c => c >= minimum) && proportional;
    }

    [Property(MaxTest = 200)]
    public bool ActivityTimeline_Daily_MapsMonotonicallyIntoTheWindowsOnAllowedDays(byte startHalfHours, sbyte tzQuarterHours, byte lengthHalfHours, bool weekends, PositiveInt seed)
    {
        int localStart = (startHalfHours % 48) * 1_800_000;
        int tz = (tzQuarterHours % 56) * 900_000;
        int len = ((lengthHalfHours % 40) + 1) * 1_800_000;
        long window = 10 * ActivityTimeline.DayMs;
        long dayZero = -3 * 3_600_000L; // window starts at 03:00 UTC
        int dayZeroDow = 3; // a Wednesday
        var timeline = ActivityTimeline.Daily(0, window, dayZero, dayZeroDow, localStart, tz, len, weekends ? len / 2 : 0);
        var rng = new SplitMix64((ulong)seed.Get);
        long[] active = [.. Enumerable.Range(0, 200).Select(_ => (long)(rng.NextDouble() * timeline.TotalMs)).Order()];
        long previous = long.MinValue;
        foreach (long a in active)
        {
            long wall = timeline.Map(a, dayZero);
            if (wall < previous || wall < 0 || wall >= window)
            {
                return false;
            }
            previous = wall;
            // Local time of day lies in [start, start + len) of some local day, and weekend windows are half as long or absent.
            long local = wall - dayZero + tz;
            long dayStart = local - (((local - localStart) % ActivityTimeline.DayMs) + ActivityTimeline.DayMs) % ActivityTimeline.DayMs;
            long into = local - dayStart;
            var localDow = (DayOfWeek)((((dayZeroDow + (dayStart / ActivityTimeline.DayMs)) % 7) + 7) % 7);
            bool weekend = localDow is DayOfWeek.Saturday or DayOfWeek.Sunday;
            long allowed = weekend ? (weekends ? len / 2 : 0) : len;
            if (into < 0 || into >= allowed)
            {
                return false;
            }
        }
        return timeline.TotalMs > 0;
    }

    [Fact]
    public void ActivityTimeline_Continuous_IsTheIdentityOnItsSpan()
    {
        var t = ActivityTimeline.Continuous(1_000, 5 * ActivityTimeline.DayMs, 0);
        Assert.Equal((5 * ActivityTimeline.DayMs) - 1_000, t.TotalMs);
        Assert.Equal(1_000, t.Map(0, 0));
        Assert.Equal(ActivityTimeline.DayMs + 1_000, t.Map(ActivityTimeline.DayMs, 0));
        Assert.Equal((5 * ActivityTimeline.DayMs) - 1, t.Map(t.TotalMs - 1, 0));
    }
}
