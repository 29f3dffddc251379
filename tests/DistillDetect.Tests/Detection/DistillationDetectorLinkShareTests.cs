using DistillDetect.Detection;

namespace DistillDetect.Tests.Detection;

/// <summary>
/// The share an analysis asks of an account it did not flag with a cohort: the full
/// <see cref="DetectionOptions.AccountConcentration"/> (0.6) under
/// <see cref="DistillDetect.Accounts.AccountProfileOptions.UsageHashCount"/> (64) exchanges, three quarters of it (0.45)
/// from there, two thirds (0.4) once the account was abandoned (silent for <see cref="DetectionOptions.AbandonedAfter"/>,
/// 4 days). Accounts arrive after the synthetic world's campaign is known and send k of every 20 prompts on its
/// wrappers, the rest their own varied prompts; the wrappers come last in each block of 20, so the share never reaches
/// the request path's 0.6 as it grows. The accounts whose last exchange is 8 days on are still active at the analysis,
/// which that exchange dates; the others stopped after about two days.
/// </summary>
public sealed class DistillationDetectorLinkShareTests
{
    [Fact]
    public void Analyze_AccountsThatMixedPromptsIn_AreHeldToTheirSizesBar()
    {
        DetectionReport report = Run(
            ("mixer", 100, 10, 0), ("active-mixer", 100, 10, 8), ("small-mixer", 40, 9, 0),
            ("leaver", 100, 7, 0), ("active-dabbler", 100, 7, 8), ("dabbler", 100, 3, 0));
        // 0.5, abandoned or active: under the full bar, over the lowered ones. The share reported is the one the
        // rule read, a 64-bin estimate here: within three of its standard errors of the true share.
        foreach ((string name, double share) in new[] { ("mixer", 0.5), ("active-mixer", 0.5) })
        {
            AccountFinding found = Assert.Single(report.Accounts, a => a.Account == name);
            Assert.Equal(FlagReason.CampaignTemplates, found.Signals.Reason);
            double error = 3 * Math.Sqrt(share * (1 - share) / 64);
            Assert.InRange(found.Signals.CampaignTemplateShare, share - error, share + error);
        }
        // 40 exchanges at 0.45: held to the full bar. 0.35 abandoned (a person who stopped after sending some public
        // tasks can read as much; the half bar used before took it), 0.35 active and 0.15: under their bars.
        Assert.DoesNotContain(report.Accounts, a => a.Account is "small-mixer" or "leaver" or "active-dabbler" or "dabbler");
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
