using DistillDetect.Fingerprints;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace DistillDetect.Tests.Fingerprints;

public class LshParametersTests
{
    // The reference is the naive version of datasketch's _optimal_param: the same grid (b outer, r inner, strict <
    // so ties keep the first) with the areas integrated by the midpoint rule. With 2,000 panels its error is below
    // h^2/24 * max|f''| = 1e-8 * max|f''| (about 1e-5 for the steepest curves), under the gaps between the
    // competing bandings that decide the choice.
    private static double MidpointArea(Func<double, double> f, double from, double to, int panels = 2000)
    {
        double h = (to - from) / panels, sum = 0;
        for (int i = 0; i < panels; i++) sum += f(from + ((i + 0.5) * h));
        return sum * h;
    }

    private static double Probability(int b, int r, double s) => 1 - Math.Pow(1 - Math.Pow(s, r), b);

    private static (int B, int R) ReferenceOptimize(double threshold, int k, double fpWeight, double fnWeight)
    {
        double min = double.PositiveInfinity;
        (int, int) best = (0, 0);
        for (int b = 1; b <= k; b++)
        {
            for (int r = 1; r <= k / b; r++)
            {
                double fp = MidpointArea(s => Probability(b, r, s), 0, threshold);
                double fn = MidpointArea(s => 1 - Probability(b, r, s), threshold, 1);
                double error = (fp * fpWeight) + (fn * fnWeight);
                if (error < min)
                {
                    min = error;
                    best = (b, r);
                }
            }
        }
        return best;
    }

    [Theory]
    [InlineData(0.9, 128, 0.5, 0.5)] // datasketch's MinHashLSH() defaults
    [InlineData(0.5, 128, 0.5, 0.5)]
    [InlineData(0.8, 128, 0.5, 0.5)]
    [InlineData(0.3, 128, 0.5, 0.5)]
    [InlineData(0.5, 128, 0.2, 0.8)]
    [InlineData(0.7, 64, 0.5, 0.5)]
    [InlineData(0.6, 96, 0.4, 0.6)]
    public void Optimize_DatasketchGridSearch_SameBandsAndRows(double threshold, int k, double fpWeight, double fnWeight)
    {
        (int b, int r) = ReferenceOptimize(threshold, k, fpWeight, fnWeight);
        Assert.Equal(new LshParameters(b, r), LshParameters.Optimize(threshold, k, fpWeight, fnWeight));
    }

    [Fact]
    public void Optimize_DatasketchDocumentedExamples_KnownAnswers()
    {
        // datasketch's MinHashLSH docstring: threshold 0.9, 128 perms -> b = 5, r = 25.
        Assert.Equal(new LshParameters(5, 25), LshParameters.Optimize(0.9, 128));
        Assert.Equal(new LshParameters(25, 5), LshParameters.Optimize(0.5, 128));
        Assert.Equal(new LshParameters(9, 13), LshParameters.Optimize(0.8, 128));
    }

    [Fact]
    public void Optimize_DatasketchDefaults_RecallAtThresholdIsLow()
    {
        // The weakness ForRecall fixes: the FP/FN-area optimum returns only about half the pairs (or fewer) whose
        // similarity is exactly the threshold. Values are 1 - (1 - t^r)^b for the bandings above.
        Assert.Equal(0.5478, LshParameters.Optimize(0.5, 128).CandidateProbability(0.5), 3);
        Assert.Equal(0.3988, LshParameters.Optimize(0.8, 128).CandidateProbability(0.8), 3);
        Assert.Equal(0.3110, LshParameters.Optimize(0.9, 128).CandidateProbability(0.9), 3);
    }

