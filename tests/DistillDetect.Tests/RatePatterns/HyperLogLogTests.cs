using System.IO.Hashing;
using System.Runtime.InteropServices;
using DistillDetect.RatePatterns;
using DistillDetect.Serialization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace DistillDetect.Tests.RatePatterns;

public class HyperLogLogTests
{
    private const int Trials = 300;

    private static byte[] Registers(HyperLogLog sketch)
    {
        var r = new byte[sketch.RegisterCount];
        sketch.CopyRegistersTo(r);
        return r;
    }

    private static HyperLogLog Sketch(int precision, IEnumerable<ulong> hashes)
    {
        var s = new HyperLogLog(precision);
        foreach (ulong h in hashes) s.Add(h);
        return s;
    }

    // The relative error of one sketch, item i of the trial hashed with the trial's seed (an independent hash function).
    private static double RelativeError(int precision, int n, int trial)
    {
        var sketch = new HyperLogLog(precision, seed: 1000 + trial);
        Span<byte> item = stackalloc byte[4];
        for (int i = 0; i < n; i++)
        {
            MemoryMarshal.Write(item, in i);
            sketch.Add(item);
        }
        return sketch.Estimate() / n - 1;
    }

    // Theory. Above 2.5 m the raw estimator has relative standard error beta_m / sqrt(m) with beta_m -> 1.04
    // (Flajolet et al. 2007, beta_512 within 0.1 % of beta_inf = 1.039; beta_16 = 1.106). Below, linear counting
    // m ln(m / V) has relative standard error sqrt(m (e^t - t - 1)) / n with t = n / m (Whang, Vander-Zanden, Taylor 1990).
    // Test: the mean of the T squared relative errors (the MSE) estimates sigma^2; its standard error is
    // sd(e^2) / sqrt(T), estimated from the same sample (this covers the heavy tails of linear counting at n = 10,
    // where one register collision moves the estimate by 9 %). We require |MSE - sigma^2| <= 4 standard errors plus
    // 10 % of sigma^2 for the asymptotic formulas' finite-m terms and the estimators' O(1/m) bias: two-sided, so an
    // estimator that is too good (a test that measures nothing) fails as well as one that is too poor.
    [Theory]
    [InlineData(9, 10)]
    [InlineData(9, 100)]
    [InlineData(9, 10_000)]
    [InlineData(9, 100_000)]
    [InlineData(12, 100_000)]
    [InlineData(4, 10_000)]
    public void Estimate_ManyIndependentTrials_RmseMatchesTheory(int precision, int n)
    {
        int m = 1 << precision;
        double sigma;
        var probe = new HyperLogLog(precision);
        if (n <= 2.5 * m * 0.8)
        {
            double t = (double)n / m;
            sigma = Math.Sqrt(m * (Math.Exp(t) - t - 1)) / n;
        }
        else
        {
            Assert.True(n >= 5 * m, "the raw regime is tested well above the switch at 2.5 m");
            double beta = m == 16 ? 1.106 : 1.04;
            sigma = beta / Math.Sqrt(m);
        }

        var squared = new double[Trials];
        for (int trial = 0; trial < Trials; trial++)
        {
            double e = RelativeError(precision, n, trial);
            squared[trial] = e * e;
        }
        double mse = squared.Average();
        double sdSquared = Math.Sqrt(squared.Select(x => (x - mse) * (x - mse)).Sum() / (Trials - 1));
        double standardError = sdSquared / Math.Sqrt(Trials);
        double rmse = Math.Sqrt(mse);
        Assert.True(Math.Abs(mse - sigma * sigma) <= 4 * standardError + 0.1 * sigma * sigma,
            $"p={precision} n={n}: RMSE {rmse:P3} vs theory {sigma:P3} (1.04/sqrt(m) = {probe.StandardError:P3}); MSE standard error {standardError:E2}");
    }

    [Fact]
    public void Estimate_Empty_ReturnsZero()
    {
        var s = new HyperLogLog();
        Assert.True(s.IsEmpty);
        Assert.Equal(0, s.Estimate());
    }

    [Fact]
    public void Estimate_DuplicatesOfOneItem_CountsOne()
    {
        var s = new HyperLogLog();
        for (int i = 0; i < 10_000; i++) s.Add("the same prompt");
        Assert.Equal(1, s.Estimate(), 1e-9 + 0.01);
    }

