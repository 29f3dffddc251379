using DistillDetect.Fingerprints;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace DistillDetect.Tests.Fingerprints;

public class LshIndexTests
{
    private const int K = 128;

    private static LshIndex Build(int count, LshParameters parameters, long seed = 7, int maxCount = 1_000_000, int firstId = 0)
    {
        var index = new LshIndex(K, parameters, seed, maxCount);
        for (int id = firstId; id < firstId + count; id++) Assert.True(index.Insert(id, LshTestSignatures.Random(id, K)));
        return index;
    }

    private static HashSet<long> QuerySet(LshIndex index, ReadOnlySpan<uint> signature)
    {
        var results = new List<long>();
        int added = index.Query(signature, results);
        Assert.Equal(results.Count, added);
        var set = results.ToHashSet();
        Assert.Equal(results.Count, set.Count); // each candidate once
        return set;
    }

    public static TheoryData<double, int, int, double> EmpiricalCases => new()
    {
        // threshold for Optimize / ForRecall, k, mode (0 = Optimize, 1 = ForRecall 0.95), query Jaccard
        { 0.5, K, 0, 0.3 },
        { 0.5, K, 0, 0.5 },
        { 0.5, K, 0, 0.7 },
        { 0.5, K, 1, 0.5 },
        { 0.5, K, 1, 0.35 },
        { 0.8, K, 0, 0.8 },
        { 0.8, K, 1, 0.8 },
    };

    [Theory]
    [MemberData(nameof(EmpiricalCases))]
    public void Query_PairsOfKnownJaccard_CandidateRateMatchesTheory(double threshold, int k, int mode, double jaccard)
    {
        LshParameters p = mode == 0 ? LshParameters.Optimize(threshold, k) : LshParameters.ForRecall(threshold, k, 0.95);
        const int Indexed = 2000, Trials = 3000;
        LshIndex index = Build(Indexed, p, seed: 11);
        var rng = new Random(20260101);
        var results = new List<long>();
        int hits = 0;
        for (int t = 0; t < Trials; t++)
        {
            int target = rng.Next(Indexed);
            uint[] query = LshTestSignatures.WithJaccard(LshTestSignatures.Random(target, k), jaccard, rng);
            results.Clear();
            index.Query(query, results);
            if (results.Contains(target)) hits++;
        }
        // Each trial is an independent Bernoulli(p) with p = CandidateProbability(J): bands use disjoint positions
        // that each agree independently with probability J (the MinHash model), and a band key collision between
        // different contents has probability 2^-32 per band, negligible here. So hits ~ Binomial(T, p); we allow
        // 4.5 standard deviations (two-sided normal tail 7e-6 per case), plus 1/T for the discreteness of the count.
        double expected = p.CandidateProbability(jaccard);
        double observed = (double)hits / Trials;
        double tolerance = (4.5 * Math.Sqrt(expected * (1 - expected) / Trials)) + (1.0 / Trials);
        Assert.True(Math.Abs(observed - expected) <= tolerance,
            $"{p} at J = {jaccard}: observed {observed:F4}, theory {expected:F4}, tolerance {tolerance:F4}");
        if (mode == 1 && jaccard >= threshold) Assert.True(observed >= 0.95 - tolerance);
    }

    [Fact]
    public void Query_OwnSignature_FindsEveryEntryExactlyOnce()
    {
        LshIndex index = Build(3000, LshParameters.Optimize(0.5, K));
        for (int id = 0; id < 3000; id++) Assert.Contains((long)id, QuerySet(index, LshTestSignatures.Random(id, K)));
        index.CheckConsistency();
    }

    [Fact]
    public void Query_UnseenSignatureOrEmptyIndex_ReturnsNothingAndNeverThrows()
    {
        var empty = new LshIndex(K, new LshParameters(16, 8), 1, 10);
        var results = new List<long> { 99 };
        Assert.Equal(0, empty.Query(LshTestSignatures.Random(5, K), results));
        Assert.Equal([99L], results); // existing items are kept
        LshIndex index = Build(500, new LshParameters(16, 8));
        for (int i = 0; i < 200; i++) Assert.Empty(QuerySet(index, LshTestSignatures.Random(1_000_000 + i, K)));
    }

