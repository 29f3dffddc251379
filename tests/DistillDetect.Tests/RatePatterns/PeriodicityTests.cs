using DistillDetect.RatePatterns;
using Xunit;

namespace DistillDetect.Tests.RatePatterns;

public class PeriodicityTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void PeriodSeconds_FixedInterval60sWithHalfJitter_Within10Percent(int seed)
    {
        // Gaps 60 * U(0.5, 1.5): every gap lies in [30, 90] = [g, 3g] for g = 30, so the window holding
        // all gaps exists and the estimate is the median gap, 60 s with standard error
        // 60 * (1/sqrt(12)) * 1.25 / sqrt(n) (median of a uniform: sd * sqrt(pi/2)... at most 1.3 s at
        // n = 32); 10 % = 6 s is more than 4 standard errors.
        long[] t = TimingGenerators.JitteredInterval(seed, 2000, 60, 0.5);
        var timing = new AccountTiming();
        foreach (long x in t) timing.Add(x);
        TimingSummary streamed = timing.GetSummary();
        TimingSummary exact = TimingSummary.FromTimestamps(t);
        foreach (TimingSummary s in new[] { streamed, exact })
        {
            Assert.InRange(s.PeriodSeconds, 54, 66);
            Assert.Equal(1.0, s.PeriodStrength);
        }
    }

    [Fact]
    public void PeriodStrength_Poisson_WellBelowJitteredInterval()
    {
        // For exponential gaps no window [g, 3g] holds more than 38.5 % of them in expectation; the best of
        // n windows exceeds that by about 1/sqrt(n) (0.18 at n = 32, a few hundredths for all 5000 gaps),
        // so strength stays far below the 1.0 of the jittered interval. Bound: share <= 0.385 + 4 * 0.5 / sqrt(n).
        foreach (int seed in new[] { 1, 2, 3, 4, 5 })
        {
            long[] t = TimingGenerators.Poisson(seed, 5000, 60);
            var timing = new AccountTiming();
            foreach (long x in t) timing.Add(x);
            double f0 = 2 / (3 * Math.Sqrt(3));
            double streamedBound = (4 * 0.5 / Math.Sqrt(32)) / (1 - f0);
            double exactBound = (4 * 0.5 / Math.Sqrt(5000)) / (1 - f0);
            Assert.InRange(timing.GetSummary().PeriodStrength, 0, streamedBound);
            Assert.InRange(TimingSummary.FromTimestamps(t).PeriodStrength, 0, exactBound);
        }
    }

    [Fact]
    public void PeriodSeconds_BurstsEverySecond_NotBelowHalfSecondWindow()
    {
        // Sub-second gaps cannot start a period window: ten requests 0.1 s apart every 5 minutes.
        var t = new List<long>();
        for (int b = 0; b < 50; b++)
        {
            for (int i = 0; i < 10; i++) t.Add(TimingGenerators.Monday2024 + b * 300 * TimeSpan.TicksPerSecond + i * TimeSpan.TicksPerSecond / 10);
        }
        TimingSummary s = TimingSummary.FromTimestamps(t.ToArray());
        Assert.InRange(s.PeriodSeconds, 299, 301);
    }
}
