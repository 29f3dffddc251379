using DistillDetect.Fingerprints;
using DistillDetect.Serialization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace DistillDetect.Tests.Fingerprints;

public class MinHashAccumulatorTests
{
    private static readonly MinHasher Oph = new(new MinHashOptions { HashCount = 100 }); // not a multiple of 64: exercises the mask tail
    private static readonly MinHasher KInd = new(new MinHashOptions { HashCount = 64, Scheme = MinHashScheme.KIndependent });
    private static readonly MinHasher Dens = new(new MinHashOptions { HashCount = 70, Scheme = MinHashScheme.OptimalDensification });

    private static MinHasher Pick(byte scheme) => (scheme % 3) switch { 0 => Oph, 1 => KInd, _ => Dens };

    private static uint[] Direct(MinHasher h, ReadOnlySpan<ulong> elements)
    {
        var sig = new uint[h.HashCount];
        h.ComputeFromHashes(elements, sig);
        return sig;
    }

    private static uint[] Signature(MinHashAccumulator acc)
    {
        var sig = new uint[acc.Hasher.HashCount];
        acc.GetSignature(sig);
        return sig;
    }

    [Property(MaxTest = 200)]
    public bool Merge_TwoAccumulators_EqualsSignatureOfUnion(ulong[] a, ulong[] b, byte scheme)
    {
        var h = Pick(scheme);
        var x = new MinHashAccumulator(h);
        var y = new MinHashAccumulator(h);
        x.Add(a);
        y.Add(b);
        x.Merge(y);
        return Signature(x).AsSpan().SequenceEqual(Direct(h, [.. a, .. b])) && x.IsEmpty == (a.Length + b.Length == 0);
    }

    [Property(MaxTest = 200)]
    public bool Add_AnyOrderOneByOne_SameSignature(ulong[] elements, int seed, byte scheme)
    {
        var h = Pick(scheme);
        ulong[] shuffled = (ulong[])elements.Clone();
        new Random(seed).Shuffle(shuffled);
        var acc = new MinHashAccumulator(h);
        foreach (ulong e in shuffled) acc.Add(e);
        return Signature(acc).AsSpan().SequenceEqual(Direct(h, elements));
    }

    [Property(MaxTest = 100)]
    public bool ToBytes_RoundTrip_SameSignatureAndState(ulong[] elements, byte scheme)
    {
        var h = Pick(scheme);
        var acc = new MinHashAccumulator(h);
        acc.Add(elements);
        var copy = MinHashAccumulator.FromBytes(acc.ToBytes(), h);
        return Signature(copy).AsSpan().SequenceEqual(Signature(acc)) && copy.IsEmpty == acc.IsEmpty && copy.ToBytes().AsSpan().SequenceEqual(acc.ToBytes());
    }

    [Fact]
    public void FromBytes_AnyFlippedByteOrTruncation_ThrowsInvalidData()
    {
        var acc = new MinHashAccumulator(Oph);
        acc.Add([1, 2, 3, 4, 5]);
        byte[] data = acc.ToBytes();
        for (int i = 0; i < data.Length; i++)
        {
            byte[] copy = (byte[])data.Clone();
            copy[i] ^= 0x01;
            Assert.Throws<InvalidDataException>(() => MinHashAccumulator.FromBytes(copy, Oph));
        }
        for (int length = 0; length < data.Length; length += 7)
            Assert.Throws<InvalidDataException>(() => MinHashAccumulator.FromBytes(data.AsSpan(0, length), Oph));
    }

    [Fact]
    public void FromBytes_OtherParameters_ThrowsNamingTheParameter()
    {
        byte[] data = new MinHashAccumulator(Oph).ToBytes();
        Assert.Contains("HashCount", Assert.Throws<InvalidDataException>(() => MinHashAccumulator.FromBytes(data, new MinHasher())).Message, StringComparison.Ordinal);
        Assert.Contains("Seed", Assert.Throws<InvalidDataException>(() => MinHashAccumulator.FromBytes(data, new MinHasher(new MinHashOptions { HashCount = 100, Seed = 1 }))).Message, StringComparison.Ordinal);
        Assert.Contains("Scheme", Assert.Throws<InvalidDataException>(() => MinHashAccumulator.FromBytes(data, new MinHasher(new MinHashOptions { HashCount = 100, Scheme = MinHashScheme.KIndependent }))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromBytes_ValidChecksumButInconsistentState_Throws()
    {
        // Some bins empty in a non-empty one-permutation state, and a minimum beyond the last round:
        // well-formed envelopes, impossible states.
        static byte[] State(ulong[] mins)
        {
            var w = new StateWriter("MHAC", 1);
            w.WriteInt32(100);
            w.WriteByte(0);
            w.WriteInt64(MinHashOptions.DefaultSeed);
            w.WriteUInt64s(mins);
            return w.ToArray();
        }
        var partlyEmpty = new ulong[100];
        Array.Fill(partlyEmpty, ulong.MaxValue);
        partlyEmpty[5] = 7;
        Assert.Contains("inconsistent", Assert.Throws<InvalidDataException>(() => MinHashAccumulator.FromBytes(State(partlyEmpty), Oph)).Message, StringComparison.Ordinal);
        var outOfRange = new ulong[100];
        outOfRange[3] = 200UL << 32;
        Assert.Contains("out of range", Assert.Throws<InvalidDataException>(() => MinHashAccumulator.FromBytes(State(outOfRange), Oph)).Message, StringComparison.Ordinal);
        Assert.False(MinHashAccumulator.FromBytes(State(new ulong[100]), Oph).IsEmpty);
    }

    [Fact]
    public void Merge_DifferentParameters_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => new MinHashAccumulator(Oph).Merge(new MinHashAccumulator(new MinHasher())));
        Assert.Throws<ArgumentException>(() => new MinHashAccumulator(Oph).Merge(new MinHashAccumulator(new MinHasher(new MinHashOptions { HashCount = 100, Seed = 3 }))));
    }

    [Fact]
    public void Add_SingleElementsToSmallSet_SameAsBatch()
    {
        // The round-based filling must give the same minima whether elements arrive one by one or at once.
        var rng = new Random(8);
        for (int n = 1; n <= 40; n++)
        {
            ulong[] elements = [.. Enumerable.Range(0, n).Select(_ => MinHashTestData.NextUlong(rng))];
            var one = new MinHashAccumulator(Oph);
            foreach (ulong e in elements) one.Add(e);
            Assert.Equal(Direct(Oph, elements), Signature(one));
        }
    }

    [Fact]
    public void GetSignature_Empty_AllMaxValue()
    {
        var acc = new MinHashAccumulator(Oph);
        Assert.True(acc.IsEmpty);
        Assert.All(Signature(acc), v => Assert.Equal(uint.MaxValue, v));
        Assert.Throws<ArgumentException>(() => acc.GetSignature(new uint[5]));
    }
}
