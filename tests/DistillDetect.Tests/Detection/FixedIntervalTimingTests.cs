using DistillDetect.Accounts;
using DistillDetect.Detection;
using DistillDetect.Tests.RatePatterns;

namespace DistillDetect.Tests.Detection;

/// <summary>
/// The shared-task rule's fixed-interval test (a coefficient of variation of at most 0.4 over 30 gaps, read as the
/// account's burstiness): how often 30 gaps of each kind of timing pass it, through the detector's own timing state.
/// Fixed seeds; the bounds are several standard deviations from the rates they check (see each assertion).
/// </summary>
public sealed class FixedIntervalTimingTests
{
    private const int Gaps = (int)DistillationDetector.FixedIntervalMinGaps;

    [Fact]
    public void JitteredInterval_ThirtyGaps_ReadAsAFixedInterval()
    {
        // Uniform +-50 % jitter: CV 1 / sqrt(12) = 0.289; over 30 gaps the sample CV's standard error is about 0.04, so
        // 0.4 is about 2.8 of them away: about 0.3 % of accounts fail at exactly 30 gaps. 2,000 accounts: expect ~5.
        int passed = Count(2000, seed: 1, random => 0.5 + random.NextDouble());
        Assert.InRange(passed, 2000 - 30, 2000);
    }

    [Fact]
    public void PoissonGaps_ThirtyGaps_AlmostNeverReadAsAFixedInterval()
    {
        // Exponential gaps: CV 1; a sample CV of 0.4 or less from 30 of them is rare (Monte Carlo: well under 0.1 %).
        // 20,000 accounts: at 0.1 % the count is Poisson with mean 20; 60 is 9 standard deviations above it.
        int passed = Count(20000, seed: 2, random => -Math.Log(1 - random.NextDouble()));
        Assert.InRange(passed, 0, 60);
    }

    [Fact]
    public void PersonThinkTimesInOneSitting_ThirtyGaps_AlmostNeverReadAsAFixedInterval()
    {
        // Log-normal think times with a log-sd of 0.7 (the simulator's people), one unbroken sitting, at a random
        // scale: CV sqrt(e^0.49 - 1) = 0.80. Monte Carlo (100,000 draws): 0.05 % read 0.4 or less. 20,000 accounts:
        // mean 10; 40 is more than 9 standard deviations above it.
        int passed = Count(20000, seed: 3, random => Math.Exp(0.7 * TimingGenerators.StandardNormal(random)));
        Assert.InRange(passed, 0, 40);
    }

    [Fact]
    public void PersonWithOnePauseBetweenSittings_ThirtyGaps_NeverReadsAsAFixedInterval()
    {
        // A pause of 60 to 120 think times among 29 think times: the pause alone puts the CV above 2.
        int passed = Count(2000, seed: 4, random => 30 + (30 * random.NextDouble()), pauseSeconds: 3600);
        Assert.Equal(0, passed);
    }

    /// <summary>Accounts (of <paramref name="accounts"/>) whose first 30 gaps, drawn in seconds, pass the test.</summary>
    private static int Count(int accounts, int seed, Func<Random, double> gapSeconds, double pauseSeconds = 0)
    {
        var random = new Random(seed);
        var options = new AccountProfileOptions();
        int passed = 0;
        for (int a = 0; a < accounts; a++)
        {
            var state = new AccountState("a", options);
            // A random scale per account (seconds to minutes): the test must not depend on the interval's size.
            double scale = Math.Exp(random.NextDouble() * 5);
            long ticks = TimeSpan.TicksPerDay;
            state.ObserveTiming(ticks);
            for (int g = 0; g < Gaps; g++)
            {
                double seconds = (g == Gaps / 2 && pauseSeconds > 0 ? pauseSeconds : gapSeconds(random)) * scale;
                ticks += (long)(seconds * TimeSpan.TicksPerSecond);
                state.ObserveTiming(ticks);
            }
            Assert.Equal(Gaps, state.GapCount);
            if (state.Burstiness <= DistillationDetector.FixedIntervalBurstiness) passed++;
        }
        TestContext.Current.TestOutputHelper?.WriteLine($"{passed} of {accounts} read as a fixed interval");
        return passed;
    }
}
