using System.Text;
using DistillDetect.Cli.Simulation;

namespace DistillDetect.Tests.Cli.Simulation;

public class TrafficSimulatorTests
{
    private static List<SimulatedExchange> First(TrafficSimulator simulator, int n)
    {
        var list = new List<SimulatedExchange>(n);
        foreach (SimulatedExchange e in simulator)
        {
            list.Add(e);
            if (list.Count == n)
            {
                break;
            }
        }
        return list;
    }

    private static string TruthJson(SimulationTruth truth)
    {
        using var stream = new MemoryStream();
        SimulationWriter.WriteTruth(truth, stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    [Fact]
    public void Enumerate_SameSeedAndOptions_IdenticalExchangesAndTruth()
    {
        var options = new SimulationOptions { Seed = 42, Scale = 0.0005, Evasion = 3 };
        var a = new TrafficSimulator(options);
        var b = new TrafficSimulator(options with { });
        Assert.Equal(First(a, 20_000), First(b, 20_000));
        Assert.Equal(TruthJson(a.Truth), TruthJson(b.Truth));
        // A second enumeration of the same instance restarts the same stream.
        Assert.Equal(First(a, 2_000), First(a, 2_000));
    }

    [Fact]
    public void Enumerate_DifferentSeeds_DifferentTrafficAndAccounts()
    {
        var a = new TrafficSimulator(new SimulationOptions { Seed = 1, Scale = 0.0005 });
        var b = new TrafficSimulator(new SimulationOptions { Seed = 2, Scale = 0.0005 });
        List<SimulatedExchange> x = First(a, 1_000), y = First(b, 1_000);
        int samePrompt = 0;
        for (int i = 0; i < x.Count; i++)
        {
            samePrompt += x[i].Prompt == y[i].Prompt ? 1 : 0;
        }
        Assert.True(samePrompt < 50, $"{samePrompt} of 1000 prompts coincide");
        Assert.Empty(a.Truth.CampaignAccounts.Intersect(b.Truth.CampaignAccounts));
    }

    [Fact]
    public void Enumerate_SmallScale_TimestampsNondecreasingInsideWindowUtcMilliseconds()
    {
        SimulationRun run = SimulationRun.Get(evasion: 0);
        SimulationOptions o = run.Simulator.Options;
        Assert.True(run.Nondecreasing);
        Assert.True(run.AllUtcWholeMilliseconds);
        Assert.True(run.MinTimestamp >= o.Start);
        Assert.True(run.MaxTimestamp < o.Start + o.Duration);
        // The traffic fills the window: the first campaign's first wave starts within three hours (its accounts send
        // at once, or at their operators' next shift, within a day), users are active to the end.
        Assert.True(run.MaxTimestamp > o.Start + o.Duration - TimeSpan.FromDays(1), $"last exchange at {run.MaxTimestamp:O}");
        Assert.True(run.Campaign.Min(e => e.Timestamp) < o.Start + TimeSpan.FromDays(1), $"first campaign exchange at {run.Campaign.Min(e => e.Timestamp):O}");
    }

    [Fact]
    public void Enumerate_SmallScale_CountsEqualThePlannedCountsPerPopulation()
    {
        SimulationRun run = SimulationRun.Get(evasion: 0);
        SimulationCounts c = run.Simulator.Counts;
        Assert.Equal(c.TotalExchanges, run.Total);
        Assert.Equal(c.CampaignExchanges, run.Campaign.Count);
        Assert.Equal(c.OrdinaryExchanges, run.OrdinaryExchanges);
        Assert.Equal(c.HeavyCoderExchanges, run.HardNegatives[HardNegativeKind.HeavyCoders].Count);
        Assert.Equal(c.ServiceKeyExchanges, run.HardNegatives[HardNegativeKind.ServiceKeys].Count);
        Assert.Equal(c.PopularPromptExchanges, run.HardNegatives[HardNegativeKind.PopularPrompt].Count);
        Assert.Equal(c.TotalAccounts, run.CountByAccount.Count);
        // Every labelled account really sends traffic.
        foreach (string account in run.Simulator.Truth.CampaignAccounts)
        {
            Assert.True(run.CountByAccount.ContainsKey(account), account);
        }
        Assert.Equal(c.CampaignAccounts, run.Simulator.Truth.CampaignAccounts.Count);
    }

    [Fact]
    public void EstimateCounts_ScaleOne_IsTheCase()
    {
        SimulationCounts c = TrafficSimulator.EstimateCounts(new SimulationOptions { Scale = 1 });
        Assert.Equal(25_000, c.CampaignAccounts);
        Assert.Equal(28_800_000, c.CampaignExchanges);
        Assert.Equal(10 * c.CampaignExchanges, c.LegitimateExchanges);
        Assert.InRange(c.CampaignExchanges / (double)c.CampaignAccounts, 1_000, 1_300);
        Assert.InRange(c.OrdinaryExchanges / (double)c.OrdinaryAccounts, 50, 200);
        Assert.InRange(c.HeavyCoderExchanges / (double)c.HeavyCoderAccounts, 2_000, 6_000);
        Assert.True(c.PopularPromptAccounts >= 1_000, "thousands of people paste the popular prompt");
        Assert.True(c.ServiceKeyAccounts >= 100);
        // About 8 campaign exchanges per second on average over the six weeks.
        Assert.InRange(c.CampaignExchanges / TimeSpan.FromDays(42).TotalSeconds, 7.5, 8.5);
    }

    [Fact]
    public void EstimateCounts_Default_MatchesTheBuiltSimulatorAndStaysSmall()
    {
        var options = new SimulationOptions();
        SimulationCounts estimate = TrafficSimulator.EstimateCounts(options);
        Assert.Equal(estimate, new TrafficSimulator(options).Counts);
        // Small enough for the no-argument demo to run in under a minute, large enough for several campaigns.
        Assert.InRange(estimate.TotalExchanges, 500_000, 3_000_000);
    }

    [Fact]
    public void Enumerate_TwoSmallScales_CountsScaleLinearly()
    {
        SimulationRun one = SimulationRun.Get(evasion: 0, scale: 0.0005);
        SimulationRun two = SimulationRun.Get(evasion: 0, scale: 0.001);
        // Each count is round(case figure x scale), possibly times another rounded count, so doubling the scale
        // doubles it up to the rounding of its factors: at most a few units plus the per-account mean for volumes.
        static void Doubles(long small, long large, double slack) => Assert.InRange(large, (2 * small) - slack, (2 * small) + slack);
        SimulationCounts a = one.Simulator.Counts, b = two.Simulator.Counts;
        Doubles(one.Campaign.Count, two.Campaign.Count, 2);
        Doubles(one.Total, two.Total, 2 * TrafficSimulator.HeavyCoderMeanExchanges + 2 * TrafficSimulator.ServiceKeyMeanExchanges + 2 * TrafficSimulator.PopularPromptMeanExchanges + 20);
        Doubles(one.CountByAccount.Count, two.CountByAccount.Count, 5);
        Doubles(a.CampaignAccounts, b.CampaignAccounts, 1);
        Doubles(a.OrdinaryAccounts, b.OrdinaryAccounts, 1);
        Doubles(one.OrdinaryExchanges, two.OrdinaryExchanges, 2 * TrafficSimulator.HeavyCoderMeanExchanges + 2 * TrafficSimulator.ServiceKeyMeanExchanges + 2 * TrafficSimulator.PopularPromptMeanExchanges + 20);
        Assert.Equal(b.TotalExchanges, two.Total);
        Assert.Equal(a.TotalExchanges, one.Total);
    }

    [Fact]
    public void Enumerate_CampaignAccounts_ArriveInWavesRotateAndStayHumanSized()
    {
        SimulationRun run = SimulationRun.Get(evasion: 0, scale: 0.001);
        var first = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var last = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (SimulatedExchange e in run.Campaign)
        {
            first.TryAdd(e.Account, e.Timestamp);
            last[e.Account] = e.Timestamp;
        }
        // Lives: a day to 1.5 x 12 days; none spans the six weeks.
        foreach (string account in first.Keys)
        {
            double days = (last[account] - first[account]).TotalDays;
            Assert.InRange(days, 0.2, 18.5);
            Assert.InRange(run.CountByAccount[account], 100, 10_000);
        }
        // New accounts keep arriving: first appearances fall on many different days.
        int arrivalDays = first.Values.Select(t => t.UtcDateTime.Date).Distinct().Count();
        Assert.True(arrivalDays >= 5, $"accounts arrived on only {arrivalDays} days");
        Assert.InRange(run.Simulator.Campaigns.Length, 2, 4);
        foreach (CampaignPlan c in run.Simulator.Campaigns)
        {
            Assert.InRange(c.Templates.Length, 3, 8);
        }
        Assert.Equal(run.Simulator.Campaigns.Sum(c => c.Templates.Length), run.Simulator.Campaigns.SelectMany(c => c.Templates).Distinct().Count());
    }

    [Fact]
    public void Enumerate_CampaignTiming_IntervalsJitterPoissonIsMemorylessShiftsStayInShift()
    {
        SimulationRun run = SimulationRun.Get(evasion: 0, scale: 0.001);
        TrafficSimulator sim = run.Simulator;
        var byAccount = run.Campaign.GroupBy(e => e.Account).ToDictionary(g => g.Key, g => g.Select(e => e.Timestamp).ToList(), StringComparer.Ordinal);
        var cvs = new List<double>();
        int checkedInterval = 0, checkedShift = 0;
        for (int i = 0; i < sim.CampaignAccounts.Length; i++)
        {
            CampaignAccountPlan plan = sim.CampaignAccounts[i];
            List<DateTimeOffset> times = byAccount[sim.AccountName(sim.CampaignStart + i)];
            var gaps = new List<double>();
            for (int k = 1; k < times.Count; k++)
            {
                gaps.Add((times[k] - times[k - 1]).TotalMilliseconds);
            }
            if (plan.OnShift)
            {
                CampaignPlan c = sim.Campaigns[plan.Campaign];
                foreach (DateTimeOffset t in times)
                {
                    double local = (t.UtcDateTime.TimeOfDay.TotalMilliseconds + c.OperatorTzMs + 86_400_000.0) % 86_400_000.0;
                    Assert.InRange(local, c.ShiftLocalStartMs, c.ShiftLocalStartMs + c.ShiftLengthMs);
                }
                checkedShift++;
            }
            else if (plan.Process == ArrivalProcess.JitteredInterval)
            {
                // Gaps lie in [0.5, 1.5] x interval (+-1 ms of rounding).
                double interval = (plan.EndMs - plan.StartMs) / (double)plan.Count;
                Assert.All(gaps, g => Assert.InRange(g, (0.5 * interval) - 1, (1.5 * interval) + 1));
                checkedInterval++;
            }
            else if (plan.Process == ArrivalProcess.Poisson)
            {
                double mean = gaps.Average();
                cvs.Add(Math.Sqrt(gaps.Sum(g => (g - mean) * (g - mean)) / gaps.Count) / mean);
            }
        }
        Assert.True(checkedInterval > 0 && checkedShift > 0 && cvs.Count > 0, $"{checkedInterval} interval, {checkedShift} shift, {cvs.Count} Poisson accounts");
        // Exponential gaps have CV 1; a sample of n >= 100 gaps has CV standard error about 1/sqrt(n) <= 0.1,
        // so the mean over the Poisson accounts lies within 0.25 of 1 with overwhelming probability.
        Assert.InRange(cvs.Average(), 0.75, 1.25);
    }

    [Fact]
    public void Options_OutOfRange_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrafficSimulator(new SimulationOptions { Scale = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrafficSimulator(new SimulationOptions { Scale = 100 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrafficSimulator(new SimulationOptions { Evasion = 4 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrafficSimulator(new SimulationOptions { Duration = TimeSpan.FromHours(5) }));
        Assert.Throws<ArgumentException>(() => new TrafficSimulator(new SimulationOptions { TaskPrompts = [] }));
    }

    [Fact]
    public void Enumerate_ShortWindowOtherStart_StillExactAndInside()
    {
        var options = new SimulationOptions { Seed = 5, Scale = 0.0003, Start = new DateTimeOffset(2026, 1, 3, 17, 30, 0, TimeSpan.FromHours(2)), Duration = TimeSpan.FromDays(3) };
        var sim = new TrafficSimulator(options);
        long n = 0;
        DateTimeOffset previous = DateTimeOffset.MinValue;
        foreach (SimulatedExchange e in sim)
        {
            Assert.True(e.Timestamp >= previous);
            Assert.True(e.Timestamp >= options.Start && e.Timestamp < options.Start + options.Duration);
            previous = e.Timestamp;
            n++;
        }
        Assert.Equal(sim.Counts.TotalExchanges, n);
    }
}
