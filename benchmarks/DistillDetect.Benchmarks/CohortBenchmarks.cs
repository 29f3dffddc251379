using BenchmarkDotNet.Attributes;
using DistillDetect.Accounts;

namespace DistillDetect.Benchmarks;

/// <summary>Cohort finding (candidate pairs, scoring, clustering) over synthetic profiles.</summary>
[MemoryDiagnoser]
public class CohortBenchmarks
{
    private List<AccountProfile> _profiles = null!;

    /// <summary>Number of account profiles.</summary>
    [Params(10_000, 100_000)]
    public int Accounts { get; set; }

    [GlobalSetup]
    public void Setup() => _profiles = SyntheticProfiles.Build(Accounts, 7);

    /// <summary>Candidate pairs only (LSH banding with capped buckets).</summary>
    [Benchmark(Baseline = true)]
    public int CandidatePairs() => new CandidatePairFinder().FindPairs(_profiles).Length;

    /// <summary>The whole search with the default options (connected components).</summary>
    [Benchmark]
    public int FindCohorts() => new CohortFinder().Find(_profiles).Count;

    /// <summary>The whole search with density-aware peeling.</summary>
    [Benchmark]
    public int FindCohortsPeeling() => new CohortFinder(new CohortFinderOptions { Clustering = CohortClustering.DensePeeling }).Find(_profiles).Count;
}
