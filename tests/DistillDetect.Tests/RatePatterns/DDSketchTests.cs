using DistillDetect.RatePatterns;
using DistillDetect.Serialization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace DistillDetect.Tests.RatePatterns;

public class DDSketchTests
{
    private static readonly double[] QuantileGrid =
        [0, 0.001, 0.01, 0.05, 0.1, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.9, 0.95, 0.99, 0.999, 1];

    // Rounding in log/exp can put a value exactly on a bin boundary one bin off; that costs a few ulps, not alpha.
    private const double Ulps = 1e-12;

    private static double[] Sample(string distribution, int n, int seed)
    {
        var random = new Random(seed);
        var values = new double[n];
        for (int i = 0; i < n; i++)
        {
            double u = 1 - random.NextDouble(); // (0, 1]
            values[i] = distribution switch
            {
                "exponential" => -Math.Log(u) * 30,                                   // Poisson gaps, mean 30 s
                "lognormal" => Math.Exp(2.5 * Normal(random)),                         // human gaps over many decades
                "pareto" => Math.Pow(u, -1 / 1.2),                                     // heavy tail
                "jittered" => 5 * (0.5 + random.NextDouble()),                         // fixed 5 s +- 50 %
                "bimodal" => random.NextDouble() < 0.7 ? 0.2 + 0.05 * Normal(random) * 0.1 : 3600 * u, // bursts and pauses
                "withzeros" => random.NextDouble() < 0.2 ? 0 : -Math.Log(u),           // duplicated timestamps
                "uniform" => random.NextDouble() * 1e-3,
                _ => throw new ArgumentOutOfRangeException(nameof(distribution)),
            };
        }
        return values;
    }

    private static double Normal(Random random) => TimingGenerators.StandardNormal(random);

    private static double Exact(double[] sorted, double q) => sorted[(int)Math.Floor(q * (sorted.Length - 1))];

    private static DDSketch Sketch(IEnumerable<double> values, double alpha = 0.01, int maxBins = DDSketch.DefaultMaxBins)
    {
        var s = new DDSketch(alpha, maxBins);
        foreach (double v in values) s.Add(v);
        return s;
    }

    // The guarantee (Masson et al. 2019, Theorem 3): for the 0-based rank floor(q (n - 1)), the answer is within relative
    // error alpha of the input value of that rank. Checked for every q in the grid against the sorted input.
    [Theory]
    [InlineData("exponential", 0.01)]
    [InlineData("lognormal", 0.01)]
    [InlineData("pareto", 0.01)]
    [InlineData("jittered", 0.01)]
    [InlineData("bimodal", 0.01)]
    [InlineData("withzeros", 0.01)]
    [InlineData("uniform", 0.01)]
    [InlineData("lognormal", 0.001)]
    [InlineData("pareto", 0.05)]
    public void GetQuantile_RandomData_WithinRelativeAccuracyOfRankQuantile(string distribution, double alpha)
    {
        foreach (int n in new[] { 1, 2, 10, 1000, 100_001 })
        {
            double[] values = Sample(distribution, n, seed: n * 31 + distribution.Length);
            var sketch = Sketch(values, alpha, maxBins: 1 << 16); // no collapse here: that is tested below
            Assert.False(sketch.IsCollapsed);
            double[] sorted = (double[])values.Clone();
            Array.Sort(sorted);
            foreach (double q in QuantileGrid)
            {
                double exact = Exact(sorted, q);
                double estimate = sketch.GetQuantile(q);
                if (exact == 0)
                    Assert.Equal(0, estimate);
                else
                    Assert.True(Math.Abs(estimate - exact) <= alpha * exact * (1 + Ulps),
                        $"{distribution} n={n} q={q}: estimate {estimate} vs exact {exact}, relative error {Math.Abs(estimate - exact) / exact:E3} > {alpha}");
            }
            Assert.Equal(n, sketch.Count);
            Assert.Equal(sorted[0], sketch.Min);
            Assert.Equal(sorted[^1], sketch.Max);
            Assert.Equal(values.Sum(), sketch.Sum, Math.Abs(values.Sum()) * 1e-9);
        }
    }