    [Fact]
    public void Query_IdenticalSignaturesUnderDifferentIds_ReturnsBothOnce()
    {
        var index = new LshIndex(K, new LshParameters(32, 4), 3, 100);
        uint[] s = LshTestSignatures.Random(1, K);
        Assert.True(index.Insert(10, s));
        Assert.True(index.Insert(20, s));
        Assert.Equal(new HashSet<long> { 10, 20 }, QuerySet(index, s));
    }

    [Fact]
    public void Remove_ThenQuery_NoLongerReturnsId()
    {
        LshIndex index = Build(1000, LshParameters.Optimize(0.5, K));
        for (int id = 0; id < 1000; id += 3) Assert.True(index.Remove(id));
        Assert.False(index.Remove(0));
        Assert.False(index.Remove(123_456));
        Assert.Equal(1000 - 334, index.Count);
        for (int id = 0; id < 1000; id++)
        {
            HashSet<long> found = QuerySet(index, LshTestSignatures.Random(id, K));
            Assert.Equal(id % 3 != 0, found.Contains(id));
            Assert.Equal(id % 3 != 0, index.Contains(id));
        }
        index.CheckConsistency();
        // Slots are reused: reinserting brings the ids back.
        for (int id = 0; id < 1000; id += 3) Assert.True(index.Insert(id, LshTestSignatures.Random(id, K)));
        Assert.Equal(1000, index.Count);
        for (int id = 0; id < 1000; id += 3) Assert.Contains((long)id, QuerySet(index, LshTestSignatures.Random(id, K)));
        index.CheckConsistency();
    }

    [Fact]
    public void Insert_DuplicateId_ReturnsFalseAndKeepsStoredEntry()
    {
        var index = new LshIndex(K, new LshParameters(16, 8), 3, 100);
        uint[] first = LshTestSignatures.Random(1, K), second = LshTestSignatures.Random(2, K);
        Assert.True(index.Insert(7, first));
        Assert.False(index.Insert(7, second));
        Assert.Equal(1, index.Count);
        Assert.Contains(7L, QuerySet(index, first));
        Assert.Empty(QuerySet(index, second));
    }

    [Fact]
    public void Insert_FullIndex_RefusesUntilSomethingIsRemoved()
    {
        LshIndex index = Build(10, new LshParameters(16, 8), maxCount: 10);
        Assert.False(index.Insert(100, LshTestSignatures.Random(100, K)));
        Assert.Equal(10, index.Count);
        Assert.Empty(QuerySet(index, LshTestSignatures.Random(100, K)));
        Assert.True(index.Remove(3));
        Assert.True(index.Insert(100, LshTestSignatures.Random(100, K)));
        Assert.Contains(100L, QuerySet(index, LshTestSignatures.Random(100, K)));
        index.CheckConsistency();
    }

    [Fact]
    public void InsertAndQuery_WrongSignatureLength_ThrowArgumentException()
    {
        var index = new LshIndex(K, new LshParameters(16, 8), 3, 100);
        Assert.Throws<ArgumentException>(() => index.Insert(1, new uint[K - 1]));
        Assert.Throws<ArgumentException>(() => index.Query(new uint[K + 1], []));
        Assert.Throws<ArgumentNullException>(() => index.Query(new uint[K], null!));
    }