    [Fact]
    public void Merge_OverlappingStreams_EqualsSketchOfUnion()
    {
        var a = new HyperLogLog(10, 7);
        var b = new HyperLogLog(10, 7);
        var union = new HyperLogLog(10, 7);
        for (int i = 0; i < 30_000; i++)
        {
            string item = $"prompt {i}";
            if (i < 20_000) a.Add(item);
            if (i >= 10_000) b.Add(item);
            union.Add(item);
        }
        a.Merge(b);
        Assert.Equal(Registers(union), Registers(a));
        Assert.Equal(union.Estimate(), a.Estimate());
        Assert.InRange(a.Estimate(), 30_000 * 0.85, 30_000 * 1.15); // +-4.6 sigma at m = 1024
    }

    [Property(MaxTest = 200)]
    public bool Merge_IsCommutative(ulong[] x, ulong[] y)
    {
        HyperLogLog ab = Sketch(5, x), ba = Sketch(5, y);
        ab.Merge(Sketch(5, y));
        ba.Merge(Sketch(5, x));
        return Registers(ab).AsSpan().SequenceEqual(Registers(ba));
    }

    [Property(MaxTest = 200)]
    public bool Merge_IsAssociative(ulong[] x, ulong[] y, ulong[] z)
    {
        HyperLogLog left = Sketch(4, x);
        left.Merge(Sketch(4, y));
        left.Merge(Sketch(4, z));
        HyperLogLog yz = Sketch(4, y);
        yz.Merge(Sketch(4, z));
        HyperLogLog right = Sketch(4, x);
        right.Merge(yz);
        return Registers(left).AsSpan().SequenceEqual(Registers(right));
    }

    [Property(MaxTest = 200)]
    public bool Merge_IsIdempotentAndEqualsConcatenation(ulong[] x, ulong[] y)
    {
        HyperLogLog s = Sketch(6, x);
        s.Merge(Sketch(6, y));
        byte[] once = Registers(s);
        s.Merge(Sketch(6, y));
        s.Merge(s);
        return once.AsSpan().SequenceEqual(Registers(s)) && once.AsSpan().SequenceEqual(Registers(Sketch(6, x.Concat(y))));
    }

