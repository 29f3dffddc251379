using BenchmarkDotNet.Attributes;
using DistillDetect.Accounts;

namespace DistillDetect.Benchmarks;

/// <summary>Account profile update per exchange and pairwise similarity, against naive exact versions.</summary>
[MemoryDiagnoser]
public class AccountBenchmarks
{
    private const int Exchanges = 4096;
    private readonly long[] _templates = new long[Exchanges];
    private readonly long[] _ticks = new long[Exchanges];
    private AccountProfile _profile = null!;
    private AccountProfile _a = null!;
    private AccountProfile _b = null!;
    private Dictionary<long, int> _naiveCounts = null!;
    private List<long> _naiveTimes = null!;
    private HashSet<long> _setA = null!;
    private HashSet<long> _setB = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(1);
        long t = new DateTime(2026, 1, 5, 0, 0, 0, DateTimeKind.Utc).Ticks;
        for (int i = 0; i < Exchanges; i++)
        {
            _templates[i] = rng.NextDouble() < 0.7 ? rng.Next(8) : rng.NextInt64();
            t += rng.NextInt64(TimeSpan.TicksPerMinute * 10);
            _ticks[i] = t;
        }
        _profile = new AccountProfile();
        _naiveCounts = [];
        _naiveTimes = [];
        List<AccountProfile> two = SyntheticProfiles.Build(40, 3, 300);
        _a = two[0];
        _b = two[20];
        _setA = [.. _templates.Take(2000)];
        _setB = [.. _templates.Skip(1000).Take(2000)];
    }

    /// <summary>Naive per-account state: every template count and every timestamp kept (unbounded memory).</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Exchanges)]
    public int ObserveNaiveExact()
    {
        _naiveCounts.Clear();
        _naiveTimes.Clear();
        for (int i = 0; i < Exchanges; i++)
        {
            _naiveCounts[_templates[i]] = _naiveCounts.GetValueOrDefault(_templates[i]) + 1;
            _naiveTimes.Add(_ticks[i]);
        }
        return _naiveCounts.Count;
    }

    /// <summary>AccountProfile.Observe per exchange (bounded 2,024 B state).</summary>
    [Benchmark(OperationsPerInvoke = Exchanges)]
    public long Observe()
    {
        AccountProfile p = _profile;
        for (int i = 0; i < Exchanges; i++) p.Observe(_templates[i], _ticks[i]);
        return p.Volume;
    }

    /// <summary>Combined similarity of two profiles (all five components).</summary>
    [Benchmark]
    public double PairwiseScore() => AccountSimilarity.Score(_a, _b);

    /// <summary>Exact Jaccard of two template sets of 2,000 ids (HashSet intersection), what the sketches replace.</summary>
    [Benchmark]
    public double ExactSetJaccard()
    {
        int inter = 0;
        foreach (long x in _setA) inter += _setB.Contains(x) ? 1 : 0;
        return (double)inter / (_setA.Count + _setB.Count - inter);
    }
}
