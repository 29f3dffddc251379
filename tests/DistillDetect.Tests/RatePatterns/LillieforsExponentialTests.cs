using DistillDetect.RatePatterns;

namespace DistillDetect.Tests.RatePatterns;

public class LillieforsExponentialTests
{
    [Theory]
    [InlineData(10)]
    [InlineData(32)]
    [InlineData(500)]
    public void PValue_ExponentialSamples_UniformUnderNull(int n)
    {
        // Under H0 the p-value is uniform, so P(p <= 0.05) = 0.05 (up to the table's Monte Carlo error,
        // standard error sqrt(0.05 * 0.95 / 1000) = 0.007). With 2,000 independent samples (own seed, not
        // the table's) the observed rate has standard error sqrt(0.05 * 0.95 / 2000) = 0.005; combined
        // 0.0085, so +-0.035 is 4 standard errors. For n = 500 the Stephens mapping adds a small bias.
        var rng = new Random(1234 + n);
        int rejections = 0, trials = 2000;
        var sample = new double[n];
        for (int r = 0; r < trials; r++)
        {
            double scale = 0.1 + rng.NextDouble() * 100;
            for (int i = 0; i < n; i++) sample[i] = -scale * Math.Log(1 - rng.NextDouble());
            Array.Sort(sample);
            double d = KolmogorovSmirnov.ExponentialStatistic(sample);
            if (LillieforsExponential.PValue(n, d) <= 0.05) rejections++;
        }
        Assert.InRange((double)rejections / trials, 0.015, 0.085);
    }

    [Theory]
    [InlineData(20)]
    [InlineData(100)]
    public void PValue_StephensFivePercentPoint_NearFivePercent(int n)
    {
        // Stephens (1974), exponential with estimated scale: D* = 1.094 is the upper 5 % point.
        double rn = Math.Sqrt(n);
        double d = 1.094 / (rn + 0.26 + 0.5 / rn) + 0.2 / n;
        Assert.InRange(LillieforsExponential.PValue(n, d), 0.03, 0.07);
    }

    [Fact]
    public void KsPlainP_IsConservativeWhenMeanEstimated()
    {
        long[] t = TimingGenerators.Poisson(8, 30, 10);
        TimingSummary s = TimingSummary.FromTimestamps(t);
        Assert.True(s.KsExponentialP > s.KsLillieforsP);
    }
}
