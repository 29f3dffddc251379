using DistillDetect.RatePatterns;

namespace DistillDetect.Tests.RatePatterns;

public class DecayedRateTests
{
    private static readonly long Start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;

    // The naive definition: rate(t) = (ln 2 / h) sum_i 2^(-(t - t_i) / h), in events per second.
    private static double NaiveRate(IEnumerable<long> times, long asOf, TimeSpan halfLife)
    {
        double h = halfLife.TotalSeconds;
        double sum = 0;
        foreach (long t in times) sum += Math.Pow(2, -(asOf - t) / (double)TimeSpan.TicksPerSecond / h);
        return sum * Math.Log(2) / h;
    }

    private static List<long> Stream(int seed, int n)
    {
        var random = new Random(seed);
        var times = new List<long>(n);
        long now = Start;
        for (int i = 0; i < n; i++)
        {
            now += (long)(-Math.Log(1 - random.NextDouble()) * (random.Next(3) == 0 ? 60 : 1) * TimeSpan.TicksPerSecond);
            // 20 % arrive late, by up to ten minutes: they are exact, whatever their age.
            times.Add(random.NextDouble() < 0.2 ? now - (long)(random.NextDouble() * TimeSpan.TicksPerMinute * 10) : now);
        }
        return times;
    }

    [Theory]
    [InlineData(1, 30)]
    [InlineData(2, 600)]
    [InlineData(3, 86_400)]
    public void GetRate_OutOfOrderStream_EqualsNaiveSum(int seed, int halfLifeSeconds)
    {
        var halfLife = TimeSpan.FromSeconds(halfLifeSeconds);
        var rate = new DecayedRate(halfLife);
        List<long> stream = Stream(seed, 3000);
        var seen = new List<long>();
        for (int i = 0; i < stream.Count; i++)
        {
            rate.Add(stream[i]);
            seen.Add(stream[i]);
            if (i % 97 != 0) continue;
            long newest = seen.Max();
            foreach (long asOf in new[] { newest, newest + TimeSpan.TicksPerSecond * halfLifeSeconds / 3 })
            {
                double expected = NaiveRate(seen, asOf, halfLife);
                Assert.Equal(expected, rate.GetRate(asOf), expected * 1e-9);
            }
            Assert.Equal(NaiveRate(seen, newest, halfLife), rate.Rate, rate.Rate * 1e-9);
        }
        Assert.Equal(stream.Count, rate.Count);
    }

    [Fact]
    public void GetRate_OneHalfLifeAfterAnEvent_IsHalved()
    {
        var rate = new DecayedRate(TimeSpan.FromMinutes(5));
        rate.Add(new DateTimeOffset(Start, TimeSpan.Zero));
        double atEvent = rate.Rate;
        Assert.Equal(Math.Log(2) / 300, atEvent, 1e-15);
        Assert.Equal(atEvent / 2, rate.GetRate(Start + TimeSpan.TicksPerMinute * 5), 1e-15);
        Assert.Equal(atEvent, rate.GetRate(Start - TimeSpan.TicksPerHour)); // earlier: as of the newest event
    }

    // Theory: for a Poisson stream of rate lambda, the decayed count S is shot noise with mean lambda tau (1 - e^(-T/tau))
    // and variance lambda tau / 2 (Campbell's theorem: lambda * integral of e^(-2s/tau) ds). After T = 20 half-lives the
    // mean is lambda within 1e-6, and the relative standard deviation of the rate is 1 / sqrt(2 lambda tau). We require
    // agreement within 4 standard deviations.
    [Fact]
    public void Rate_PoissonStream_ConvergesToTheRate()
    {
        const double lambda = 10; // events per second
        var halfLife = TimeSpan.FromSeconds(60);
        double tau = halfLife.TotalSeconds / Math.Log(2);
        var random = new Random(17);
        var rate = new DecayedRate(halfLife);
        double t = 0;
        while (t < 20 * halfLife.TotalSeconds)
        {
            t += -Math.Log(1 - random.NextDouble()) / lambda;
            rate.Add(Start + (long)(t * TimeSpan.TicksPerSecond));
        }
        double relativeSd = 1 / Math.Sqrt(2 * lambda * tau);
        Assert.InRange(rate.Rate, lambda * (1 - 4 * relativeSd), lambda * (1 + 4 * relativeSd));
    }