    [Theory]
    [InlineData(0.3, 64)]
    [InlineData(0.5, 64)]
    [InlineData(0.5, 128)]
    [InlineData(0.7, 128)]
    [InlineData(0.8, 128)]
    [InlineData(0.9, 128)]
    [InlineData(0.9, 256)]
    public void ForRecall_Target95_ReachesTargetWithFewestFalsePositives(double threshold, int k)
    {
        LshParameters p = LshParameters.ForRecall(threshold, k, 0.95);
        Assert.True(p.Bands * p.RowsPerBand <= k);
        Assert.True(p.CandidateProbability(threshold) >= 0.95, $"{p}: recall {p.CandidateProbability(threshold)}");
        double chosen = MidpointArea(s => Probability(p.Bands, p.RowsPerBand, s), 0, threshold);
        for (int b = 1; b <= k; b++)
        {
            for (int r = 1; r <= k / b; r++)
            {
                if (Probability(b, r, threshold) < 0.95) continue;
                double fp = MidpointArea(s => Probability(b, r, s), 0, threshold, 500);
                // 500 panels: relative error of the area well under 1e-4, so a strictly better banding shows.
                Assert.True(fp >= chosen * (1 - 1e-4), $"({b},{r}) has FP area {fp} < {chosen} of {p}");
            }
        }
    }

    [Fact]
    public void ForRecall_HigherThanOptimize_AtDatasketchDefaults()
    {
        LshParameters recall = LshParameters.ForRecall(0.9, 128, 0.95);
        Assert.True(recall.CandidateProbability(0.9) >= 0.95);
        Assert.True(LshParameters.Optimize(0.9, 128).CandidateProbability(0.9) < 0.35);
    }

    [Fact]
    public void ForRecall_Unreachable_ThrowsNamingBestReachable()
    {
        // Two hashes at J = 0.1: the best is two bands of one row, 1 - 0.9^2 = 0.19.
        var ex = Assert.Throws<ArgumentException>(() => LshParameters.ForRecall(0.1, 2, 0.99));
        Assert.Contains("0.19", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.0, 128)]
    [InlineData(1.0, 128)]
    [InlineData(double.NaN, 128)]
    [InlineData(0.5, 0)]
    public void Optimize_InvalidArguments_Throw(double threshold, int k) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => LshParameters.Optimize(threshold, k));

    [Fact]
    public void Optimize_NegativeOrZeroWeights_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LshParameters.Optimize(0.5, 16, -1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => LshParameters.Optimize(0.5, 16, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => LshParameters.ForRecall(0.5, 16, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => LshParameters.ForRecall(0.5, 16, 1.5));
    }

    [Theory]
    [InlineData(1, 1, 0.3)]
    [InlineData(25, 5, 0.5)]
    [InlineData(5, 25, 0.9)]
    [InlineData(1, 128, 0.95)]
    [InlineData(128, 1, 0.1)]
    public void Areas_AgreeWithMidpointIntegration(int b, int r, double threshold)
    {
        var p = new LshParameters(b, r);
        Assert.Equal(MidpointArea(s => Probability(b, r, s), 0, threshold, 20000), p.FalsePositiveArea(threshold), 9);
        Assert.Equal(MidpointArea(s => 1 - Probability(b, r, s), threshold, 1, 20000), p.FalseNegativeArea(threshold), 9);
    }

    [Property(MaxTest = 200)]
    public Property CandidateProbability_IsAMonotoneProbabilityFromZeroToOne(PositiveInt bands, PositiveInt rows, NormalFloat x, NormalFloat y)
    {
        var p = new LshParameters(1 + (bands.Get % 64), 1 + (rows.Get % 32));
        double lo = Math.Min(Frac(x.Get), Frac(y.Get)), hi = Math.Max(Frac(x.Get), Frac(y.Get));
        double plo = p.CandidateProbability(lo), phi = p.CandidateProbability(hi);
        return (plo >= 0 && phi <= 1 && plo <= phi
                && p.CandidateProbability(0) == 0 && p.CandidateProbability(1) == 1)
            .Label($"{p}: P({lo}) = {plo}, P({hi}) = {phi}");

        static double Frac(double v) => Math.Abs(v) % 1.0;
    }
}