    // The answer for a bin must be inside (gamma^(i-1), gamma^i] within alpha of every point: check the bin edges too,
    // where an off-by-one bin index would show as an error near 2 alpha.
    [Fact]
    public void GetQuantile_ValuesOnBinEdges_WithinRelativeAccuracy()
    {
        const double alpha = 0.02;
        double gamma = (1 + alpha) / (1 - alpha);
        for (int i = -300; i <= 300; i += 7)
        {
            foreach (double x in new[] { Math.Pow(gamma, i), Math.BitIncrement(Math.Pow(gamma, i)), Math.BitDecrement(Math.Pow(gamma, i)) })
            {
                var s = new DDSketch(alpha);
                s.Add(x / 8); // so the median is answered by its bin, not clamped to Min or Max
                s.Add(x);
                s.Add(x * 8);
                double estimate = s.GetQuantile(0.5);
                Assert.True(Math.Abs(estimate - x) <= alpha * x * (1 + Ulps), $"x={x}: {estimate}");
            }
        }
    }

    [Fact]
    public void GetQuantile_CollapsedLowestBins_KeepGuaranteeAboveCollapsedRange()
    {
        const double alpha = 0.01;
        const int maxBins = 500; // a span of gamma^500 = e^10 below the maximum (about e^9.8): roughly the lower half collapses
        double[] values = Sample("lognormal", 20_000, 5);
        var sketch = Sketch(values, alpha, maxBins);
        Assert.True(sketch.IsCollapsed);
        Assert.True(sketch.BinSpan <= maxBins);
        Assert.True(sketch.MemoryBytes <= 4 * maxBins + 136);

        double lnGamma = Math.Log((1 + alpha) / (1 - alpha));
        int maxIndex = (int)Math.Ceiling(Math.Log(values.Max()) / lnGamma);
        int lowestKept = maxIndex - maxBins + 1;
        double[] sorted = (double[])values.Clone();
        Array.Sort(sorted);
        int checkedCount = 0, skipped = 0;
        foreach (double q in QuantileGrid.Concat(Enumerable.Range(1, 99).Select(k => k / 100.0)))
        {
            double exact = Exact(sorted, q);
            if ((int)Math.Ceiling(Math.Log(exact) / lnGamma) <= lowestKept && q > 0)
            {
                skipped++;
                continue;
            }
            checkedCount++;
            double estimate = sketch.GetQuantile(q);
            Assert.True(Math.Abs(estimate - exact) <= alpha * exact * (1 + Ulps), $"q={q}: {estimate} vs {exact}");
        }
        Assert.True(checkedCount > 20 && skipped > 20, $"checked {checkedCount}, skipped {skipped}");
        Assert.Equal(20_000, sketch.Count);
    }

    [Fact]
    public void Add_ClusteredGaps_UsesAFewHundredBytes()
    {
        double[] gaps = Sample("jittered", 5000, 9); // 2.5 s to 7.5 s: ln 3 / ln gamma = 55 bins
        var sketch = Sketch(gaps);
        Assert.InRange(sketch.BinSpan, 54, 57);
        Assert.True(sketch.MemoryBytes <= 400, $"{sketch.MemoryBytes} bytes");
    }

    [Fact]
    public void Add_ExtremeValues_StayWithinMaxBins()
    {
        var sketch = new DDSketch();
        sketch.Add(double.Epsilon);
        sketch.Add(DDSketch.MinIndexableValue);
        sketch.Add(1e-300);
        sketch.Add(1);
        sketch.Add(1e300);
        sketch.Add(double.MaxValue);
        sketch.Add(1e-200);
        Assert.True(sketch.IsCollapsed);
        Assert.Equal(DDSketch.DefaultMaxBins, sketch.BinSpan);
        Assert.True(sketch.MemoryBytes <= 4 * DDSketch.DefaultMaxBins + 136);
        Assert.Equal(7, sketch.Count);
        Assert.Equal(1, sketch.ZeroCount);
        Assert.Equal(0, sketch.Min);
        Assert.Equal(double.MaxValue, sketch.Max);
        Assert.Equal(double.MaxValue, sketch.GetQuantile(1));
        Assert.True(Math.Abs(sketch.GetQuantile(5.0 / 6) - 1e300) <= 0.01 * 1e300);
    }