    [Fact]
    public void Merge_DifferentPrecisionOrSeed_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => new HyperLogLog(9).Merge(new HyperLogLog(10)));
        Assert.Throws<ArgumentException>(() => new HyperLogLog(9, 1).Merge(new HyperLogLog(9, 2)));
    }

    [Fact]
    public void Add_CharsAndBytes_HashWithTheSketchSeed()
    {
        const long seed = 0x1234_5678_9ABC;
        var viaChars = new HyperLogLog(8, seed);
        var viaBytes = new HyperLogLog(8, seed);
        var viaHash = new HyperLogLog(8, seed);
        foreach (string word in new[] { "alpha", "beta", "gamma", "", "résumé" })
        {
            viaChars.Add(word.AsSpan());
            viaBytes.Add(MemoryMarshal.AsBytes(word.AsSpan()));
            viaHash.Add(XxHash3.HashToUInt64(MemoryMarshal.AsBytes(word.AsSpan()), seed));
        }
        Assert.Equal(Registers(viaHash), Registers(viaChars));
        Assert.Equal(Registers(viaHash), Registers(viaBytes));
    }

    [Fact]
    public void Add_RankOfAllZeroSuffix_IsCappedAt65MinusP()
    {
        var s = new HyperLogLog(4);
        s.Add(0UL);                  // register 0, remaining 60 bits zero: rank 61
        s.Add(0x1000_0000_0000_0000); // register 1, remaining bits zero: rank 61
        s.Add(0x2800_0000_0000_0000); // register 2, next bit set: rank 1
        byte[] r = Registers(s);
        Assert.Equal(61, r[0]);
        Assert.Equal(61, r[1]);
        Assert.Equal(1, r[2]);
    }

    [Fact]
    public void Add_Warm_AllocatesNothing()
    {
        var s = new HyperLogLog();
        string text = "a prompt to count";
        for (int i = 0; i < 1000; i++) { s.Add((ulong)i * 0x9E3779B97F4A7C15); s.Add(text.AsSpan()); }
        long allocated = Allocations.Fewest(() =>
        {
            for (int i = 0; i < 100_000; i++)
            {
                s.Add((ulong)i * 0x9E3779B97F4A7C15);
                s.Add(text.AsSpan());
                s.Add(MemoryMarshal.AsBytes(text.AsSpan()));
            }
            s.Estimate();
        });
        Assert.Equal(0, allocated);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(9)]
    [InlineData(16)]
    public void FromBytes_RoundTrip_SameRegistersAndEstimate(int precision)
    {
        var s = new HyperLogLog(precision, 42);
        for (int i = 0; i < 5000; i++) s.Add($"item {i}");
        byte[] bytes = s.ToBytes();
        HyperLogLog back = HyperLogLog.FromBytes(bytes, 42);
        Assert.Equal(precision, back.Precision);
        Assert.Equal(Registers(s), Registers(back));
        Assert.Equal(s.Estimate(), back.Estimate());
        Assert.Equal(bytes, back.ToBytes());
    }

    [Fact]
    public void FromBytes_FlippedBitOrTruncated_ThrowsInvalidData()
    {
        var s = new HyperLogLog(4);
        for (int i = 0; i < 100; i++) s.Add($"x{i}");
        byte[] bytes = s.ToBytes();
        for (int i = 0; i < bytes.Length; i++)
        {
            byte[] copy = (byte[])bytes.Clone();
            copy[i] ^= 0x01;
            Assert.Throws<InvalidDataException>(() => HyperLogLog.FromBytes(copy));
        }
        Assert.Throws<InvalidDataException>(() => HyperLogLog.FromBytes(bytes.AsSpan(0, bytes.Length - 1)));
        Assert.Throws<InvalidDataException>(() => HyperLogLog.FromBytes(new DDSketch().ToBytes()));
    }

    [Fact]
    public void FromBytes_WrongSeed_ThrowsInvalidData()
    {
        byte[] bytes = new HyperLogLog(9, 1).ToBytes();
        Assert.Contains("seed", Assert.Throws<InvalidDataException>(() => HyperLogLog.FromBytes(bytes, 2)).Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => HyperLogLog.FromBytes(bytes));
    }

    [Fact]
    public void FromBytes_ValidEnvelopeButImpossibleContent_ThrowsInvalidData()
    {
        byte[] reference = new HyperLogLog(4).ToBytes();
        uint seedCheck = BitConverter.ToUInt32(reference, StateReader.HeaderLength + 1);

        byte[] Build(byte precision, byte[] registers)
        {
            var w = new StateWriter("HLLS", 1);
            w.WriteByte(precision);
            w.WriteUInt32(seedCheck);
            w.WriteBytes(registers);
            return w.ToArray();
        }

        var tooHigh = new byte[16];
        tooHigh[3] = 62; // the largest rank at p = 4 is 61
        Assert.Contains("rank", Assert.Throws<InvalidDataException>(() => HyperLogLog.FromBytes(Build(4, tooHigh))).Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => HyperLogLog.FromBytes(Build(4, new byte[15])));
        Assert.Throws<InvalidDataException>(() => HyperLogLog.FromBytes(Build(3, new byte[8])));
        HyperLogLog ok = HyperLogLog.FromBytes(Build(4, new byte[16]));
        Assert.True(ok.IsEmpty);
    }

    // A committed fixture: version-1 state of the strings "a".."e" at p = 4, seed 0. Reading it must keep working.
    [Fact]
    public void FromBytes_CommittedVersion1Fixture_ReadsBack()
    {
        var s = new HyperLogLog(4);
        foreach (string x in new[] { "a", "b", "c", "d", "e" }) s.Add(x);
        byte[] fixture = Convert.FromHexString(FixtureHex);
        HyperLogLog back = HyperLogLog.FromBytes(fixture);
        Assert.Equal(Registers(s), Registers(back));
        Assert.Equal(fixture, s.ToBytes());
    }

    private const string FixtureHex = "484C4C5301001900000004AA3800001000000001020002010000000000020000000000A783724E";

    [Fact]
    public void Constructor_PrecisionOutOfRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new HyperLogLog(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HyperLogLog(17));
        Assert.Equal(512, new HyperLogLog().RegisterCount);
        Assert.Equal(1.04 / Math.Sqrt(512), new HyperLogLog().StandardError, 1e-12);
    }
}
