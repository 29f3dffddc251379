using DistillDetect.Detection;

namespace DistillDetect.Tests.Detection;

/// <summary>
/// Early detection: a campaign's first wave is only two or three accounts with a few dozen exchanges each when the
/// issue's 6-hour deadline for the first alert falls, so the detector must treat such a group as a cohort while the
/// hard negatives around it (service keys, heavy coders, popular pasters) stay unflagged.
/// </summary>
public sealed class DistillationDetectorEarlyDetectionTests
{
    [Theory]
    [InlineData(2, 21)]
    [InlineData(3, 22)]
    public void Analyze_FirstWaveOfFewAccounts_IsFlaggedWithinSixHours(int accounts, int seed)
    {
        // One wave of 2 or 3 accounts registered within an hour of each other (as the simulator's first wave), 30
        // exchanges each 60-300 s apart (+-50 % jitter): 0.5 to 3.75 hours of traffic.
        var spec = new SyntheticTraffic.Spec { CampaignAccounts = accounts, CampaignWaves = 1, CampaignExchangesPerAccount = 30, Days = 3, WaveSpreadDays = 1.0 / 24 };
        List<SyntheticExchange> traffic = new SyntheticTraffic(seed).Generate(spec, seed + 1);
        var detector = new DistillationDetector();
        DateTimeOffset campaignStart = traffic.First(e => e.Population == Population.Campaign).Timestamp;
        DateTimeOffset? next = null;
        DateTimeOffset? firstAlert = null;
        var flagged = new HashSet<string>(StringComparer.Ordinal);
        var population = new Dictionary<string, Population>(StringComparer.Ordinal);
        foreach (SyntheticExchange e in traffic)
        {
            population[e.Account] = e.Population;
            next ??= e.Timestamp + TimeSpan.FromHours(1);
            if (e.Timestamp >= next)
            {
                DetectionReport report = detector.Analyze();
                foreach (AccountFinding a in report.Accounts)
                {
                    flagged.Add(a.Account);
                    if (a.Account.StartsWith("camp-", StringComparison.Ordinal)) firstAlert ??= next;
                }
                while (next <= e.Timestamp) next += TimeSpan.FromHours(1);
            }
            detector.Observe(e.Account, e.Timestamp, e.Prompt);
        }
        DetectionReport last = detector.Analyze();
        foreach (AccountFinding a in last.Accounts) flagged.Add(a.Account);

        Assert.NotNull(firstAlert);
        Assert.True(firstAlert.Value - campaignStart <= TimeSpan.FromHours(6), $"first alert {(firstAlert.Value - campaignStart).TotalHours:F1} h after the campaign's first exchange");
        Assert.Equal(accounts, flagged.Count(a => population[a] == Population.Campaign));
        Assert.All(flagged, a => Assert.Equal(Population.Campaign, population[a]));
    }
}
