using DistillDetect.Fingerprints;

namespace DistillDetect.Accounts;

/// <summary>
/// Finds cohorts of accounts that behave alike: candidate pairs from <see cref="CandidatePairFinder"/>
/// (never all pairs), each scored with <see cref="AccountSimilarity.Score"/>; pairs at or above
/// <see cref="CohortFinderOptions.EdgeThreshold"/> form a weighted similarity graph, which is clustered as
/// <see cref="CohortFinderOptions.Clustering"/> says. Every cohort gets a score and its evidence.
/// <para>Cost: candidate generation close to linear in the number of accounts, O(p) similarity scores for
/// p candidate pairs (spread over the processor's cores), O(e log n) peeling for e edges. Thread safety:
/// immutable; <see cref="Find"/> may run concurrently on lists whose profiles are not being written.</para>
/// </summary>
public sealed class CohortFinder
{
    private const int MaxSharedTemplates = 20;
    private const int MaxWindows = 10;
    private readonly CohortFinderOptions _options;
    private readonly CandidatePairFinder _pairs;

    /// <summary>Creates a finder.</summary>
    /// <param name="options">Parameters; null for <see cref="CohortFinderOptions.Default"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is outside its range.</exception>
    public CohortFinder(CohortFinderOptions? options = null)
    {
        _options = options ?? CohortFinderOptions.Default;
        _options.Validate();
        _pairs = new CandidatePairFinder(_options.Candidates);
    }

    /// <summary>The parameters.</summary>
    public CohortFinderOptions Options => _options;

    /// <summary>The candidate-pair finder (for callers that keep band keys, see <see cref="CandidatePairFinder.ComputeKeys"/>).</summary>
    internal CandidatePairFinder Pairs => _pairs;

    /// <summary>
    /// Finds the cohorts among <paramref name="profiles"/>, highest score first (flagged and unflagged;
    /// see <see cref="Cohort.IsFlagged"/>). Member indices refer to the list.
    /// </summary>
    /// <param name="profiles">The accounts; all with equal <see cref="AccountProfileOptions"/>.</param>
    /// <returns>The cohorts (a new list).</returns>
    /// <exception cref="ArgumentException">The profiles' options differ, or an element is null.</exception>
    public IReadOnlyList<Cohort> Find(IReadOnlyList<AccountProfile> profiles) => FindWith(profiles, null, null, null);

    /// <summary>
    /// <see cref="Find(IReadOnlyList{AccountProfile})"/> for a caller that keeps each account's band keys
    /// (<paramref name="keys"/>, see <see cref="CandidatePairFinder.FindPairsWithKeys"/>)
    /// the previous run's pair scores (<paramref name="scores"/>) and sorted LSH bands (<paramref name="buckets"/>); null for
    /// any of them computes it afresh. Same cohorts.
    /// </summary>
    internal IReadOnlyList<Cohort> FindWith(IReadOnlyList<AccountProfile> profiles, IReadOnlyList<CandidateKeys?>? keys, PairScoreCache? scores, CandidateBuckets? buckets)
    {
        SimilarityGraph graph = BuildGraph(profiles, keys, scores, buckets, out _);
        // The observation span: keys that live through (most of) it do not rotate.
        long first = long.MaxValue, last = long.MinValue;
        foreach (AccountProfile p in profiles)
        {
            if (p.Volume < _options.Candidates.MinimumVolume) continue;
            first = Math.Min(first, p.FirstSeenTicks);
            last = Math.Max(last, p.LastSeenTicks);
        }
        double observed = Math.Max(0, (double)last - first);
        var cohorts = new List<Cohort>();
        foreach (int[] component in graph.Components(_options.MinCohortSize))
        {
            if (_options.Clustering == CohortClustering.ConnectedComponents)
            {
                cohorts.Add(Build(profiles, graph, component, observed));
                continue;
            }
            foreach (int[] dense in graph.Peel(component, _options.MinCohortSize, _options.MinDensity, _options.MinCoreDegree))
            {
                cohorts.Add(Build(profiles, graph, dense, observed));
            }
        }
        cohorts.Sort((a, b) => b.Score != a.Score ? b.Score.CompareTo(a.Score) : b.Size.CompareTo(a.Size));
        return cohorts;
    }

    internal SimilarityGraph BuildGraph(IReadOnlyList<AccountProfile> profiles, out int candidatePairs) => BuildGraph(profiles, null, null, null, out candidatePairs);

