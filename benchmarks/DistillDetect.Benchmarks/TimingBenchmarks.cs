using BenchmarkDotNet.Attributes;
using DistillDetect.RatePatterns;

namespace DistillDetect.Benchmarks;

/// <summary>
/// Per-exchange timing update (target 50 ns, 0 B), summary computation and merges. Per-exchange figures
/// are per timestamp (OperationsPerInvoke). The baseline keeps every timestamp in a list, the naive exact
/// approach whose memory grows with the stream.
/// </summary>
[MemoryDiagnoser]
public class TimingBenchmarks
{
    private const int N = 4096;
    private long[] _sorted = [];
    private long[] _disordered = [];
    private AccountTiming _full = new();
    private InterArrivalState _left, _right;
    private ActivityHistogram _histogramTarget = new(), _histogramSource = new();
    private readonly List<long> _list = new(N);

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(42);
        _sorted = new long[N];
        long now = new DateTime(2024, 3, 4, 0, 0, 0, DateTimeKind.Utc).Ticks;
        for (int i = 0; i < N; i++)
        {
            _sorted[i] = now;
            now += (long)(-30 * Math.Log(1 - rng.NextDouble()) * TimeSpan.TicksPerSecond);
        }
        _disordered = (long[])_sorted.Clone();
        for (int i = 1; i < N; i += 3)
        {
            if (_disordered[i] - _disordered[i - 1] < TimeSpan.TicksPerSecond) (_disordered[i], _disordered[i - 1]) = (_disordered[i - 1], _disordered[i]);
        }
        _full = new AccountTiming();
        foreach (long t in _sorted) _full.Add(t);
        var a = new InterArrivalStatistics();
        var b = new InterArrivalStatistics();
        for (int i = 0; i < N; i++) (i < N / 2 ? a : b).Add(_sorted[i]);
        _left = a.Flushed();
        _right = b.Flushed();
        _histogramTarget = new ActivityHistogram();
        _histogramSource = new ActivityHistogram();
        foreach (long t in _sorted) _histogramSource.Add(t);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = N)]
    public int NaiveListAppend()
    {
        _list.Clear();
        foreach (long t in _sorted) _list.Add(t);
        return _list.Count;
    }

    [Benchmark(OperationsPerInvoke = N)]
    public long InterArrivalAdd()
    {
        var s = new InterArrivalStatistics(TimeSpan.Zero, 0);
        foreach (long t in _sorted) s.Add(t);
        return s.Count;
    }

    [Benchmark(OperationsPerInvoke = N)]
    public long ActivityAdd()
    {
        var s = new ActivityHistogram();
        foreach (long t in _sorted) s.Add(t);
        return s.Count;
    }

    [Benchmark(OperationsPerInvoke = N)]
    public long AccountTimingAdd()
    {
        var s = new AccountTiming();
        foreach (long t in _sorted) s.Add(t);
        return s.Count;
    }

    [Benchmark(OperationsPerInvoke = N)]
    public long AccountTimingAddDisordered()
    {
        var s = new AccountTiming();
        foreach (long t in _disordered) s.Add(t);
        return s.Count;
    }

    [Benchmark]
    public TimingSummary GetSummary() => _full.GetSummary();

    [Benchmark]
    public TimingSummary FromTimestamps4096() => TimingSummary.FromTimestamps(_sorted);

    [Benchmark]
    public long MergeGaps() => InterArrivalState.Combine(_left, _right).Count;

    [Benchmark]
    public long MergeActivity()
    {
        _histogramTarget.Merge(_histogramSource);
        return _histogramTarget.Count;
    }
}
