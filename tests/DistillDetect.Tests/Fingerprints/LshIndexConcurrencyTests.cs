using System.Collections.Concurrent;
using DistillDetect.Fingerprints;

namespace DistillDetect.Tests.Fingerprints;

public class LshIndexConcurrencyTests
{
    private const int K = 64;

    [Fact]
    public void ConcurrentInsertQueryRemove_EndsConsistent()
    {
        var index = new LshIndex(K, LshParameters.Optimize(0.5, K), 99, 100_000);
        const int Writers = 3, PerWriter = 6000;
        var failures = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();

        // Writers own disjoint id ranges; each checks that what it inserted (and has not removed) is always found by
        // its own signature, whatever the other threads do meanwhile, and that what it removed is gone.
        var writers = new Thread[Writers];
        for (int w = 0; w < Writers; w++)
        {
            int first = w * 1_000_000;
            writers[w] = new Thread(() =>
            {
                var results = new List<long>();
                var rng = new Random(first + 1);
                for (int i = 0; i < PerWriter; i++)
                {
                    long id = first + i;
                    if (!index.Insert(id, LshTestSignatures.Random(id, K))) failures.Enqueue($"insert {id} refused");
                    if (i % 3 == 2 && !index.Remove(id - 1)) failures.Enqueue($"remove {id - 1} failed");
                    long probe = first + rng.Next(i + 1);
                    results.Clear();
                    index.Query(LshTestSignatures.Random(probe, K), results);
                    bool removed = (probe - first) % 3 == 1 && probe - first < i;
                    if (results.Contains(probe) == removed) failures.Enqueue($"query {probe}: found = {!removed}");
                }
            });
        }

        // Readers query continuously, including signatures never inserted; they must never throw or return duplicates.
        var readers = new Thread[2];
        for (int r = 0; r < readers.Length; r++)
        {
            int seed = r;
            readers[r] = new Thread(() =>
            {
                var rng = new Random(seed);
                var results = new List<long>();
                try
                {
                    while (!stop.IsCancellationRequested)
                    {
                        results.Clear();
                        index.Query(LshTestSignatures.Random(rng.Next(Writers) * 1_000_000 + rng.Next(PerWriter + 100), K), results);
                        if (results.Count != results.Distinct().Count()) failures.Enqueue("duplicate candidate");
                    }
                }
                catch (Exception ex)
                {
                    failures.Enqueue(ex.ToString());
                }
            });
        }

        foreach (Thread t in readers) t.Start();
        foreach (Thread t in writers) t.Start();
        foreach (Thread t in writers) t.Join();
        stop.Cancel();
        foreach (Thread t in readers) t.Join();

        Assert.Empty(failures);
        index.CheckConsistency();
        int expected = 0;
        var found = new List<long>();
        for (int w = 0; w < Writers; w++)
        {
            for (int i = 0; i < PerWriter; i++)
            {
                long id = (w * 1_000_000) + i;
                bool live = i % 3 != 1;
                if (live) expected++;
                found.Clear();
                index.Query(LshTestSignatures.Random(id, K), found);
                Assert.Equal(live, found.Contains(id));
            }
        }
        Assert.Equal(expected, index.Count);
    }

    [Fact]
    public async Task ConcurrentMergesInBothDirections_DoNotDeadlock()
    {
        var a = new LshIndex(K, new LshParameters(8, 8), 1, 10_000);
        var b = new LshIndex(K, new LshParameters(8, 8), 1, 10_000);
        for (long i = 0; i < 2000; i++)
        {
            a.Insert(i, LshTestSignatures.Random(i, K));
            b.Insert(i + 1000, LshTestSignatures.Random(i + 1000, K));
        }
        CancellationToken token = TestContext.Current.CancellationToken;
        var t1 = Task.Run(() => { for (int i = 0; i < 5; i++) a.Merge(b); }, token);
        var t2 = Task.Run(() => { for (int i = 0; i < 5; i++) b.Merge(a); }, token);
        await Task.WhenAll(t1, t2).WaitAsync(TimeSpan.FromSeconds(30), token);
        Assert.Equal(3000, a.Count);
        Assert.Equal(3000, b.Count);
        a.CheckConsistency();
        b.CheckConsistency();
    }
}
