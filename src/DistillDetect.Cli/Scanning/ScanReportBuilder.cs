using System.Globalization;
using DistillDetect.Cli.Reports;
using DistillDetect.Detection;
using CliTemplate = DistillDetect.Cli.Reports.CampaignTemplate;

namespace DistillDetect.Cli.Scanning;

/// <summary>
/// Turns the detector's <see cref="DetectionReport"/> and the scan's own <see cref="AccountTable"/> into the
/// JSON <see cref="ScanReport"/> of DESIGN.md.
/// </summary>
/// <remarks>
/// <para>Campaign ids are <c>campaign-N</c> with the detector's campaign number. Signals are the detector's
/// evidence under snake_case names; a figure that is undefined (NaN, e.g. a burstiness below 3 exchanges) is
/// left out rather than written as a string.</para>
/// <para>Account signals: <c>exchanges</c>, <c>distinct_templates</c>, <c>campaign_template_share</c>,
/// <c>top_template_share</c>, <c>mean_gap_s</c>, <c>burstiness</c>, <c>lifetime_hours</c>,
/// <c>cohort_cohesion</c>, <c>flag_reason</c> (1 cohort member, 2 concentrated on a campaign's templates,
/// 3 linked on the request path; see <see cref="FlagReason"/>) and <c>out_of_order</c> (exchanges that arrived
/// earlier than an exchange of the account already read: the detector counts such a gap as zero, which makes
/// the account look burstier).</para>
/// <para>Campaign signals: <c>median_campaign_template_share</c>, <c>median_mean_gap_s</c>,
/// <c>median_burstiness</c>, <c>machine_timing_share</c>, <c>median_lifetime_hours</c>, <c>lifetime_share</c>,
/// <c>arrival_spread_days</c>, <c>synchronized_windows</c>, <c>templates</c>.</para>
/// </remarks>
internal static class ScanReportBuilder
{
    /// <summary>Prefix of campaign ids in the report.</summary>
    public const string CampaignPrefix = "campaign-";

    /// <summary>Builds the report. <paramref name="replay"/> is null for a plain scan. O(accounts).</summary>
    public static ScanReport Build(DetectionReport detection, AccountTable accounts, InputSummary input, ReplaySession? replay)
    {
        var campaigns = new List<CampaignEntry>(detection.Campaigns.Count);
        foreach (CampaignFinding c in detection.Campaigns)
        {
            campaigns.Add(BuildCampaign(c));
        }
        var flagged = new List<AccountEntry>(detection.Accounts.Count);
        foreach (AccountFinding a in detection.Accounts)
        {
            ref AccountTally tally = ref accounts.Find(a.Account);
            bool known = !System.Runtime.CompilerServices.Unsafe.IsNullRef(ref tally);
            long exchanges = known ? tally.Exchanges : a.Signals.Exchanges;
            DateTimeOffset? firstFlagged = null;
            long? before = null;
            if (replay is not null && known && tally.FirstFlaggedTicks != AccountTally.NotFlagged)
            {
                firstFlagged = new DateTimeOffset(tally.FirstFlaggedTicks, TimeSpan.Zero);
                before = tally.ExchangesBeforeFlagged;
            }
            flagged.Add(new AccountEntry
            {
                Account = a.Account,
                Score = a.Score,
                Campaign = CampaignId(a.CampaignId),
                Exchanges = exchanges,
                Signals = AccountSignals(a.Signals, known ? tally.OutOfOrder : 0),
                FirstFlagged = firstFlagged,
                ExchangesBeforeFlagged = before,
            });
        }
        return new ScanReport
        {
            Input = input,
            Campaigns = campaigns,
            Accounts = flagged,
            Replay = replay is null ? null : BuildReplay(replay),
        };
    }

    /// <summary>The report id of detector campaign <paramref name="id"/>.</summary>
    public static string CampaignId(int id) => CampaignPrefix + id.ToString(CultureInfo.InvariantCulture);

    private static CampaignEntry BuildCampaign(CampaignFinding c)
    {
        var templates = new List<CliTemplate>(c.Templates.Count);
        foreach (DistillDetect.Detection.CampaignTemplate t in c.Templates)
        {
            templates.Add(new CliTemplate
            {
                Id = t.TemplateId.ToString(CultureInfo.InvariantCulture),
                Count = t.Exchanges,
                Example = t.Example.Length == 0 ? null : t.Example,
            });
        }
        var signals = new Dictionary<string, double>(StringComparer.Ordinal);
        Put(signals, "median_campaign_template_share", c.MedianCampaignTemplateShare);
        Put(signals, "median_mean_gap_s", c.Timing.MedianMeanGapSeconds);
        Put(signals, "median_burstiness", c.Timing.MedianBurstiness);
        Put(signals, "machine_timing_share", c.Timing.MachineTimingShare);
        Put(signals, "median_lifetime_hours", c.Timing.MedianLifetime.TotalHours);
        Put(signals, "lifetime_share", c.Timing.LifetimeShare);
        Put(signals, "arrival_spread_days", c.Timing.ArrivalSpreadDays);
        Put(signals, "synchronized_windows", c.Timing.SynchronizedWindows.Count);
        Put(signals, "templates", c.Templates.Count);
        return new CampaignEntry
        {
            Id = CampaignId(c.Id),
            Score = c.Score,
            Accounts = c.Accounts,
            Exchanges = c.Exchanges,
            Templates = templates,
            Signals = signals,
            FirstSeen = c.FirstSeen,
            LastSeen = c.LastSeen,
        };
    }

    private static Dictionary<string, double> AccountSignals(DistillDetect.Detection.AccountSignals s, long outOfOrder)
    {
        var signals = new Dictionary<string, double>(StringComparer.Ordinal);
        Put(signals, "exchanges", s.Exchanges);
        Put(signals, "distinct_templates", s.DistinctTemplates);
        Put(signals, "campaign_template_share", s.CampaignTemplateShare);
        Put(signals, "top_template_share", s.TopTemplateShare);
        Put(signals, "mean_gap_s", s.MeanGapSeconds);
        Put(signals, "burstiness", s.Burstiness);
        Put(signals, "regular_gap_share", s.RegularGapShare);
        Put(signals, "lifetime_hours", s.LifetimeHours);
        Put(signals, "cohort_cohesion", s.CohortCohesion);
        Put(signals, "flag_reason", (int)s.Reason);
        Put(signals, "out_of_order", outOfOrder);
        return signals;
    }

    private static ReplaySummary BuildReplay(ReplaySession replay)
    {
        var activity = new List<AccountActivity>(replay.Accounts.Count);
        foreach (KeyValuePair<string, AccountTally> pair in replay.Accounts.Entries)
        {
            activity.Add(new AccountActivity
            {
                Account = pair.Key,
                Exchanges = pair.Value.Exchanges,
                FirstSeen = new DateTimeOffset(pair.Value.FirstTicks, TimeSpan.Zero),
                LastSeen = new DateTimeOffset(pair.Value.LastTicks, TimeSpan.Zero),
            });
        }
        activity.Sort(static (a, b) => string.CompareOrdinal(a.Account, b.Account));
        return new ReplaySummary
        {
            Start = new DateTimeOffset(replay.StartTicks, TimeSpan.Zero),
            End = new DateTimeOffset(replay.EndTicks, TimeSpan.Zero),
            AnalysisIntervalSeconds = replay.Interval.TotalSeconds,
            Analyses = replay.Analyses,
            Activity = activity,
        };
    }

    private static void Put(Dictionary<string, double> signals, string name, double value)
    {
        if (double.IsFinite(value))
        {
            signals[name] = value;
        }
    }
}
