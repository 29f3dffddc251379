using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using DistillDetect.RatePatterns;

namespace DistillDetect.Benchmarks;

/// <summary>
/// The account-profile sketches: HyperLogLog, DDSketch, RateWindows and DecayedRate. Per-item methods run
/// <see cref="N"/> items per invocation, so the table's Mean is per item. Baselines are the naive exact versions:
/// a HashSet for distinct counting, a list plus sorting for quantiles, queues for sliding windows.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class SketchBenchmarks
{
    private const int N = 100_000;
    private static readonly long Start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;

    private ulong[] _hashes = [];
    private double[] _gaps = [];
    private long[] _times = [];
    private long _streamSpan;
    private long _epoch;

    private readonly HashSet<ulong> _set = new(N);
    private readonly HyperLogLog _hll = new();
    private readonly HyperLogLog _hllOther = new();
    private readonly HyperLogLog _hll14 = new(14);
    private readonly HyperLogLog _hll14Other = new(14);
    private readonly List<double> _gapList = new(N);
    private readonly DDSketch _dd = new();
    private readonly DDSketch _ddA = new();
    private readonly DDSketch _ddB = new();
    private double[] _sortBuffer = [];
    private readonly RateWindows _windows = new();
    private readonly DecayedRate _rate = new(TimeSpan.FromMinutes(5));
    private readonly Queue<long> _minuteQueue = new();
    private readonly Queue<long> _hourQueue = new();
    private readonly Queue<long> _dayQueue = new();

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _hashes = new ulong[N];
        _gaps = new double[N];
        _times = new long[N];
        long now = 0;
        for (int i = 0; i < N; i++)
        {
            _hashes[i] = (ulong)random.NextInt64() ^ ((ulong)random.Next() << 63);
            _gaps[i] = -Math.Log(1 - random.NextDouble()) * (random.Next(4) == 0 ? 300 : 2); // bursts and pauses, seconds
            now += (long)(_gaps[i] * TimeSpan.TicksPerSecond);
            _times[i] = now;
        }
        _streamSpan = now + TimeSpan.TicksPerDay;
        _epoch = Start;
        for (int i = 0; i < N; i++)
        {
            (i % 2 == 0 ? _hllOther : _hll).Add(_hashes[i]);
            (i % 2 == 0 ? _hll14Other : _hll14).Add(_hashes[i]);
            _dd.Add(_gaps[i]);
            (i < N / 2 ? _ddA : _ddB).Add(_gaps[i]);
        }
        _sortBuffer = new double[N];
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = N), BenchmarkCategory("DistinctAdd")]
    public int HashSet_Add()
    {
        HashSet<ulong> set = _set;
        set.Clear();
        foreach (ulong h in _hashes) set.Add(h);
        return set.Count;
    }

    [Benchmark(OperationsPerInvoke = N), BenchmarkCategory("DistinctAdd")]
    public void HyperLogLog_Add()
    {
        HyperLogLog hll = _hll;
        foreach (ulong h in _hashes) hll.Add(h);
    }

    [Benchmark, BenchmarkCategory("DistinctEstimate")]
    public double HyperLogLog_Estimate_p9() => _hll.Estimate();

    [Benchmark, BenchmarkCategory("DistinctMerge")]
    public void HyperLogLog_Merge_p9() => _hll.Merge(_hllOther);

    [Benchmark, BenchmarkCategory("DistinctMerge")]
    public void HyperLogLog_Merge_p14() => _hll14.Merge(_hll14Other);

    [Benchmark(Baseline = true, OperationsPerInvoke = N), BenchmarkCategory("QuantileAdd")]
    public int List_Add()
    {
        List<double> list = _gapList;
        list.Clear();
        foreach (double g in _gaps) list.Add(g);
        return list.Count;
    }

    [Benchmark(OperationsPerInvoke = N), BenchmarkCategory("QuantileAdd")]
    public void DDSketch_Add()
    {
        DDSketch dd = _dd;
        foreach (double g in _gaps) dd.Add(g);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Quantile")]
    public double Sort_Median()
    {
        _gaps.CopyTo(_sortBuffer, 0);
        Array.Sort(_sortBuffer);
        return _sortBuffer[(N - 1) / 2];
    }

    [Benchmark, BenchmarkCategory("Quantile")]
    public double DDSketch_Median() => _dd.GetQuantile(0.5);

    [Benchmark, BenchmarkCategory("Quantile")]
    public double DDSketch_P99() => _dd.GetQuantile(0.99);

    /// <summary>Two halves of a gap stream merged into a new sketch (allocation of the new sketch's bins included).</summary>
    [Benchmark, BenchmarkCategory("QuantileMerge")]
    public DDSketch DDSketch_MergeTwoIntoNew()
    {
        var target = new DDSketch();
        target.Merge(_ddA);
        target.Merge(_ddB);
        return target;
    }

    private long NextEpoch()
    {
        long epoch = _epoch;
        _epoch += _streamSpan;
        if (_epoch > DateTime.MaxValue.Ticks / 2)
        {
            _epoch = Start;
            _windows.Clear();
            _rate.Clear();
            _minuteQueue.Clear();
            _hourQueue.Clear();
            _dayQueue.Clear();
        }
        return epoch;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = N), BenchmarkCategory("RateAdd")]
    public long ExactQueues_Add()
    {
        long epoch = NextEpoch();
        long total = 0;
        foreach (long time in _times)
        {
            long t = epoch + time;
            total += Slide(_minuteQueue, t, TimeSpan.TicksPerMinute) + Slide(_hourQueue, t, TimeSpan.TicksPerHour) + Slide(_dayQueue, t, TimeSpan.TicksPerDay);
        }
        return total;

        static int Slide(Queue<long> queue, long t, long window)
        {
            queue.Enqueue(t);
            while (queue.Peek() <= t - window) queue.Dequeue();
            return queue.Count;
        }
    }

    [Benchmark(OperationsPerInvoke = N), BenchmarkCategory("RateAdd")]
    public long RateWindows_Add()
    {
        long epoch = NextEpoch();
        RateWindows windows = _windows;
        foreach (long time in _times) windows.Add(epoch + time);
        return windows.MinuteCount;
    }

    [Benchmark(OperationsPerInvoke = N), BenchmarkCategory("RateAdd")]
    public double DecayedRate_Add()
    {
        long epoch = NextEpoch();
        DecayedRate rate = _rate;
        foreach (long time in _times) rate.Add(epoch + time);
        return rate.Rate;
    }
}
