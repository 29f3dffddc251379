using DistillDetect.Detection;

namespace DistillDetect.Tests.Detection;

public sealed class DistillationDetectorCampaignTests
{
    private static (DistillationDetector Detector, DetectionReport Report, List<SyntheticExchange> Traffic) Run(SyntheticTraffic.Spec spec, int seed)
    {
        var world = new SyntheticTraffic(seed);
        List<SyntheticExchange> traffic = world.Generate(spec, seed + 1);
        var detector = new DistillationDetector();
        DateTimeOffset next = SyntheticTraffic.Start + TimeSpan.FromHours(6);
        foreach (SyntheticExchange e in traffic)
        {
            if (e.Timestamp >= next)
            {
                detector.Analyze();
                while (next <= e.Timestamp) next += TimeSpan.FromHours(6);
            }
            detector.Observe(e.Account, e.Timestamp, e.Prompt);
        }
        return (detector, detector.Analyze(), traffic);
    }

    [Fact]
    public void Analyze_SyntheticWorld_Explore()
    {
        var (_, report, traffic) = Run(new SyntheticTraffic.Spec(), 11);
        var pop = traffic.GroupBy(e => e.Account).ToDictionary(g => g.Key, g => g.First().Population);
        var flagged = report.Accounts.GroupBy(a => pop[a.Account]).Select(g => $"{g.Key}: {g.Count()}");
        File.AppendAllText("/tmp/h_syn.txt", $"{traffic.Count} exchanges; campaigns {report.Campaigns.Count}; cohorts {report.Cohorts}; flagged {string.Join(", ", flagged)}\n");
        foreach (var c in report.Campaigns)
        {
            File.AppendAllText("/tmp/h_syn.txt", $"  campaign {c.Id} score {c.Score:F3} accounts {c.Accounts.Count} templates {c.Templates.Count} share {c.MedianCampaignTemplateShare:F2} timing {c.Timing}\n");
        }
    }
}
