using System.Globalization;
using System.Text;
using DistillDetect.Detection;

namespace DistillDetect.Tests.Detection;

/// <summary>
/// The analysis keeps each account's copy, derived keys and the pair scores between analyses and redoes only what
/// changed. These tests hold it to the report a from-scratch analysis gives (every account recopied and rederived,
/// every pair rescored) after every step of a randomized run of observes, analyses, merges, loads and evictions.
/// </summary>
public sealed class DistillationDetectorIncrementalAnalysisTests
{
    [Fact]
    public void Analyze_RandomizedObserveAnalyzeMergeLoadEvict_IncrementalEqualsFromScratch()
    {
        // About 1,300 accounts against a cap of 1,024, so evictions happen; a campaign in waves and the hard negatives.
        var spec = new SyntheticTraffic.Spec { CampaignAccounts = 45, Ordinary = 900, PopularPasters = 250, ServiceKeys = 12, Days = 10 };
        List<SyntheticExchange> traffic = new SyntheticTraffic(5).Generate(spec, 6);
        var options = DetectionOptions.Default with { MaxAccounts = 1024 };
        var incremental = new DistillationDetector(options);
        var scratch = new DistillationDetector(options) { IncrementalAnalysis = false };
        var gateway = new DistillationDetector(options);
        var random = new Random(17);
        int analyses = 0, merges = 0, loads = 0, reused = 0, unchangedAnalyses = 0;
        int next = random.Next(50, 400);
        for (int e = 0; e < traffic.Count; e++)
        {
            SyntheticExchange x = traffic[e];
            // A share of the traffic reaches a second gateway whose state is merged in from time to time.
            if (random.NextDouble() < 0.15)
            {
                gateway.Observe(x.Account, x.Timestamp, x.Prompt);
            }
            else
            {
                RequestVerdict a = incremental.Observe(x.Account, x.Timestamp, x.Prompt);
                RequestVerdict b = scratch.Observe(x.Account, x.Timestamp, x.Prompt);
                Assert.Equal(b, a);
            }
            if (e < next) continue;
            next = e + random.Next(50, 400);
            double action = random.NextDouble();
            if (action < 0.12)
            {
                incremental.Merge(gateway);
                scratch.Merge(gateway);
                gateway = new DistillationDetector(options);
                merges++;
            }
            else if (action < 0.22)
            {
                incremental = DistillationDetector.FromBytes(incremental.ToBytes(), options);
                scratch = DistillationDetector.FromBytes(scratch.ToBytes(), options);
                scratch.IncrementalAnalysis = false;
                loads++;
            }
            int rounds = action > 0.85 ? 2 : 1; // a second analysis with nothing changed in between
            for (int r = 0; r < rounds; r++)
            {
                string expected = Canonical(scratch.Analyze());
                string actual = Canonical(incremental.Analyze());
                Assert.Equal(expected, actual);
                // The per-template account counts kept between analyses equal the ones counted afresh.
                Assert.Equal(scratch.TemplateHolderCounts.OrderBy(p => p.Key), incremental.TemplateHolderCounts.OrderBy(p => p.Key));
                analyses++;
                reused += incremental.LastPairScoring.Reused;
                if (r == 1)
                {
                    unchangedAnalyses++;
                    Assert.Equal(0, incremental.LastPairScoring.Computed);
                }
            }
        }
        incremental.Merge(gateway);
        scratch.Merge(gateway);
        DetectionReport last = incremental.Analyze();
        Assert.Equal(Canonical(scratch.Analyze()), Canonical(last));

        // The run exercised what it claims to: flags, evictions, merges, loads and reuse of pair scores.
        Assert.True(analyses >= 40, $"{analyses} analyses");
        Assert.True(merges >= 3 && loads >= 3 && unchangedAnalyses >= 3, $"{merges} merges, {loads} loads, {unchangedAnalyses} repeated analyses");
        Assert.True(incremental.EvictedCount > 0, "no eviction happened");
        Assert.True(reused > 0, "no pair score was reused");
        Assert.NotEmpty(last.Campaigns);
    }