    [Fact]
    public void Merge_RandomSplit_EqualsWholeStream()
    {
        var halfLife = TimeSpan.FromMinutes(2);
        List<long> stream = Stream(9, 4000);
        var random = new Random(9);
        var whole = new DecayedRate(halfLife);
        var a = new DecayedRate(halfLife);
        var b = new DecayedRate(halfLife);
        foreach (long t in stream)
        {
            whole.Add(t);
            (random.Next(2) == 0 ? a : b).Add(t);
        }
        b.Add(-1); // ignored, and the ignored counts add up
        var ab = DecayedRate.FromBytes(a.ToBytes());
        ab.Merge(b);
        var ba = DecayedRate.FromBytes(b.ToBytes());
        ba.Merge(a);
        foreach (DecayedRate merged in new[] { ab, ba })
        {
            Assert.Equal(whole.Count, merged.Count);
            Assert.Equal(1, merged.IgnoredCount);
            Assert.Equal(whole.NewestUtcTicks, merged.NewestUtcTicks);
            Assert.Equal(whole.Rate, merged.Rate, whole.Rate * 1e-12);
        }
        Assert.Throws<ArgumentException>(() => a.Merge(new DecayedRate(TimeSpan.FromMinutes(3))));
        var empty = new DecayedRate(halfLife);
        empty.Merge(whole);
        Assert.Equal(whole.ToBytes(), empty.ToBytes());
    }

    [Fact]
    public void Add_AdversarialTimestamps_NeverThrowAndStayFinite()
    {
        var rate = new DecayedRate(TimeSpan.FromSeconds(1));
        foreach (long t in new[] { long.MinValue, -1, 0, DateTime.MaxValue.Ticks, 0, long.MaxValue, DateTime.MaxValue.Ticks, Start })
            rate.Add(t);
        Assert.Equal(3, rate.IgnoredCount);
        Assert.Equal(5, rate.Count);
        Assert.True(double.IsFinite(rate.Rate) && rate.Rate > 0);
        Assert.Equal(2 * Math.Log(2), rate.Rate, 1e-12); // the two events at the maximum; the old ones decayed to 0
    }

    [Fact]
    public void Add_Warm_AllocatesNothing()
    {
        var rate = new DecayedRate(TimeSpan.FromMinutes(1));
        List<long> stream = Stream(4, 10_000);
        foreach (long t in stream) rate.Add(t);
        double r = 0;
        long allocated = Allocations.Fewest(() =>
        {
            foreach (long t in stream) rate.Add(t);
            r = rate.GetRate(stream[^1] + 1);
        });
        Assert.Equal(0, allocated);
        Assert.True(r > 0);
    }

    [Fact]
    public void FromBytes_RoundTripAndCorruption()
    {
        var rate = new DecayedRate(TimeSpan.FromMinutes(1));
        foreach (long t in Stream(5, 500)) rate.Add(t);
        byte[] bytes = rate.ToBytes();
        DecayedRate back = DecayedRate.FromBytes(bytes);
        Assert.Equal(bytes, back.ToBytes());
        Assert.Equal(rate.Rate, back.Rate);
        Assert.Equal(TimeSpan.FromMinutes(1), back.HalfLife);
        for (int i = 0; i < bytes.Length; i++)
        {
            byte[] copy = (byte[])bytes.Clone();
            copy[i] ^= 0x80;
            Assert.Throws<InvalidDataException>(() => DecayedRate.FromBytes(copy));
        }
        Assert.Throws<InvalidDataException>(() => DecayedRate.FromBytes(new RateWindows().ToBytes()));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DecayedRate(TimeSpan.Zero));
    }
}
