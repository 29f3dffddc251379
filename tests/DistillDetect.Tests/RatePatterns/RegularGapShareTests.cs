using DistillDetect.RatePatterns;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace DistillDetect.Tests.RatePatterns;

/// <summary>
/// <see cref="TimingMath.DensestShare"/>: the largest share of counts in a run of adjacent bins, which over octave gap
/// bins (width 3) is the detector's regular-gap test.
/// </summary>
public class RegularGapShareTests
{
    [Property(MaxTest = 300)]
    public Property DensestShare_EqualsTheBestWindow_AndLiesBetweenTheLargestBinAndOne()
    {
        Gen<uint[]> counts = Gen.ArrayOf(Gen.Choose(0, 1000).Select(c => (uint)c), TimingMath.GapBinCount);
        return Prop.ForAll(counts.ToArbitrary(), Gen.Choose(1, 6).ToArbitrary(), (c, width) =>
        {
            double share = TimingMath.DensestShare(c, width, out long total);
            long sum = c.Sum(x => (long)x);
            if (sum == 0) return double.IsNaN(share) && total == 0;
            long best = 0;
            for (int start = 0; start < c.Length; start++)
            {
                long window = 0;
                for (int i = start; i < Math.Min(c.Length, start + width); i++) window += c[i];
                best = Math.Max(best, window);
            }
            // The same ratio computed the same way, so exact equality; and its bounds.
            return total == sum && share == (double)best / sum && share >= (double)c.Max() / sum && share <= 1.0;
        });
    }

    [Property(MaxTest = 200)]
    public Property DensestShare_IsUnchangedWhenEveryCountIsMultiplied()
    {
        Gen<uint[]> counts = Gen.ArrayOf(Gen.Choose(0, 1000).Select(c => (uint)c), TimingMath.GapBinCount);
        return Prop.ForAll(counts.ToArbitrary(), Gen.Choose(2, 50).ToArbitrary(), (c, k) =>
        {
            double a = TimingMath.DensestShare(c, 3, out _);
            double b = TimingMath.DensestShare(c.Select(x => x * (uint)k).ToArray(), 3, out _);
            return (double.IsNaN(a) && double.IsNaN(b)) || Math.Abs(a - b) <= 1e-12;
        });
    }

    [Fact]
    public void JitteredInterval_AllGapsWithinAFactorOfThree_ScoresOne_AndEachPauseCostsOneGap()
    {
        // Gaps in [0.5, 1.5] intervals span a factor of 3, so at most three octave bins, whatever the interval.
        var rng = new Random(11);
        foreach (double interval in new[] { 0.9, 7, 60, 333, 5000 })
        {
            var stats = new InterArrivalStatistics();
            long t = TimingGenerators.Monday2024;
            int pauses = 0;
            for (int i = 0; i < 2000; i++)
            {
                stats.Add(t);
                bool pause = i % 200 == 199;
                pauses += pause ? 1 : 0;
                t += pause ? TimeSpan.TicksPerHour * 16 : (long)(interval * (0.5 + rng.NextDouble()) * TimeSpan.TicksPerSecond);
            }
            stats.Add(t);
            // The last timestamp waits in the reorder buffer until flushed (the detector reads the bins without it).
            stats.State.Flush();
            double share = TimingMath.RegularGapShare(stats.State.Bins, out long gaps);
            Assert.Equal(2000, gaps);
            Assert.Equal((gaps - pauses) / (double)gaps, share, 12);
        }
    }

    [Fact]
    public void PoissonAndLogNormalGaps_StayUnderTheirTheoreticalBounds()
    {
        // Exponential gaps: the best three octaves [x, 8x] hold e^(-u) - e^(-8u) at most, 0.650 at u = ln(8) / 7.
        // Log-normal gaps with log-sd 0.7 (the simulation's think times): 2 Phi(ln(8) / 2 / 0.7) - 1 = 0.8625 at most.
        // 20,000 gaps: one binomial standard deviation is at most 0.0035; the bounds allow 4.
        const int n = 20_000;
        double poissonBound = Math.Exp(-Math.Log(8) / 7) - Math.Exp(-8 * Math.Log(8) / 7);
        double logNormalBound = 2 * MathNet.Numerics.Distributions.Normal.CDF(0, 1, Math.Log(8) / 2 / 0.7) - 1;
        Assert.Equal(0.650, poissonBound, 3);
        Assert.Equal(0.8625, logNormalBound, 4);
        double slack = 4 * Math.Sqrt(0.25 / n);
        int seed = 12;
        foreach (double mean in new[] { 1.3, 45, 600 })
        {
            double poisson = Share(TimingGenerators.Poisson(seed++, n + 1, mean));
            double logNormal = Share(TimingGenerators.LogNormal(seed++, n + 1, mean, 0.7));
            Assert.InRange(poisson, 0.5, poissonBound + slack);
            Assert.InRange(logNormal, 0.75, logNormalBound + slack);
        }

        static double Share(long[] timestamps)
        {
            var stats = new InterArrivalStatistics();
            foreach (long t in timestamps) stats.Add(t);
            return TimingMath.RegularGapShare(stats.State.Bins, out _);
        }
    }
}
