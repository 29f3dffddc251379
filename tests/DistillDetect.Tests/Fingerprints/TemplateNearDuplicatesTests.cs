using DistillDetect.Fingerprints;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace DistillDetect.Tests.Fingerprints;

public class TemplateNearDuplicatesTests
{
    /// <summary>
    /// The naive answer: among the last <paramref name="capacity"/> entries that agree with the query on a whole band,
    /// the one with the highest estimate at or above the threshold (ties: smaller value), skipping <paramref name="exclude"/>.
    /// </summary>
    private static long NaiveFind(List<(uint[] Signature, long Value)> added, int capacity, LshParameters p, double threshold, uint[] query, long exclude)
    {
        double best = threshold;
        long template = 0;
        bool found = false;
        for (int i = Math.Max(0, added.Count - capacity); i < added.Count; i++)
        {
            (uint[] s, long value) = added[i];
            if (value == exclude && exclude != 0) continue;
            bool candidate = false;
            for (int b = 0; b < p.Bands && !candidate; b++)
                candidate = s.AsSpan(b * p.RowsPerBand, p.RowsPerBand).SequenceEqual(query.AsSpan(b * p.RowsPerBand, p.RowsPerBand));
            if (!candidate) continue;
            int equal = 0;
            for (int k = 0; k < s.Length; k++) equal += s[k] == query[k] ? 1 : 0;
            double j = (double)equal / s.Length;
            if (j > best || (j == best && (!found || value < template)))
            {
                best = j;
                template = value;
                found = true;
            }
        }
        return template;
    }

    // Model-based: through ring wrap-around (entries forgotten oldest first), FindTemplate equals the naive scan.
    // Values come from a tiny alphabet so that bands, low bytes and estimates collide often and ties occur; values
    // 256 apart share their low byte, so the low-byte pre-filter meets equal bytes of unequal values as well as
    // unequal bytes it must reject on.
    // A wrong extra candidate needs a 32-bit band-key collision (about 1e-7 per run) and is still verified.
    [Property(MaxTest = 120)]
    public Property FindTemplate_AfterWrapAround_EqualsNaiveScan(int seed)
    {
        var rng = new Random(seed);
        const int k = 24;
        // 3 and 8 are at most the 8 adds between two rebuilds of the compact copy, so their queries often find the copy
        // too far behind and walk the whole chains; 40 and 100 read the copy for most entries.
        int capacity = new[] { 3, 8, 40, 100 }[rng.Next(4)];
        double threshold = new[] { 0.3, 0.5, 0.65, 1.0 }[rng.Next(4)];
        LshParameters p = TemplateNearDuplicates.FounderBanding(threshold, k);
        var memory = new TemplateNearDuplicates(capacity, k, threshold, seed, p);
        var added = new List<(uint[], long)>();
        bool ok = true;
        for (int op = 0; op < 200 && ok; op++)
        {
            var s = new uint[k];
            for (int i = 0; i < k; i++) s[i] = (uint)((rng.Next(3) * 256) + rng.Next(2));
            if (rng.Next(3) > 0)
            {
                long value = 1 + rng.Next(30);
                memory.Add(s, value);
                added.Add((s, value));
            }
            else
            {
                long exclude = rng.Next(2) == 0 ? 0 : 1 + rng.Next(30);
                ok = NaiveFind(added, capacity, p, threshold, s, exclude) == memory.FindTemplate(s, exclude);
            }
        }
        ok &= memory.Entries().Count == Math.Min(capacity, added.Count);
        return ok.Label($"seed {seed}, capacity {capacity}, threshold {threshold}");
    }

