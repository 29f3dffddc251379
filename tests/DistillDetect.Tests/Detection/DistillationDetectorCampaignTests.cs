using DistillDetect.Detection;

namespace DistillDetect.Tests.Detection;

public sealed class DistillationDetectorCampaignTests
{
    [Fact]
    public void Analyze_SyntheticCampaign_FlagsItsAccountsAsOneCampaign()
    {
        DetectionWorld world = DetectionWorld.Default;
        DetectionReport report = world.Report;
        int campaign = world.CountAccounts(Population.Campaign);
        int flagged = world.CountFlagged(report, Population.Campaign);
        TestContext.Current.TestOutputHelper?.WriteLine($"campaign accounts flagged {flagged}/{campaign}, campaigns {report.Campaigns.Count}");
        // Each campaign account sends 60 exchanges, all on the four wrappers, with machine timing: every one must be found.
        Assert.Equal(campaign, flagged);
        CampaignFinding found = Assert.Single(report.Campaigns);
        Assert.Equal(campaign, found.Accounts.Count);
        Assert.InRange(found.Templates.Count, 4, 20);
        Assert.All(found.Templates, t => Assert.False(string.IsNullOrEmpty(t.Example)));
        Assert.True(found.Timing.MachineTimingShare > 0.9, $"machine timing share {found.Timing.MachineTimingShare}");
        Assert.True(found.Timing.MedianBurstiness < 0, $"median burstiness {found.Timing.MedianBurstiness}");
        Assert.True(found.MedianCampaignTemplateShare > 0.9);
        Assert.True(found.FirstSeen < found.LastSeen);
        Assert.Equal(found.Accounts.Count * 60L, found.Exchanges);
        Assert.InRange(found.Score, 0.4, 1.0);
    }

    [Theory]
    [InlineData(Population.HeavyCoder)]
    [InlineData(Population.ServiceKey)]
    [InlineData(Population.PopularPaster)]
    [InlineData(Population.Ordinary)]
    public void Analyze_HardNegatives_AreNotFlagged(Population population)
    {
        DetectionWorld world = DetectionWorld.Default;
        Assert.True(world.CountAccounts(population) > 0);
        Assert.Equal(0, world.CountFlagged(world.Report, population));
    }

    [Fact]
    public void Analyze_FlaggedAccounts_CarryTheSignalsBehindTheFlag()
    {
        DetectionWorld world = DetectionWorld.Default;
        Assert.NotEmpty(world.Report.Accounts);
        double previous = double.MaxValue;
        foreach (AccountFinding a in world.Report.Accounts)
        {
            Assert.True(a.Score <= previous);
            previous = a.Score;
            Assert.InRange(a.Score, 0.0, 1.0);
            Assert.NotEqual(FlagReason.None, a.Signals.Reason);
            Assert.True(a.Signals.CampaignTemplateShare >= DetectionOptions.Default.AccountConcentration);
            Assert.True(a.Signals.Exchanges >= DetectionOptions.Default.LinkAfterExchanges);
            Assert.InRange(a.ExchangesBeforeFlagged, 0, a.Signals.Exchanges - 1);
            Assert.True(a.FirstFlagged >= SyntheticTraffic.Start);
            if (a.Signals.Reason == FlagReason.Cohort) Assert.InRange(a.Signals.CohortCohesion, 0.0, 1.0);
        }
    }

    [Fact]
    public void Observe_NewAccountOfKnownCampaign_IsLinkedAtItsKthRequest()
    {
        DetectionWorld world = DetectionWorld.Default;
        // A fresh detector state with the campaign known: load the analyzed world.
        DistillationDetector detector = DistillationDetector.FromBytes(world.Detector.ToBytes());
        Assert.True(detector.CampaignTemplateCount > 0);
        var traffic = new SyntheticTraffic(99);
        var random = new Random(5);
        int k = detector.Options.LinkAfterExchanges;
        DateTimeOffset t = world.Traffic[^1].Timestamp + TimeSpan.FromMinutes(1);
        for (int i = 1; i <= k + 2; i++)
        {
            string prompt = SyntheticTraffic.Wrappers[i % SyntheticTraffic.Wrappers.Length].Replace("{0}", traffic.Text(random, 3), StringComparison.Ordinal);
            RequestVerdict verdict = detector.Observe("brand-new-campaign-account", t, prompt);
            Assert.True(verdict.IsCampaignTemplate, $"request {i}: the wrapper is a campaign template");
            Assert.NotEqual(0, verdict.CampaignId);
            Assert.Equal(i >= k, verdict.IsAccountFlagged);
            if (i < k) Assert.True(verdict.Score < 1.0);
            else Assert.True(verdict.Score > 0);
            t += TimeSpan.FromMinutes(2);
        }
        DetectionReport report = detector.Analyze();
        AccountFinding linked = Assert.Single(report.Accounts, a => a.Account == "brand-new-campaign-account");
        Assert.Equal(FlagReason.RequestPath, linked.Signals.Reason);
        Assert.Equal(k - 1, linked.ExchangesBeforeFlagged);
    }

    [Fact]
    public void Observe_PopularPromptPastedByNewPerson_IsNotLinked()
    {
        DetectionWorld world = DetectionWorld.Default;
        DistillationDetector detector = DistillationDetector.FromBytes(world.Detector.ToBytes());
        var traffic = new SyntheticTraffic(98);
        var random = new Random(6);
        DateTimeOffset t = world.Traffic[^1].Timestamp + TimeSpan.FromMinutes(1);
        RequestVerdict paste = detector.Observe("new-person", t, SyntheticTraffic.PopularPrompt);
        Assert.False(paste.IsCampaignTemplate);
        for (int i = 0; i < 10; i++)
        {
            RequestVerdict v = detector.Observe("new-person", t + TimeSpan.FromHours(i + 1), traffic.Text(random, 2));
            Assert.False(v.IsAccountFlagged);
        }
    }
}
