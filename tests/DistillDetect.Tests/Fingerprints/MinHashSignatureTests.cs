using DistillDetect.Fingerprints;

namespace DistillDetect.Tests.Fingerprints;

public class MinHashSignatureTests
{
    public static TheoryData<int> Lengths => [1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 255, 256, 257, 1000];

    [Theory]
    [MemberData(nameof(Lengths))]
    public void EstimateJaccard_LengthsAroundVectorWidths_VectorAndScalarAgree(int length)
    {
        var rng = new Random(length);
        for (int rep = 0; rep < 50; rep++)
        {
            var a = new uint[length];
            var b = new uint[length];
            int expected = 0;
            for (int i = 0; i < length; i++)
            {
                a[i] = (uint)rng.Next();
                b[i] = rng.Next(3) == 0 ? a[i] : a[i] ^ (1u << rng.Next(32));
                if (a[i] == b[i]) expected++;
            }
            Assert.Equal(expected, MinHashSignature.CountEqual(a, b, 0));
            Assert.Equal(expected, MinHashSignature.CountEqual(a, b, 256));
            Assert.Equal(expected, MinHashSignature.CountEqual(a, b, 512));
            Assert.Equal((double)expected / length, MinHashSignature.EstimateJaccard(a, b));
        }
    }

    [Fact]
    public void EstimateJaccard_LengthMismatchOrEmpty_Throws()
    {
        Assert.Throws<ArgumentException>(() => MinHashSignature.EstimateJaccard(new uint[128], new uint[64]));
        Assert.Throws<ArgumentException>(() => MinHashSignature.EstimateJaccard([], []));
    }

    [Fact]
    public void CompactBBits_KnownAnswer_LittleEndianPacking()
    {
        var dest = new byte[MinHashSignature.GetCompactedLength(3, 4)];
        MinHashSignature.CompactBBits([0x1u, 0xF2u, 0x3u], 4, dest);
        Assert.Equal([0x21, 0x03], dest);
        var d12 = new byte[MinHashSignature.GetCompactedLength(2, 12)];
        MinHashSignature.CompactBBits([0xABCu, 0x123u], 12, d12);
        Assert.Equal([0xBC, 0x3A, 0x12], d12);
        Assert.Equal(128, MinHashSignature.GetCompactedLength(128, 8));
        Assert.Equal(16, MinHashSignature.GetCompactedLength(128, 1));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(13)]
    [InlineData(32)]
    public void CompactBBits_UnpackedByReference_GivesLowBits(int bits)
    {
        var rng = new Random(bits);
        var sig = new uint[77];
        for (int i = 0; i < sig.Length; i++) sig[i] = (uint)rng.NextInt64(0, 1L << 32);
        var packed = new byte[MinHashSignature.GetCompactedLength(sig.Length, bits)];
        MinHashSignature.CompactBBits(sig, bits, packed);
        for (int i = 0; i < sig.Length; i++)
        {
            ulong value = 0;
            for (int j = 0; j < bits; j++)
            {
                int bit = i * bits + j;
                value |= (ulong)((packed[bit >> 3] >> (bit & 7)) & 1) << j;
            }
            Assert.Equal(bits == 32 ? sig[i] : sig[i] & ((1u << bits) - 1), value);
        }
    }

    [Fact]
    public void EstimateJaccardBBits_IdenticalIsOne_LengthsChecked()
    {
        uint[] sig = new MinHasher().Compute("some prompt to compact into a few bits");
        foreach (int bits in new[] { 1, 2, 4, 8, 16, 32 })
        {
            var packed = new byte[MinHashSignature.GetCompactedLength(128, bits)];
            MinHashSignature.CompactBBits(sig, bits, packed);
            Assert.Equal(1.0, MinHashSignature.EstimateJaccardBBits(packed, packed, 128, bits));
            Assert.Throws<ArgumentException>(() => MinHashSignature.EstimateJaccardBBits(packed, packed.AsSpan(1), 128, bits));
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => MinHashSignature.GetCompactedLength(128, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => MinHashSignature.GetCompactedLength(128, 33));
        Assert.Throws<ArgumentException>(() => MinHashSignature.CompactBBits(sig, 8, new byte[127]));
    }

    /// <summary>
    /// The b-bit estimator is unbiased after the 2^-b correction: over 400 pairs at J = 0.5 (k = 128) the mean
    /// estimate must be within 4 standard errors of 0.5. Per pair, Var(P) = P(1-P)/k with P = J + (1-J)2^-b, so
    /// Var(J^) = P(1-P)/(k (1-2^-b)^2); the mean of 400 has standard error sqrt(Var/400). Without the correction
    /// the mean at b = 1 would be 0.75, at b = 2 0.625: far outside.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    public void EstimateJaccardBBits_ManyPairs_Unbiased(int bits)
    {
        var h = new MinHasher();
        var rng = new Random(bits * 31);
        const int pairs = 400;
        const double j = 0.5;
        double sum = 0;
        var sa = new uint[128];
        var sb = new uint[128];
        var pa = new byte[MinHashSignature.GetCompactedLength(128, bits)];
        var pb = new byte[pa.Length];
        for (int t = 0; t < pairs; t++)
        {
            var (a, b) = MinHashTestData.Pair(rng, 200, 100, 100); // J = 200 / 400
            h.ComputeFromHashes(a, sa);
            h.ComputeFromHashes(b, sb);
            MinHashSignature.CompactBBits(sa, bits, pa);
            MinHashSignature.CompactBBits(sb, bits, pb);
            sum += MinHashSignature.EstimateJaccardBBits(pa, pb, 128, bits);
        }
        double chance = Math.ScaleB(1.0, -bits);
        double p = j + (1 - j) * chance;
        double standardError = Math.Sqrt(p * (1 - p) / (128 * (1 - chance) * (1 - chance)) / pairs);
        Assert.InRange(sum / pairs, j - 4 * standardError, j + 4 * standardError);
    }
}
