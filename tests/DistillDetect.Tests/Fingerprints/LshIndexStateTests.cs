using System.Buffers.Binary;
using DistillDetect.Fingerprints;
using DistillDetect.Serialization;

namespace DistillDetect.Tests.Fingerprints;

public class LshIndexStateTests
{
    private const int K = 64;
    private static readonly LshParameters P = new(16, 4);

    private static LshIndex Build(IEnumerable<long> ids, int maxCount = 10_000, long seed = 42, LshParameters? parameters = null)
    {
        var index = new LshIndex(K, parameters ?? P, seed, maxCount);
        foreach (long id in ids) Assert.True(index.Insert(id, LshTestSignatures.Random(id, K)));
        return index;
    }

    private static List<uint[]> Probes(int count)
    {
        var rng = new Random(17);
        var probes = new List<uint[]>();
        for (int i = 0; i < count; i++)
        {
            uint[] s = LshTestSignatures.Random(rng.Next(1500), K);
            probes.Add(i % 2 == 0 ? s : LshTestSignatures.WithJaccard(s, 0.5, rng));
        }
        return probes;
    }

    private static void AssertSameAnswers(LshIndex expected, LshIndex actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        var a = new List<long>();
        var b = new List<long>();
        foreach (uint[] probe in Probes(600))
        {
            a.Clear();
            b.Clear();
            expected.Query(probe, a);
            actual.Query(probe, b);
            Assert.Equal(a.ToHashSet(), b.ToHashSet());
        }
    }

    [Fact]
    public void ToBytesFromBytes_RoundTrip_SameParametersAndAnswersAndBytes()
    {
        LshIndex index = Build(Enumerable.Range(0, 1000).Select(i => (long)i));
        for (long id = 0; id < 1000; id += 5) index.Remove(id);
        byte[] bytes = index.ToBytes();
        LshIndex loaded = LshIndex.FromBytes(bytes);
        Assert.Equal(index.HashCount, loaded.HashCount);
        Assert.Equal(index.Parameters, loaded.Parameters);
        Assert.Equal(index.Seed, loaded.Seed);
        Assert.Equal(index.MaxCount, loaded.MaxCount);
        AssertSameAnswers(index, loaded);
        Assert.Equal(bytes, loaded.ToBytes());
        loaded.CheckConsistency();
        // The loaded index is live: it accepts inserts and removes.
        Assert.True(loaded.Insert(5, LshTestSignatures.Random(5, K)));
        Assert.True(loaded.Remove(6));
    }

    [Fact]
    public void ToBytes_KnownAnswer_FormatAndBandHashAreStable()
    {
        // Pins the format and XxHash3 band keys: the same seed and input give the same bytes on every machine.
        var index = new LshIndex(8, new LshParameters(2, 4), 42, 4);
        Assert.True(index.Insert(-5, [1, 2, 3, 4, 5, 6, 7, 8]));
        string actual = Convert.ToHexString(index.ToBytes());
        Assert.True(actual == LshIndexKnownAnswer, $"serialized bytes changed: {actual}");
    }

    private const string LshIndexKnownAnswer =
        "4C53484901002C0000000800000002000000040000002A000000000000000400000001000000FBFFFFFFFFFFFFFF38DE21640561ED51FF40EC91";