    [Theory]
    [InlineData(0, 1, 1, 10)]
    [InlineData(128, 0, 1, 10)]
    [InlineData(128, 16, 9, 10)] // 144 > 128 hashes
    [InlineData(128, 16, 8, 0)]
    [InlineData(5000, 16, 8, 10)]
    public void Constructor_InvalidArguments_Throw(int k, int bands, int rows, int maxCount) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new LshIndex(k, new LshParameters(bands, rows), 0, maxCount));

    [Fact]
    public void Insert_GrowthPastManyDoublings_StaysConsistent()
    {
        // Small bands (4 rows of 1 value each) force long shared chains as well as doubling of every table.
        var index = new LshIndex(16, new LshParameters(4, 1), 5, 50_000);
        var rng = new Random(3);
        var signatures = new Dictionary<long, uint[]>();
        for (long id = 0; id < 20_000; id++)
        {
            var s = new uint[16];
            for (int i = 0; i < 16; i++) s[i] = (uint)rng.Next(50_000);
            signatures[id * 7919] = s;
            Assert.True(index.Insert(id * 7919, s));
        }
        index.CheckConsistency();
        foreach ((long id, uint[] s) in signatures) Assert.Contains(id, QuerySet(index, s));
    }

    [Fact]
    public void MemoryBytes_AtFiftyThousandEntries_UnderSixHundredBytesPerEntry()
    {
        // 1 M entries take 10 s to build; the layout's cost per entry is the same at 50 k, except that bucket heads
        // and the id table are rounded up to a power of two (65,536 and 131,072 slots here), which makes 50 k the
        // less favourable size: (25 bands x 8 B nodes + 8 B id) x 1.065 (13 pages of 4,096) + 25 x 4 B x 1.31 heads
        // + 4 B x 2.6 id table = 363 B, against 322 B at 1 M.
        LshIndex index = Build(50_000, LshParameters.Optimize(0.5, K), maxCount: 1_000_000);
        double perEntry = (double)index.MemoryBytes / index.Count;
        Assert.InRange(perEntry, 300, 600);
    }

    [Fact]
    public void Query_AfterWarmUp_AllocatesNothing()
    {
        LshIndex index = Build(5000, LshParameters.Optimize(0.5, K));
        var rng = new Random(5);
        var queries = new uint[64][];
        for (int i = 0; i < queries.Length; i++) queries[i] = LshTestSignatures.WithJaccard(LshTestSignatures.Random(i, K), 0.6, rng);
        var results = new List<long>(1024);
        for (int round = 0; round < 50; round++)
        {
            foreach (uint[] q in queries)
            {
                results.Clear();
                index.Query(q, results);
            }
        }
        int total = 0;
        long allocated = Allocations.Fewest(() =>
        {
            for (int round = 0; round < 20; round++)
            {
                foreach (uint[] q in queries)
                {
                    results.Clear();
                    total += index.Query(q, results);
                }
            }
        });
        Assert.Equal(0, allocated);
        Assert.True(total > 0);
    }

    [Fact]
    public void InsertRemove_SteadyState_AllocatesNothing()
    {
        LshIndex index = Build(5000, LshParameters.Optimize(0.5, K));
        uint[] s = LshTestSignatures.Random(123_456, K);
        for (int i = 0; i < 100; i++)
        {
            index.Insert(123_456, s);
            index.Remove(123_456);
        }
        long allocated = Allocations.Fewest(() =>
        {
            for (int i = 0; i < 1000; i++)
            {
                index.Insert(123_456, s);
                index.Remove(123_456);
            }
        });
        Assert.Equal(0, allocated);
    }

    // Model-based check: after any sequence of inserts and removes, Query returns exactly the ids whose stored
    // signature equals the query on some whole band (computed naively). Values come from a tiny alphabet so that
    // bands collide often; a false extra id needs a 32-bit key collision (probability about 1e-8 per run).
    [Property(MaxTest = 60)]
    public Property Query_AfterRandomInsertsAndRemoves_EqualsNaiveBandScan(int seed)
    {
        var rng = new Random(seed);
        const int k = 12;
        var p = new LshParameters(4, 3);
        var index = new LshIndex(k, p, seed, 64);
        var model = new Dictionary<long, uint[]>();
        for (int op = 0; op < 300; op++)
        {
            long id = rng.Next(80);
            if (rng.Next(3) == 0)
            {
                Assert.Equal(model.Remove(id), index.Remove(id));
            }
            else
            {
                var s = new uint[k];
                for (int i = 0; i < k; i++) s[i] = (uint)rng.Next(2);
                bool expected = model.Count < 64 && !model.ContainsKey(id);
                Assert.Equal(expected, index.Insert(id, s));
                if (expected) model[id] = s;
            }
        }
        index.CheckConsistency();
        bool ok = index.Count == model.Count;
        for (int q = 0; q < 30 && ok; q++)
        {
            var query = new uint[k];
            for (int i = 0; i < k; i++) query[i] = (uint)rng.Next(2);
            var naive = new HashSet<long>();
            foreach ((long id, uint[] s) in model)
            {
                for (int b = 0; b < p.Bands; b++)
                {
                    if (s.AsSpan(b * p.RowsPerBand, p.RowsPerBand).SequenceEqual(query.AsSpan(b * p.RowsPerBand, p.RowsPerBand)))
                    {
                        naive.Add(id);
                        break;
                    }
                }
            }
            ok = naive.SetEquals(QuerySet(index, query));
        }
        return ok.Label($"seed {seed}");
    }
}
