using System.IO.Hashing;
using System.Numerics;
using System.Runtime.InteropServices;
using DistillDetect.Fingerprints;
using DistillDetect.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace DistillDetect.Tests.Fingerprints;

public class MinHasherTests
{
    private static readonly MinHasher Oph = new();
    private static readonly MinHasher KInd = new(new MinHashOptions { Scheme = MinHashScheme.KIndependent });
    private static readonly MinHasher Dens = new(new MinHashOptions { Scheme = MinHashScheme.OptimalDensification });

    public static TheoryData<MinHashScheme> Schemes => [MinHashScheme.OnePermutation, MinHashScheme.KIndependent, MinHashScheme.OptimalDensification];

    private static MinHasher For(MinHashScheme scheme) => scheme switch
    {
        MinHashScheme.OnePermutation => Oph,
        MinHashScheme.KIndependent => KInd,
        _ => Dens,
    };

    [Theory]
    [MemberData(nameof(Schemes))]
    public void Compute_SamePrompt_IdenticalAndJaccardOne(MinHashScheme scheme)
    {
        var h = For(scheme);
        string p = MinHashTestData.Prompt(1);
        Assert.Equal(h.Compute(p), h.Compute(p));
        Assert.Equal(1.0, MinHashSignature.EstimateJaccard(h.Compute(p), h.Compute(p)));
    }

    [Theory]
    [MemberData(nameof(Schemes))]
    public void Compute_DisguisedCopy_JaccardOne(MinHashScheme scheme)
    {
        var h = For(scheme);
        string original = "Reason step by step, then give the full code for Task 17: sort a list of numbers.";
        string disguised = "R\u0435ason st\u200Bep by STEP \u2014 then g\u0456ve the \uFF46ull c\u03BFde for Task 912:  sort a l\u0456st of numb\u0435rs!!";
        Assert.Equal(1.0, MinHashSignature.EstimateJaccard(h.Compute(original), h.Compute(disguised)));
        Assert.True(MinHashSignature.EstimateJaccard(h.Compute(original), h.Compute("Translate this poem into French, keeping the rhyme.")) < 0.1);
    }

    [Theory]
    [MemberData(nameof(Schemes))]
    public void Compute_EqualsComputeFromHashesOfShingles(MinHashScheme scheme)
    {
        var h = For(scheme);
        foreach (string p in new[] { MinHashTestData.Prompt(2), "one", "two words", "", "\uFB01 ok \u2167" })
        {
            string normalized = PromptNormalizer.Normalize(p, h.Options.Normalization);
            var shingles = new ulong[Shingler.GetMaxWordShingleCount(normalized.Length)];
            int n = Shingler.HashWordShingles(normalized, h.Options.ShingleSize, h.Options.Seed, shingles);
            var expected = new uint[h.HashCount];
            h.ComputeFromHashes(shingles.AsSpan(0, n), expected);
            Assert.Equal(expected, h.Compute(p));
        }
    }

    [Theory]
    [MemberData(nameof(Schemes))]
    public void Compute_EmptyPrompt_AllMaxValueAndTwoEmptiesEstimateOne(MinHashScheme scheme)
    {
        var h = For(scheme);
        uint[] empty = h.Compute(" \u200B ,, ");
        Assert.All(empty, v => Assert.Equal(uint.MaxValue, v));
        Assert.Equal(1.0, MinHashSignature.EstimateJaccard(empty, h.Compute("")));
        Assert.True(MinHashSignature.EstimateJaccard(empty, h.Compute("something")) < 0.05);
    }

    [Fact]
    public void Compute_WrongSignatureLength_Throws()
    {
        Assert.Throws<ArgumentException>(() => Oph.Compute("abc", new uint[127]));
        Assert.Throws<ArgumentException>(() => Oph.ComputeFromHashes([1UL], new uint[129]));
    }

    [Fact]
    public void Options_Invalid_ThrowNamingTheParameter()
    {
        Assert.Contains("HashCount", Assert.Throws<ArgumentOutOfRangeException>(() => new MinHasher(new MinHashOptions { HashCount = 0 })).Message, StringComparison.Ordinal);
        Assert.Contains("HashCount", Assert.Throws<ArgumentOutOfRangeException>(() => new MinHasher(new MinHashOptions { HashCount = MinHashOptions.MaxHashCount + 1 })).Message, StringComparison.Ordinal);
        Assert.Contains("ShingleSize", Assert.Throws<ArgumentOutOfRangeException>(() => new MinHasher(new MinHashOptions { ShingleSize = 0 })).Message, StringComparison.Ordinal);
        Assert.Contains("Scheme", Assert.Throws<ArgumentOutOfRangeException>(() => new MinHasher(new MinHashOptions { Scheme = (MinHashScheme)7 })).Message, StringComparison.Ordinal);
        Assert.Contains("Normalization", Assert.Throws<ArgumentOutOfRangeException>(() => new MinHasher(new MinHashOptions { Normalization = (NormalizationOptions)8 })).Message, StringComparison.Ordinal);
        Assert.Equal(128, new MinHasher().HashCount);
        Assert.Equal(MinHashOptions.DefaultSeed, new MinHasher().Options.Seed);
    }

    [Fact]
    public void Compute_DifferentSeeds_UnrelatedSignatures()
    {
        var other = new MinHasher(new MinHashOptions { Seed = 12345 });
        string p = MinHashTestData.Prompt(3);
        Assert.True(MinHashSignature.EstimateJaccard(Oph.Compute(p), other.Compute(p)) < 0.05);
    }