    [Fact]
    public void FromBytes_AnyFlippedBit_ThrowsInvalidData()
    {
        byte[] bytes = Build(Enumerable.Range(0, 20).Select(i => (long)i)).ToBytes();
        var rng = new Random(9);
        for (int trial = 0; trial < 200; trial++)
        {
            byte[] copy = (byte[])bytes.Clone();
            copy[rng.Next(copy.Length)] ^= (byte)(1 << rng.Next(8));
            var ex = Assert.Throws<InvalidDataException>(() => LshIndex.FromBytes(copy));
            Assert.Contains("LSH index", ex.Message, StringComparison.Ordinal);
        }
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => LshIndex.FromBytes(bytes.AsSpan(0, 8))).Message, StringComparison.Ordinal);
        Assert.Contains("magic", Assert.Throws<InvalidDataException>(() => LshIndex.FromBytes(new StateWriter("MINH", 1).ToArray())).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromBytes_ExpectedParametersDiffer_ThrowsNamingTheParameter()
    {
        byte[] bytes = Build([1, 2, 3]).ToBytes();
        Assert.Equal(3, LshIndex.FromBytes(bytes, K, P, 42).Count);
        Assert.Contains("'bands'", Assert.Throws<InvalidDataException>(() => LshIndex.FromBytes(bytes, K, new LshParameters(8, 4), 42)).Message, StringComparison.Ordinal);
        Assert.Contains("'rows per band'", Assert.Throws<InvalidDataException>(() => LshIndex.FromBytes(bytes, K, new LshParameters(16, 3), 42)).Message, StringComparison.Ordinal);
        Assert.Contains("'seed'", Assert.Throws<InvalidDataException>(() => LshIndex.FromBytes(bytes, K, P, 43)).Message, StringComparison.Ordinal);
        Assert.Contains("'hash count'", Assert.Throws<InvalidDataException>(() => LshIndex.FromBytes(bytes, 128, P, 42)).Message, StringComparison.Ordinal);
    }

    private static byte[] Craft(int hashCount, int bands, int rows, int maxCount, params long[] ids)
    {
        var w = new StateWriter("LSHI", 1);
        w.WriteInt32(hashCount);
        w.WriteInt32(bands);
        w.WriteInt32(rows);
        w.WriteInt64(42);
        w.WriteInt32(maxCount);
        w.WriteInt32(ids.Length);
        foreach (long id in ids)
        {
            w.WriteInt64(id);
            for (int b = 0; b < bands; b++) w.WriteUInt32((uint)(id + b));
        }
        return w.ToArray();
    }

    [Fact]
    public void FromBytes_InconsistentState_ThrowsNamingWhatIsWrong()
    {
        Assert.Equal(2, LshIndex.FromBytes(Craft(8, 2, 4, 10, 1, 2)).Count);
        Assert.Contains("banding", Assert.Throws<InvalidDataException>(() => LshIndex.FromBytes(Craft(8, 3, 4, 10, 1))).Message, StringComparison.Ordinal);
        Assert.Contains("hash count", Assert.Throws<InvalidDataException>(() => LshIndex.FromBytes(Craft(0, 1, 1, 10))).Message, StringComparison.Ordinal);
        Assert.Contains("maximum count", Assert.Throws<InvalidDataException>(() => LshIndex.FromBytes(Craft(8, 2, 4, 0))).Message, StringComparison.Ordinal);
        Assert.Contains("entries", Assert.Throws<InvalidDataException>(() => LshIndex.FromBytes(Craft(8, 2, 4, 1, 1, 2))).Message, StringComparison.Ordinal);
        Assert.Contains("twice", Assert.Throws<InvalidDataException>(() => LshIndex.FromBytes(Craft(8, 2, 4, 10, 7, 7))).Message, StringComparison.Ordinal);

        // A count that claims more entries than the bytes hold.
        byte[] bytes = Craft(8, 2, 4, 10, 1, 2);
        var w = new StateWriter("LSHI", 1);
        var payload = bytes.AsSpan(StateReader.HeaderLength, bytes.Length - StateReader.HeaderLength - 4).ToArray();
        BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(24), 3);
        foreach (byte b in payload) w.WriteByte(b);
        Assert.Contains("entries", Assert.Throws<InvalidDataException>(() => LshIndex.FromBytes(w.ToArray())).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_OverlappingIndexes_EqualsIndexOfUnion()
    {
        LshIndex a = Build(Enumerable.Range(0, 900).Select(i => (long)i));
        LshIndex b = Build(Enumerable.Range(500, 1000).Select(i => (long)i), maxCount: 2000);
        LshIndex union = Build(Enumerable.Range(0, 1500).Select(i => (long)i));
        a.Merge(b);
        Assert.Equal(1500, a.Count);
        Assert.Equal(1000, b.Count);
        AssertSameAnswers(union, a);
        a.CheckConsistency();
        a.Merge(a);
        Assert.Equal(1500, a.Count);
    }

    [Fact]
    public void Merge_DifferentParameters_ThrowsArgumentException()
    {
        LshIndex a = Build([1]);
        Assert.Contains("hash counts", Assert.Throws<ArgumentException>(() => a.Merge(new LshIndex(K * 2, P, 42, 10))).Message, StringComparison.Ordinal);
        Assert.Contains("banding", Assert.Throws<ArgumentException>(() => a.Merge(new LshIndex(K, new LshParameters(8, 8), 42, 10))).Message, StringComparison.Ordinal);
        Assert.Contains("seeds", Assert.Throws<ArgumentException>(() => a.Merge(new LshIndex(K, P, 41, 10))).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => a.Merge(null!));
    }

    [Fact]
    public void Merge_UnionAboveMaxCount_ThrowsAndLeavesIndexUnchanged()
    {
        LshIndex a = Build(Enumerable.Range(0, 8).Select(i => (long)i), maxCount: 10);
        byte[] before = a.ToBytes();
        LshIndex b = Build(Enumerable.Range(5, 6).Select(i => (long)i)); // 5..10: three new ids, 11 in all
        Assert.Throws<InvalidOperationException>(() => a.Merge(b));
        Assert.Equal(before, a.ToBytes());
        a.Merge(Build(Enumerable.Range(5, 5).Select(i => (long)i))); // 5..9: exactly 10
        Assert.Equal(10, a.Count);
    }
}