    // Queries run without a lock while one writer adds and rebuilds the compact copy (every 256 adds here, about 800
    // times). Each stable entry is re-added every 1,064 adds, so a copy of it is always among the last 4,096; the
    // writer's other entries are uniformly random (Jaccard with a stable one about 0). Every query must find its entry,
    // whether it read the copy, the chains, or fell back to the whole chains when a rebuild overlapped it.
    [Fact]
    public void FindTemplate_WhileAWriterAddsAndRebuilds_AlwaysFindsEntriesThatStayPresent()
    {
        const int k = 32;
        const int stable = 64;
        const int filler = 1000;
        const int rounds = 200;
        var memory = new TemplateNearDuplicates(4096, k, 0.65, 11, LshParameters.ForRecall(0.65, k, 0.95));
        var rng = new Random(17);
        uint[][] stableSignatures = new uint[stable][];
        for (int i = 0; i < stable; i++)
        {
            stableSignatures[i] = new uint[k];
            for (int j = 0; j < k; j++) stableSignatures[i][j] = (uint)rng.NextInt64(1L << 32);
            memory.Add(stableSignatures[i], i + 1);
        }
        long writerDone = 0;
        var writer = new Thread(() =>
        {
            var local = new Random(23);
            var s = new uint[k];
            for (int r = 0; r < rounds; r++)
            {
                for (int i = 0; i < filler; i++)
                {
                    for (int j = 0; j < k; j++) s[j] = (uint)local.NextInt64(1L << 32);
                    memory.Add(s, 1_000 + i);
                }
                for (int i = 0; i < stable; i++) memory.Add(stableSignatures[i], i + 1);
            }
            Interlocked.Exchange(ref writerDone, 1);
        });
        long[] queries = new long[2];
        long[] wrong = new long[2];
        var readers = new Thread[2];
        for (int t = 0; t < readers.Length; t++)
        {
            int me = t;
            readers[t] = new Thread(() =>
            {
                int i = me;
                while (Interlocked.Read(ref writerDone) == 0 || queries[me] < 10_000)
                {
                    if (memory.FindTemplate(stableSignatures[i % stable]) != (i % stable) + 1) wrong[me]++;
                    queries[me]++;
                    i += 7;
                }
            });
        }
        foreach (Thread t in readers) t.Start();
        writer.Start();
        writer.Join();
        foreach (Thread t in readers) t.Join();
        Assert.Equal(0, wrong[0] + wrong[1]);
        Assert.True(queries[0] + queries[1] >= 20_000);
        Assert.Equal((long)stable + (rounds * (filler + stable)), memory.Next);
    }

    [Fact]
    public void FounderBanding_Defaults_TwentyOneBandsOfThreeRows()
    {
        LshParameters p = TemplateNearDuplicates.FounderBanding(0.5, 64);
        Assert.Equal(new LshParameters(21, 3), p);
        // 1 - (1 - 0.5^3)^21 = 0.9394; 1 - (1 - 0.2^3)^21 = 0.1552 (2 rows gave 0.3618 there).
        Assert.Equal(0.9394, p.CandidateProbability(0.5), 4);
        Assert.Equal(0.1552, p.CandidateProbability(0.2), 4);
    }

    [Theory]
    [InlineData(0.05, 16)]
    [InlineData(0.3, 64)]
    [InlineData(0.5, 128)]
    [InlineData(0.8, 64)]
    [InlineData(0.95, 1024)]
    public void FounderBanding_AnyThreshold_ReachesNinetyPercentWithMostRows(double threshold, int k)
    {
        LshParameters p = TemplateNearDuplicates.FounderBanding(threshold, k);
        Assert.True(p.HashesUsed <= k);
        if (p.RowsPerBand > 1) Assert.True(p.CandidateProbability(threshold) >= 0.9, $"{p}");
        var more = new LshParameters(k / (p.RowsPerBand + 1), p.RowsPerBand + 1);
        Assert.True(more.Bands == 0 || more.CandidateProbability(threshold) < 0.9, $"{more} also reaches 0.9");
    }

    [Fact]
    public void TemplateIndex_ThresholdOne_ConstructsAndGroupsExactCopies()
    {
        // ForRecall rejects J = 1, so an index with NearDuplicateThreshold = 1 (a valid option) used to throw.
        var index = new TemplateIndex(new TemplateIndexOptions { NearDuplicateThreshold = 1.0 });
        const string prompt = "ok so the thing i asked yesterday about the lamp in the hallway still flickers";
        Assert.Equal(index.Assign(prompt), index.Assign(prompt));
    }

    [Fact]
    public void FindTemplate_WarmedUp_AllocatesNothing()
    {
        const int k = 64;
        var memory = new TemplateNearDuplicates(1000, k, 0.5, 3, TemplateNearDuplicates.FounderBanding(0.5, k));
        var rng = new Random(5);
        var signatures = new uint[50][];
        for (int i = 0; i < signatures.Length; i++)
        {
            signatures[i] = new uint[k];
            for (int j = 0; j < k; j++) signatures[i][j] = (uint)rng.Next(4);
            memory.Add(signatures[i], i + 1);
        }
        long sum = 0;
        for (int r = 0; r < 200; r++) sum += memory.FindTemplate(signatures[r % 50]);
        long allocated = Allocations.Fewest(() =>
        {
            for (int r = 0; r < 1000; r++) sum += memory.FindTemplate(signatures[r % 50]);
        });
        Assert.Equal(0, allocated);
        Assert.True(sum > 0);
    }
}