    /// <summary>
    /// Golden values: the signature of a fixed prompt under the default options must never change between
    /// versions or machines (stored signatures and LSH indexes depend on it). Update only with a format bump.
    /// </summary>
    [Theory]
    [InlineData(MinHashScheme.OnePermutation, 9862099313231812801UL)]
    [InlineData(MinHashScheme.KIndependent, 17761611078904230926UL)]
    [InlineData(MinHashScheme.OptimalDensification, 7585787158356517660UL)]
    public void Compute_FixedPrompt_GoldenSignatureHash(MinHashScheme scheme, ulong expected)
    {
        uint[] sig = For(scheme).Compute("Reason step by step, then write the full code for task 7: merge two sorted lists.");
        ulong actual = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(sig.AsSpan()));
        Assert.Equal(expected, actual);
    }

    [Theory]
    [MemberData(nameof(Schemes))]
    public void Compute_TwoKilobytePrompt_AllocatesNothing(MinHashScheme scheme)
    {
        var h = For(scheme);
        string p = MinHashTestData.Prompt(4);
        var sig = new uint[h.HashCount];
        for (int i = 0; i < 200; i++) h.Compute(p, sig); // warm up past tiered compilation
        long allocated = Allocations.Fewest(() =>
        {
            for (int i = 0; i < 100; i++) h.Compute(p, sig);
        });
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Compute_TenMegabytePrompt_Works()
    {
        string big = string.Concat(Enumerable.Range(0, 5000).Select(MinHashTestData.Prompt));
        uint[] sig = Oph.Compute(big);
        Assert.DoesNotContain(uint.MaxValue, sig);
    }

    [Property(MaxTest = 100)]
    public bool EstimateJaccard_RandomPrompts_SymmetricAndBounded(string? a, string? b, byte scheme)
    {
        var h = For((MinHashScheme)(scheme % 3));
        uint[] sa = h.Compute(a ?? "");
        uint[] sb = h.Compute(b ?? "");
        double ab = MinHashSignature.EstimateJaccard(sa, sb);
        return ab == MinHashSignature.EstimateJaccard(sb, sa) && ab is >= 0 and <= 1 && MinHashSignature.EstimateJaccard(sa, sa) == 1.0;
    }

    /// <summary>
    /// datasketch computes (a*h + b) mod (2^61 - 1) in 64-bit integers, so a*h overflows before the modulo.
    /// Ours must equal the exact BigInteger value, including at the extremes where the naive form is wrong.
    /// </summary>
    [Fact]
    public void MulAddMod_ExtremeAndRandomValues_EqualsBigIntegerReference()
    {
        const ulong p = MinHasher.MersennePrime;
        var rng = new Random(61);
        var cases = new List<(ulong A, ulong X, ulong B)> { (p - 1, p - 1, p - 1), (1, 0, 0), (p - 1, 1, p - 1), (1UL << 60, 1UL << 60, 12345) };
        for (int i = 0; i < 100_000; i++)
            cases.Add(((ulong)rng.NextInt64(1, (long)p), (ulong)rng.NextInt64(0, (long)p), (ulong)rng.NextInt64(0, (long)p)));
        int naiveWrong = 0;
        foreach (var (a, x, b) in cases)
        {
            ulong expected = (ulong)((new BigInteger(a) * x + b) % p);
            Assert.Equal(expected, MinHasher.MulAddMod(a, x, b));
            ulong naive = unchecked(a * x + b) % p; // the datasketch defect
            if (naive != expected) naiveWrong++;
        }
        Assert.True(naiveWrong > 90_000, "the naive 64-bit form should be wrong almost always for random 61-bit operands");
        Assert.Equal((ulong)(((BigInteger)ulong.MaxValue) % p), MinHasher.ReduceMersenne(ulong.MaxValue));
    }

    [Theory]
    [MemberData(nameof(Schemes))]
    public void Compute_EveryPath_BitIdenticalSignatures(MinHashScheme scheme)
    {
        var h = For(scheme);
        var rng = new Random(77);
        var prompts = new List<string> { "", "one", "two words", "three little words", "\uFB01 ok \u2167", new string('z', 50) };
        for (int i = 0; i < 30; i++) prompts.Add(MinHashTestData.Prompt(rng.Next(), rng.Next(1, 3000)));
        for (int i = 0; i < 10; i++)
        {
            var sb = new System.Text.StringBuilder();
            for (int j = 0; j < rng.Next(1, 400); j++) sb.Append((char)rng.Next(0x20, 0x3000));
            prompts.Add(sb.ToString());
        }
        foreach (string p in prompts)
        {
            var expected = new uint[h.HashCount];
            h.Compute(p, expected, VectorPath.Scalar);
            foreach (VectorPath path in DistillDetect.Tests.Text.WordHasherTests.Paths())
            {
                var actual = new uint[h.HashCount];
                h.Compute(p, actual, path);
                Assert.Equal(expected, actual);
            }
            Assert.Equal(expected, h.Compute(p));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(200)]
    [InlineData(600)]
    public void Compute_OtherHashCounts_EveryPathBitIdentical(int hashCount)
    {
        var h = new MinHasher(new MinHashOptions { HashCount = hashCount });
        foreach (string p in new[] { "a", "a b c d", MinHashTestData.Prompt(9, 300), MinHashTestData.Prompt(10) })
        {
            var expected = new uint[hashCount];
            h.Compute(p, expected, VectorPath.Scalar);
            Assert.DoesNotContain(uint.MaxValue, expected);
            foreach (VectorPath path in DistillDetect.Tests.Text.WordHasherTests.Paths())
            {
                var actual = new uint[hashCount];
                h.Compute(p, actual, path);
                Assert.Equal(expected, actual);
            }
        }
    }
}