    [Fact]
    public void Analyze_FewAccountsChanged_RescoresOnlyTheirPairs()
    {
        DetectionWorld world = DetectionWorld.Default;
        DistillationDetector detector = DistillationDetector.FromBytes(world.Detector.ToBytes());
        detector.Analyze();
        (int _, int computedFirst) = detector.LastPairScoring;
        Assert.True(computedFirst > 100, $"{computedFirst} pairs");

        // One campaign account sends one more request: only pairs that include it are rescored.
        string account = world.Traffic.First(x => x.Population == Population.Campaign).Account;
        SyntheticExchange last = world.Traffic[^1];
        detector.Observe(account, last.Timestamp, SyntheticTraffic.Wrappers[0].Replace("{0}", "one more task", StringComparison.Ordinal));
        detector.Analyze();
        (int reused, int computed) = detector.LastPairScoring;
        Assert.True(computed >= 1 && computed < computedFirst / 10, $"{computed} of {reused + computed} pairs rescored");
    }

    [Fact]
    public void Analyze_AccountsEnumeratedInAnotherOrder_SameReport()
    {
        // The accounts dictionary enumerates in an order that changes from process to process (randomized string
        // hashing) and after a load; neighbour pairing in large LSH buckets depends on positions, so the analysis
        // puts the accounts in a fixed order first. A detector that shuffles them before that must agree at every
        // analysis (the campaign's 60 accounts make buckets larger than MaxBucketSize = 16).
        var spec = new SyntheticTraffic.Spec { CampaignAccounts = 60, Ordinary = 400, PopularPasters = 200, ServiceKeys = 12, Days = 8 };
        List<SyntheticExchange> traffic = new SyntheticTraffic(7).Generate(spec, 8);
        var ordered = new DistillationDetector();
        var shuffled = new DistillationDetector { ShuffleAnalysisOrder = true };
        int analyses = 0;
        for (int e = 0; e < traffic.Count; e++)
        {
            SyntheticExchange x = traffic[e];
            ordered.Observe(x.Account, x.Timestamp, x.Prompt);
            shuffled.Observe(x.Account, x.Timestamp, x.Prompt);
            if (e % 500 != 499 && e != traffic.Count - 1) continue;
            Assert.Equal(Canonical(ordered.Analyze()), Canonical(shuffled.Analyze()));
            analyses++;
        }
        Assert.True(analyses > 10, $"{analyses} analyses");
        Assert.NotEmpty(ordered.Analyze().Campaigns);
    }

    /// <summary>Everything in a report except the time it was generated, with doubles round-tripped exactly.</summary>
    private static string Canonical(DetectionReport r)
    {
        var sb = new StringBuilder();
        CultureInfo c = CultureInfo.InvariantCulture;
        sb.Append(c, $"{r.Exchanges}|{r.TrackedAccounts}|{r.EvictedAccounts}|{r.AnalyzedAccounts}|{r.Cohorts}\n");
        foreach (CampaignFinding x in r.Campaigns)
        {
            sb.Append(c, $"C {x.Id} {x.Score:R} {x.Exchanges} {x.MedianCampaignTemplateShare:R} {x.FirstSeen.Ticks} {x.LastSeen.Ticks} [{string.Join(',', x.Accounts)}]\n");
            foreach (CampaignTemplate t in x.Templates) sb.Append(c, $"  T {t.TemplateId} {t.Accounts} {t.Exchanges} {t.Example}\n");
            CampaignTiming tm = x.Timing;
            sb.Append(c, $"  {tm.MedianMeanGapSeconds:R} {tm.MedianBurstiness:R} {tm.MachineTimingShare:R} {tm.MedianLifetime.Ticks} {tm.LifetimeShare:R} {tm.ArrivalSpreadDays:R}");
            foreach (var w in tm.SynchronizedWindows) sb.Append(c, $" {w}");
            sb.Append('\n');
        }
        foreach (AccountFinding a in r.Accounts) sb.Append(c, $"A {a.Account} {a.Score:R} {a.CampaignId} {a.Signals} {a.FirstFlagged.Ticks} {a.ExchangesBeforeFlagged}\n");
        return sb.ToString();
    }
}