    [Fact]
    public void Add_ZeroAndSubnormal_CountInZeroBinAndAnswerZero()
    {
        var sketch = new DDSketch();
        sketch.Add(0);
        sketch.Add(-0.0);
        sketch.Add(double.Epsilon);
        sketch.Add(10);
        sketch.Add(20);
        Assert.Equal(3, sketch.ZeroCount);
        Assert.Equal(0, sketch.GetQuantile(0.5));
        Assert.Equal(10, sketch.GetQuantile(0.75), 10 * 0.01);
        Assert.Equal(0, sketch.Min);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    [InlineData(-1e-9)]
    public void Add_NaNInfinityOrNegative_ThrowsAndLeavesStateUnchanged(double value)
    {
        var sketch = Sketch([1, 2, 3]);
        byte[] before = sketch.ToBytes();
        Assert.Throws<ArgumentOutOfRangeException>(() => sketch.Add(value));
        Assert.Throws<ArgumentOutOfRangeException>(() => sketch.Add(value, 3));
        Assert.Equal(before, sketch.ToBytes());
    }

    [Fact]
    public void GetQuantile_OutOfRangeOrEmpty_ThrowsOrNaN()
    {
        var sketch = new DDSketch();
        Assert.True(double.IsNaN(sketch.GetQuantile(0.5)));
        Assert.True(double.IsNaN(sketch.Min));
        Assert.True(double.IsNaN(sketch.Max));
        Assert.Throws<ArgumentOutOfRangeException>(() => sketch.GetQuantile(-0.01));
        Assert.Throws<ArgumentOutOfRangeException>(() => sketch.GetQuantile(1.01));
        Assert.Throws<ArgumentOutOfRangeException>(() => sketch.GetQuantile(double.NaN));
    }

    [Fact]
    public void Add_WithCount_EqualsRepeatedAdd()
    {
        var once = new DDSketch();
        var repeated = new DDSketch();
        foreach (var (value, count) in new[] { (3.5, 4L), (0.0, 2L), (1e-3, 1L), (700.0, 3L), (3.5, 0L) })
        {
            once.Add(value, count);
            for (int i = 0; i < count; i++) repeated.Add(value);
        }
        Assert.Equal(repeated.ToBytes(), once.ToBytes());
        Assert.Throws<ArgumentOutOfRangeException>(() => once.Add(1, -1));
    }

    [Fact]
    public void Add_Warm_AllocatesNothing()
    {
        double[] gaps = Sample("exponential", 10_000, 3);
        var sketch = Sketch(gaps);
        double median = 0;
        long allocated = Allocations.Fewest(() =>
        {
            for (int round = 0; round < 10; round++)
                foreach (double g in gaps) sketch.Add(g);
            median = sketch.GetQuantile(0.5);
        });
        Assert.Equal(0, allocated);
        Assert.True(median > 0);
    }

    private static void AssertSameAnswers(DDSketch expected, DDSketch actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expected.ZeroCount, actual.ZeroCount);
        Assert.Equal(expected.Min, actual.Min);
        Assert.Equal(expected.Max, actual.Max);
        Assert.Equal(expected.IsCollapsed, actual.IsCollapsed);
        Assert.Equal(expected.BinSpan, actual.BinSpan);
        Assert.Equal(expected.Sum, actual.Sum, Math.Abs(expected.Sum) * 1e-12);
        foreach (double q in QuantileGrid)
            Assert.Equal(expected.GetQuantile(q), actual.GetQuantile(q));
    }

    [Theory]
    [InlineData(DDSketch.DefaultMaxBins)]
    [InlineData(64)] // collapses: the merged sketch still equals the sketch of the concatenation
    public void Merge_ThreeParts_EqualsSketchOfConcatenation(int maxBins)
    {
        double[] values = Sample("lognormal", 30_000, 11);
        var random = new Random(12);
        var parts = new[] { new DDSketch(0.01, maxBins), new DDSketch(0.01, maxBins), new DDSketch(0.01, maxBins) };
        foreach (double v in values) parts[random.Next(3)].Add(v);
        var merged = new DDSketch(0.01, maxBins);
        merged.Merge(parts[2]);
        merged.Merge(parts[0]);
        merged.Merge(parts[1]);
        var whole = Sketch(values, 0.01, maxBins);
        Assert.Equal(maxBins < 1000, whole.IsCollapsed);
        AssertSameAnswers(whole, merged);
    }

    // Values from integers spread over many decades (0 included), small maxBins so collapsing is exercised too.
    private static double[] Values(int[] raw) => raw.Select(r => r == 0 ? 0 : Math.Pow(1.5, r % 60)).ToArray();

    [Property(MaxTest = 200)]
    public bool Merge_AnySplit_EqualsConcatenation(int[] x, int[] y, bool small)
    {
        int maxBins = small ? 16 : DDSketch.DefaultMaxBins;
        double[] a = Values(x), b = Values(y);
        DDSketch merged = Sketch(a, 0.01, maxBins);
        merged.Merge(Sketch(b, 0.01, maxBins));
        DDSketch whole = Sketch(b.Concat(a), 0.01, maxBins);
        AssertSameAnswers(whole, merged);
        return true;
    }

