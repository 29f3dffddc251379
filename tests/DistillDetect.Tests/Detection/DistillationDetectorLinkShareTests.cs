using DistillDetect.Detection;

namespace DistillDetect.Tests.Detection;

/// <summary>
/// The share an analysis asks of an account it did not flag with a cohort: the full
/// <see cref="DetectionOptions.AccountConcentration"/> (0.6), or half of it for an account abandoned (silent for
/// <see cref="DetectionOptions.AbandonedAfter"/>, 4 days) after at least
/// <see cref="DistillDetect.Accounts.AccountProfileOptions.UsageHashCount"/> (64) exchanges. Accounts arrive after the
/// synthetic world's campaign is known and send 9 of every 20 prompts (0.45) or 3 of every 20 (0.15) on its wrappers,
/// the rest their own varied prompts; the wrappers come last in each block of 20, so the share never reaches the
/// request path's 0.6 as it grows. One account keeps sending until the analysis, which it dates.
/// </summary>
public sealed class DistillationDetectorLinkShareTests
{
    [Fact]
    public void Analyze_AbandonedAccountThatMixedPromptsIn_IsFlaggedAtHalfTheShare()
    {
        DetectionReport report = Run(("mixer", 100, 9, 0), ("small-mixer", 40, 9, 0), ("dabbler", 100, 3, 0), ("active-mixer", 100, 9, 8));
        AccountFinding mixer = Assert.Single(report.Accounts, a => a.Account == "mixer");
        Assert.Equal(FlagReason.CampaignTemplates, mixer.Signals.Reason);
        Assert.InRange(mixer.Signals.CampaignTemplateShare, 0.3, 0.6);
        // Under 64 exchanges, or still active, the full bar holds; a small share fails either.
        Assert.DoesNotContain(report.Accounts, a => a.Account is "small-mixer" or "dabbler" or "active-mixer");
    }

    /// <summary>Each account's exchanges at 3-63 minute gaps from the end of the world, the last one <c>Days</c> days later.</summary>
    private static DetectionReport Run(params (string Name, int Exchanges, int WrappersPer20, double Days)[] accounts)
    {
        DetectionWorld world = DetectionWorld.Default;
        DistillationDetector detector = DistillationDetector.FromBytes(world.Detector.ToBytes());
        Assert.True(detector.CampaignTemplateCount > 0);
        var traffic = new SyntheticTraffic(97);
        var random = new Random(7);
        DateTimeOffset start = world.Traffic[^1].Timestamp + TimeSpan.FromMinutes(1);
        foreach ((string name, int exchanges, int wrappers, double days) in accounts)
        {
            DateTimeOffset t = start;
            for (int i = 0; i < exchanges; i++)
            {
                string prompt = i % 20 >= 20 - wrappers
                    ? SyntheticTraffic.Wrappers[i % SyntheticTraffic.Wrappers.Length].Replace("{0}", traffic.Text(random, 3), StringComparison.Ordinal)
                    : traffic.Text(random, 1 + random.Next(4));
                if (i == exchanges - 1 && days > 0) t = start + TimeSpan.FromDays(days);
                RequestVerdict verdict = detector.Observe(name, t, prompt);
                Assert.False(verdict.IsAccountFlagged, $"{name} linked on the request path at exchange {i + 1}");
                t += TimeSpan.FromMinutes(3 + random.Next(60));
            }
        }
        return detector.Analyze();
    }
}