    private SimilarityGraph BuildGraph(IReadOnlyList<AccountProfile> profiles, IReadOnlyList<CandidateKeys?>? keys, PairScoreCache? cache, CandidateBuckets? buckets, out int candidatePairs)
    {
        CandidatePair[] pairs = keys is null ? _pairs.FindPairs(profiles) : _pairs.FindPairsWithKeys(profiles, keys, buckets);
        candidatePairs = pairs.Length;
        var scores = new float[pairs.Length];
        SimilarityWeights weights = _options.Weights;
        double threshold = _options.EdgeThreshold;
        // Pairs whose two accounts did not change keep the previous run's score; the rest are scored, in parallel
        // when there are enough of them to pay for it.
        int[] work;
        int count = 0, reused = 0;
        if (cache is null)
        {
            work = [];
            count = pairs.Length;
        }
        else
        {
            work = new int[pairs.Length];
            for (int i = 0; i < pairs.Length; i++)
            {
                if (cache.TryGetUnchanged(pairs[i].First, pairs[i].Second, out float known)) scores[i] = known;
                else work[count++] = i;
            }
            reused = pairs.Length - count;
        }
        const int Chunk = 4096;
        if (count <= Chunk) ScoreRange(0, count);
        else Parallel.For(0, (count + Chunk - 1) / Chunk, c => ScoreRange(c * Chunk, Math.Min(count, (c + 1) * Chunk)));

        void ScoreRange(int from, int to)
        {
            for (int w = from; w < to; w++)
            {
                int i = cache is null ? w : work[w];
                CandidatePair p = pairs[i];
                scores[i] = (float)AccountSimilarity.ComputeIfAtLeast(profiles[p.First], profiles[p.Second], weights, threshold);
            }
        }

        cache?.Complete(pairs, scores, reused);
        return SimilarityGraph.Build(profiles.Count, pairs, scores, (float)_options.EdgeThreshold);
    }

    private Cohort Build(IReadOnlyList<AccountProfile> profiles, SimilarityGraph graph, int[] members, double observedTicks)
    {
        Array.Sort(members);
        graph.InternalWeight(members, out double weightSum, out int edgeCount);
        double cohesion = edgeCount == 0 ? 0.0 : weightSum / edgeCount;
        double density = weightSum / members.Length;

        // Shared templates from the members' most-used-template counters.
        var templates = new Dictionary<long, (int Accounts, long Exchanges)>();
        Span<TemplateUsage> top = stackalloc TemplateUsage[64];
        foreach (int m in members)
        {
            int n = profiles[m].GetTopTemplates(top);
            for (int i = 0; i < n; i++)
            {
                templates.TryGetValue(top[i].TemplateId, out var t);
                templates[top[i].TemplateId] = (t.Accounts + 1, t.Exchanges + top[i].Count);
            }
        }
        int minAccounts = Math.Max(2, (int)Math.Ceiling(_options.SharedTemplateShare * members.Length));
        var shared = new List<SharedTemplate>();
        int sharedCount = 0;
        foreach (var (id, t) in templates)
        {
            if (t.Accounts >= minAccounts) sharedCount++;
            if (t.Accounts >= 2) shared.Add(new SharedTemplate(id, t.Accounts, t.Exchanges));
        }
        shared.Sort((a, b) => a.Accounts != b.Accounts ? b.Accounts.CompareTo(a.Accounts) : a.Exchanges != b.Exchanges ? b.Exchanges.CompareTo(a.Exchanges) : a.TemplateId.CompareTo(b.TemplateId));
        if (shared.Count > MaxSharedTemplates) shared.RemoveRange(MaxSharedTemplates, shared.Count - MaxSharedTemplates);

        CohortTiming timing = Summarize(profiles, members, observedTicks);
        SynchronizedWindow[] windows = Windows(profiles, members, timing);

        int signals = 0;
        if (sharedCount <= 1) signals++;
        if (timing.LifetimeShare >= _options.NonRotatingLifetimeShare) signals++;
        if (timing.MedianExchangesPerDay > _options.HumanDailyVolume) signals++;
        double score = cohesion * (1.0 - signals / 3.0);
        return new Cohort(members, cohesion, density, signals, sharedCount, [.. shared], windows, timing, score >= _options.FlagThreshold);
    }