    [Property(MaxTest = 100)]
    public bool Merge_IsCommutativeAndAssociative(int[] x, int[] y, int[] z)
    {
        double[] a = Values(x), b = Values(y), c = Values(z);
        DDSketch left = Sketch(a, 0.01, 16);
        left.Merge(Sketch(b, 0.01, 16));
        left.Merge(Sketch(c, 0.01, 16));
        DDSketch bc = Sketch(c, 0.01, 16);
        bc.Merge(Sketch(b, 0.01, 16));
        DDSketch right = Sketch(a, 0.01, 16);
        right.Merge(bc);
        AssertSameAnswers(left, right);
        return true;
    }

    [Fact]
    public void Merge_WithItself_DoublesCounts()
    {
        var s = Sketch([1, 2, 3, 0]);
        s.Merge(s);
        AssertSameAnswers(Sketch([1, 2, 3, 0, 1, 2, 3, 0]), s);
    }

    [Fact]
    public void Merge_DifferentParameters_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => new DDSketch(0.01).Merge(new DDSketch(0.02)));
        Assert.Throws<ArgumentException>(() => new DDSketch(0.01, 100).Merge(new DDSketch(0.01, 200)));
    }

    [Fact]
    public void FromBytes_RoundTrip_SameAnswersAndBytes()
    {
        foreach (DDSketch s in new[] { new DDSketch(), Sketch([0, 0]), Sketch(Sample("bimodal", 5000, 2)), Sketch(Sample("lognormal", 5000, 3), 0.01, 32) })
        {
            byte[] bytes = s.ToBytes();
            DDSketch back = DDSketch.FromBytes(bytes);
            if (s.Count > 0) AssertSameAnswers(s, back);
            Assert.Equal(s.Count, back.Count);
            Assert.Equal(bytes, back.ToBytes());
            back.Add(1.5); // the restored sketch keeps working
            Assert.Equal(s.Count + 1, back.Count);
        }
    }

    [Fact]
    public void FromBytes_FlippedBitOrWrongType_ThrowsInvalidData()
    {
        byte[] bytes = Sketch([0.5, 1, 2, 4, 0]).ToBytes();
        for (int i = 0; i < bytes.Length; i++)
        {
            byte[] copy = (byte[])bytes.Clone();
            copy[i] ^= 0x40;
            Assert.Throws<InvalidDataException>(() => DDSketch.FromBytes(copy));
        }
        Assert.Throws<InvalidDataException>(() => DDSketch.FromBytes(new HyperLogLog().ToBytes()));
        Assert.Throws<InvalidDataException>(() => DDSketch.FromBytes(bytes.AsSpan(0, 20)));
    }

    private static byte[] Build(double alpha = 0.01, int maxBins = 64, long zeros = 0, double sum = 3, double min = 1, double max = 2, int minIndex = 0, uint[]? bins = null)
    {
        var w = new StateWriter("DDSK", 1);
        w.WriteDouble(alpha);
        w.WriteInt32(maxBins);
        w.WriteBool(false);
        w.WriteInt64(zeros);
        w.WriteDouble(sum);
        w.WriteDouble(min);
        w.WriteDouble(max);
        w.WriteInt32(minIndex);
        w.WriteUInt32s(bins ?? [1, 0, 1]);
        return w.ToArray();
    }

    [Fact]
    public void FromBytes_ValidEnvelopeButInconsistentContent_ThrowsInvalidData()
    {
        Assert.Equal(2, DDSketch.FromBytes(Build()).Count); // the builder's defaults are consistent
        Assert.Throws<InvalidDataException>(() => DDSketch.FromBytes(Build(alpha: 1.5)));
        Assert.Throws<InvalidDataException>(() => DDSketch.FromBytes(Build(maxBins: 4)));
        Assert.Throws<InvalidDataException>(() => DDSketch.FromBytes(Build(zeros: -1)));
        Assert.Throws<InvalidDataException>(() => DDSketch.FromBytes(Build(min: 3, max: 2)));
        Assert.Throws<InvalidDataException>(() => DDSketch.FromBytes(Build(min: double.NaN)));
        Assert.Throws<InvalidDataException>(() => DDSketch.FromBytes(Build(zeros: 1)));             // zeros but min 1
        Assert.Throws<InvalidDataException>(() => DDSketch.FromBytes(Build(bins: [0, 1])));         // span starts empty
        Assert.Throws<InvalidDataException>(() => DDSketch.FromBytes(Build(bins: new uint[65])));   // wider than maxBins
        Assert.Throws<InvalidDataException>(() => DDSketch.FromBytes(Build(minIndex: int.MaxValue - 1)));
    }

    [Fact]
    public void Constructor_InvalidParameters_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DDSketch(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DDSketch(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DDSketch(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DDSketch(0.01, 15));
    }
}
