using BenchmarkDotNet.Attributes;
using DistillDetect.Fingerprints;

namespace DistillDetect.Benchmarks;

/// <summary>
/// LSH index with 1 M signatures of 128 MinHash values (Optimize(0.5, 128) = 25 bands x 5 rows): query, insert
/// (with the matching remove, so the index stays at 1 M), and a naive baseline that scans stored signatures and
/// computes the Jaccard estimate of each (on 20,000 signatures: at 1 M the scan takes about 50 ms a query).
/// Queries are J = 0.5 copies of indexed signatures, so most return their source (recall 55 %) and little else.
/// GlobalSetup prints the index's bytes per entry (MemoryBytes and the GC heap growth).
/// </summary>
[MemoryDiagnoser]
public class LshBenchmarks
{
    private const int HashCount = 128;
    private const int Indexed = 1_000_000;
    private const int ScanIndexed = 20_000;
    private const int QueryCount = 1024;

    private LshIndex _index = null!;
    private uint[][] _queries = null!;
    private uint[] _scanSignatures = null!;
    private uint[] _insertSignature = null!;
    private readonly List<long> _results = new(64);
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var parameters = LshParameters.Optimize(0.5, HashCount);
        long heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        _index = new LshIndex(HashCount, parameters, seed: 0x5EED, maxCount: Indexed + 16);
        var signature = new uint[HashCount];
        var started = System.Diagnostics.Stopwatch.StartNew();
        for (int id = 0; id < Indexed; id++)
        {
            Fill(id, signature);
            _index.Insert(id, signature);
        }
        long heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        Console.WriteLine($"// LSH {parameters.Bands}x{parameters.RowsPerBand}: built {Indexed:N0} entries in {started.Elapsed.TotalSeconds:F1} s; " +
            $"MemoryBytes {_index.MemoryBytes / (double)Indexed:F0} B/entry, GC heap growth {(heapAfter - heapBefore) / (double)Indexed:F0} B/entry");

        var rng = new Random(42);
        _queries = new uint[QueryCount][];
        for (int i = 0; i < QueryCount; i++)
        {
            var source = new uint[HashCount];
            Fill(rng.Next(Indexed), source);
            _queries[i] = new uint[HashCount];
            for (int j = 0; j < HashCount; j++) _queries[i][j] = rng.NextDouble() < 0.5 ? source[j] : (uint)rng.NextInt64(1L << 32);
        }

        _scanSignatures = new uint[ScanIndexed * HashCount];
        for (int id = 0; id < ScanIndexed; id++) Fill(id, _scanSignatures.AsSpan(id * HashCount, HashCount));
        _insertSignature = new uint[HashCount];
        Fill(Indexed + 1, _insertSignature);
    }

    /// <summary>One query against 1 M indexed signatures.</summary>
    [Benchmark]
    public int Query()
    {
        uint[] query = _queries[_next++ & (QueryCount - 1)];
        _results.Clear();
        return _index.Query(query, _results);
    }

    /// <summary>Insert of a new entry into the 1 M index, then its removal (so every invocation sees the same index).</summary>
    [Benchmark]
    public bool InsertAndRemove()
    {
        _index.Insert(Indexed + 1, _insertSignature);
        return _index.Remove(Indexed + 1);
    }

    /// <summary>
    /// Naive baseline: the Jaccard estimate (share of equal positions) of the query against every stored signature,
    /// keeping those at or above 0.5. Only 20,000 signatures, 1/50 of the index the other methods use.
    /// </summary>
    [Benchmark(Baseline = true)]
    public int LinearScan20k()
    {
        uint[] query = _queries[_next++ & (QueryCount - 1)];
        ReadOnlySpan<uint> all = _scanSignatures;
        _results.Clear();
        for (int id = 0; id < ScanIndexed; id++)
        {
            ReadOnlySpan<uint> stored = all.Slice(id * HashCount, HashCount);
            int equal = 0;
            for (int j = 0; j < HashCount; j++)
            {
                if (stored[j] == query[j]) equal++;
            }
            if (equal * 2 >= HashCount) _results.Add(id);
        }
        return _results.Count;
    }

    private static void Fill(long key, Span<uint> signature)
    {
        for (int j = 0; j < signature.Length; j++)
        {
            ulong z = ((ulong)key * 0x100000001B3UL) + (ulong)j + 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            signature[j] = (uint)(z ^ (z >> 31));
        }
    }
}