    private static CohortTiming Summarize(IReadOnlyList<AccountProfile> profiles, int[] members, double observedTicks)
    {
        int n = members.Length;
        var volume = new double[n];
        var lifetime = new double[n];
        var first = new double[n];
        var perDay = new double[n];
        var gap = new List<double>(n);
        var burst = new List<double>(n);
        var entropy = new double[n];
        long firstSeen = long.MaxValue, lastSeen = long.MinValue, exchanges = 0;
        for (int i = 0; i < n; i++)
        {
            AccountProfile p = profiles[members[i]];
            volume[i] = p.Volume;
            exchanges += p.Volume;
            lifetime[i] = p.LastSeenTicks - p.FirstSeenTicks;
            first[i] = p.FirstSeenTicks;
            perDay[i] = p.Volume / Math.Max(1.0, lifetime[i] / TimeSpan.TicksPerDay);
            firstSeen = Math.Min(firstSeen, p.FirstSeenTicks);
            lastSeen = Math.Max(lastSeen, p.LastSeenTicks);
            if (!double.IsNaN(p.MeanGapSeconds)) gap.Add(p.MeanGapSeconds);
            if (!double.IsNaN(p.GapBurstiness)) burst.Add(p.GapBurstiness);
            entropy[i] = p.HourOfDayEntropyBits;
        }
        double medianLifetime = SampleQuantile.SortInPlace(lifetime, 0.5);
        double span = observedTicks;
        double share = span <= 0 ? 1.0 : Math.Clamp(medianLifetime / span, 0.0, 1.0);
        double spread = (SampleQuantile.SortInPlace(first, 0.75) - SampleQuantile.SortInPlace(first, 0.25)) / TimeSpan.TicksPerDay;
        return new CohortTiming(
            new DateTime(Math.Clamp(firstSeen, DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks), DateTimeKind.Utc),
            new DateTime(Math.Clamp(lastSeen, DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks), DateTimeKind.Utc),
            exchanges,
            SampleQuantile.SortInPlace(volume, 0.5),
            TimeSpan.FromTicks((long)medianLifetime),
            share,
            spread,
            SampleQuantile.SortInPlace(perDay, 0.5),
            gap.Count == 0 ? double.NaN : SampleQuantile.SortInPlace([.. gap], 0.5),
            burst.Count == 0 ? double.NaN : SampleQuantile.SortInPlace([.. burst], 0.5),
            SampleQuantile.SortInPlace(entropy, 0.5));
    }

    private static SynchronizedWindow[] Windows(IReadOnlyList<AccountProfile> profiles, int[] members, CohortTiming timing)
    {
        AccountProfile any = profiles[members[0]];
        long windowTicks = any.WindowTicks;
        int k = any.SyncBins.Length;
        long baseWindow = timing.FirstSeenUtc.Ticks / windowTicks;
        var perWindow = new Dictionary<long, int>();
        var perValue = new Dictionary<uint, (int Count, ushort Window)>();
        for (int bin = 0; bin < k; bin++)
        {
            perValue.Clear();
            foreach (int m in members)
            {
                AccountProfile p = profiles[m];
                uint v = p.SyncBins[bin];
                if (v == OnePermutationHashing.Empty) continue;
                perValue.TryGetValue(v, out var e);
                perValue[v] = (e.Count + 1, p.SyncWindows[bin]);
            }
            foreach (var (_, e) in perValue)
            {
                if (e.Count < 2) continue;
                // The sketch keeps the window index modulo 2^16; the cohort's first window fixes the rest.
                long window = baseWindow + (ushort)(e.Window - (ushort)baseWindow);
                perWindow.TryGetValue(window, out int c);
                perWindow[window] = Math.Max(c, e.Count);
            }
        }
        var list = new List<SynchronizedWindow>(perWindow.Count);
        foreach (var (window, count) in perWindow)
        {
            long start = window * windowTicks;
            if (start < DateTime.MinValue.Ticks || start > DateTime.MaxValue.Ticks) continue;
            list.Add(new SynchronizedWindow(new DateTime(start, DateTimeKind.Utc), TimeSpan.FromTicks(windowTicks), count));
        }
        list.Sort((a, b) => a.Accounts != b.Accounts ? b.Accounts.CompareTo(a.Accounts) : a.StartUtc.CompareTo(b.StartUtc));
        if (list.Count > MaxWindows) list.RemoveRange(MaxWindows, list.Count - MaxWindows);
        return [.. list];
    }
}
