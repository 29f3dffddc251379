using System.Diagnostics;
using System.Globalization;
using DistillDetect.Cli.Simulation;
using DistillDetect.Detection;

namespace DistillDetect.Tests.Detection;

/// <summary>Account-level figures of one replay of simulated traffic through a detector.</summary>
internal sealed record ReplayResult(
    int CampaignAccounts,
    int Flagged,
    int TruePositives,
    IReadOnlyDictionary<string, int> HardNegativesFlagged,
    IReadOnlyDictionary<string, int> HardNegativeSizes,
    TimeSpan? FirstAlertAfterCampaignStart,
    long Exchanges,
    TimeSpan Elapsed,
    DetectionReport Report)
{
    public TimeSpan AnalyzeTime { get; init; }

    public int Analyses { get; init; }

    /// <summary>Exchanges sent by campaign accounts.</summary>
    public long CampaignExchanges { get; init; }

    /// <summary>Share of campaign exchanges served before their account was flagged (unflagged accounts count whole).</summary>
    public double ServedBeforeFlag { get; init; }

    /// <summary>True positives by reason: cohort member, campaign-template share at analysis, linked on the request path.</summary>
    public string Reasons { get; init; } = "";

    /// <summary>Per simulated campaign: hours from its first exchange to the first flag of one of its accounts (null: never flagged).</summary>
    public IReadOnlyDictionary<string, double?> FirstAlertHoursByCampaign { get; init; } = new Dictionary<string, double?>();

    /// <summary>The slowest campaign's first alert, hours (infinity when a campaign was never flagged).</summary>
    public double WorstFirstAlertHours => FirstAlertHoursByCampaign.Count == 0 ? double.NaN : FirstAlertHoursByCampaign.Values.Max(v => v ?? double.PositiveInfinity);

    /// <summary>One line per campaign account the final report missed (development aid).</summary>
    public IReadOnlyList<string> Missed { get; init; } = [];

    /// <summary>Flagged accounts of no campaign, with the signals behind each flag.</summary>
    public IReadOnlyList<string> FalsePositives { get; init; } = [];

    public double Precision => Flagged == 0 ? 1.0 : (double)TruePositives / Flagged;

    public double Recall => CampaignAccounts == 0 ? 1.0 : (double)TruePositives / CampaignAccounts;

    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);

    /// <summary>Hard-negative accounts flagged per group, e.g. "heavy 0/4, service 0/12, popular 0/120".</summary>
    public string HardNegativeText => string.Join(", ", HardNegativeSizes.Select(g => $"{g.Key} {HardNegativesFlagged.GetValueOrDefault(g.Key)}/{g.Value}"));

    /// <summary>Markdown table header matching <see cref="TableRow"/>.</summary>
    public const string TableHeader =
        "| seed | scale | evasion | exchanges | campaign accounts | flagged | precision | recall | F1 | hard negatives flagged | first alert per campaign (h) | served before flag | TP by cohort / templates / request path / shared tasks | Analyze calls | Analyze total (s) | Analyze mean (ms) | replay (s) |\n" +
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: | --- | ---: | ---: | ---: | ---: |";

    public string TableRow(long seed, double scale, int evasion)
    {
        string alerts = string.Join(" / ", FirstAlertHoursByCampaign.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Value is double h ? h.ToString("F1", CultureInfo.InvariantCulture) : "never"));
        double mean = Analyses == 0 ? 0 : AnalyzeTime.TotalMilliseconds / Analyses;
        return string.Create(CultureInfo.InvariantCulture,
            $"| {seed} | {scale} | {evasion} | {Exchanges:N0} | {CampaignAccounts} | {Flagged} | {Precision:F4} | {Recall:F4} | {F1:F4} | {HardNegativeText} | {alerts} | {ServedBeforeFlag:P1} | {Reasons} | {Analyses} | {AnalyzeTime.TotalSeconds:F1} | {mean:F1} | {Elapsed.TotalSeconds:F1} |");
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture,
            $"exchanges {Exchanges:N0}, campaign accounts {CampaignAccounts}, flagged {Flagged}, TP {TruePositives}, precision {Precision:F4}, recall {Recall:F4}, " +
            $"hard negatives flagged: {HardNegativeText}; first alert after campaign start: {FirstAlertAfterCampaignStart?.TotalHours:F1} h (worst campaign {WorstFirstAlertHours:F1} h); campaigns {Report.Campaigns.Count}; cohorts {Report.Cohorts}; {Elapsed.TotalSeconds:F1} s (analyses {AnalyzeTime.TotalSeconds:F1} s)");
}

/// <summary>
/// Feeds the built-in traffic simulator (src/DistillDetect.Cli/Simulation) into a detector in time order and
/// analyzes every simulated <c>analyzeEvery</c>, as <c>scan --replay</c> does; then scores the flags against the truth.
/// </summary>
internal static class SimulationReplay
{
    /// <summary>When set, collects the template ids each campaign account's exchanges got (one replay at a time).</summary>
    [ThreadStatic]
    private static Dictionary<string, List<long>>? t_diagnostics;

    public static Dictionary<string, List<long>>? Diagnostics { get => t_diagnostics; set => t_diagnostics = value; }

    public static string Describe(Dictionary<string, List<long>> ids)
    {
        if (ids.Count == 0) return "no campaign accounts";
        var accountsPerTemplate = new Dictionary<long, int>();
        foreach (var list in ids.Values) foreach (long t in list.Distinct()) accountsPerTemplate[t] = accountsPerTemplate.GetValueOrDefault(t) + 1;
        double distinct = ids.Values.Average(l => (double)l.Distinct().Count() / l.Count);
        double topShare = ids.Values.Average(l => (double)l.GroupBy(x => x).Max(g => g.Count()) / l.Count);
        double sharedShare = ids.Values.Average(l => (double)l.Count(t => accountsPerTemplate[t] >= 3) / l.Count);
        double volume = ids.Values.Average(l => l.Count);
        return $"campaign accounts {ids.Count}, mean volume {volume:F0}, distinct/volume {distinct:F3}, top template share {topShare:F3}, share on templates used by >= 3 accounts {sharedShare:F3}, templates used by >= 3 accounts {accountsPerTemplate.Count(x => x.Value >= 3)}";
    }

    public static ReplayResult Run(SimulationOptions simulation, DetectionOptions? options = null, TimeSpan? analyzeEvery = null)
    {
        var simulator = new TrafficSimulator(simulation);
        SimulationTruth truth = simulator.Truth;
        var detector = new DistillationDetector(options);
        TimeSpan every = analyzeEvery ?? TimeSpan.FromHours(1);
        var stopwatch = Stopwatch.StartNew();
        DateTimeOffset? nextAnalysis = null;
        DateTimeOffset? campaignStart = null;
        DateTimeOffset? firstAlert = null;
        var startOf = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var alertOf = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        long exchanges = 0;
        long campaignExchanges = 0;
        int analyses = 0;
        var analyzeTime = new Stopwatch();
        DetectionReport? report = null;

        void Alert(string account, DateTimeOffset at)
        {
            string? campaign = truth.CampaignOf(account);
            if (campaign is null) return;
            firstAlert ??= at;
            alertOf.TryAdd(campaign, at);
        }

        foreach (SimulatedExchange e in simulator)
        {
            nextAnalysis ??= e.Timestamp + every;
            if (e.Timestamp >= nextAnalysis)
            {
                analyzeTime.Start();
                report = detector.Analyze();
                analyzeTime.Stop();
                analyses++;
                foreach (AccountFinding a in report.Accounts) Alert(a.Account, nextAnalysis.Value);
                while (nextAnalysis <= e.Timestamp) nextAnalysis += every;
            }
            string? own = truth.CampaignOf(e.Account);
            if (own is not null)
            {
                campaignStart ??= e.Timestamp;
                campaignExchanges++;
                startOf.TryAdd(own, e.Timestamp);
            }
            RequestVerdict verdict = detector.Observe(e.Account, e.Timestamp, e.Prompt);
            if (Diagnostics is not null && own is not null)
            {
                if (!Diagnostics.TryGetValue(e.Account, out var ids)) Diagnostics[e.Account] = ids = [];
                ids.Add(verdict.TemplateId);
            }
            if (verdict.IsAccountFlagged) Alert(e.Account, e.Timestamp);
            exchanges++;
        }
        analyzeTime.Start();
        report = detector.Analyze();
        analyzeTime.Stop();
        analyses++;
        stopwatch.Stop();
        var flagged = new HashSet<string>(report.Accounts.Select(a => a.Account), StringComparer.Ordinal);
        int tp = flagged.Count(truth.IsCampaignAccount);
        var sizes = new Dictionary<string, int>();
        var hits = new Dictionary<string, int>();
        foreach ((string group, IReadOnlyList<string> accounts) in truth.HardNegativeGroups)
        {
            sizes[group] = accounts.Count;
            hits[group] = accounts.Count(flagged.Contains);
        }
        var alertHours = new Dictionary<string, double?>(StringComparer.Ordinal);
        foreach ((string campaign, DateTimeOffset start) in startOf)
        {
            alertHours[campaign] = alertOf.TryGetValue(campaign, out DateTimeOffset at) ? (at - start).TotalHours : null;
        }
        long before = 0;
        var byReason = new Dictionary<FlagReason, int>();
        foreach (AccountFinding a in report.Accounts)
        {
            if (!truth.IsCampaignAccount(a.Account)) continue;
            before += a.ExchangesBeforeFlagged;
            byReason[a.Signals.Reason] = byReason.GetValueOrDefault(a.Signals.Reason) + 1;
        }
        var missed = new List<string>();
        foreach (string account in truth.CampaignAccounts)
        {
            if (flagged.Contains(account)) continue;
            missed.Add($"{truth.CampaignOf(account)} {account}: {detector.DescribeAccount(account)}");
            before += detector.TrackedExchanges(account);
        }
        var falsePositives = report.Accounts.Where(a => !truth.IsCampaignAccount(a.Account)).Select(a => $"{a.Account}: flagged {a.FirstFlagged:u} after {a.ExchangesBeforeFlagged} exchanges; now {a.Signals}").ToList();
        return new ReplayResult(truth.CampaignAccounts.Count, flagged.Count, tp, hits, sizes,
            firstAlert - campaignStart, exchanges, stopwatch.Elapsed, report)
        {
            AnalyzeTime = analyzeTime.Elapsed,
            Analyses = analyses,
            FirstAlertHoursByCampaign = alertHours,
            Missed = missed,
            FalsePositives = falsePositives,
            CampaignExchanges = campaignExchanges,
            ServedBeforeFlag = campaignExchanges == 0 ? 0 : (double)before / campaignExchanges,
            Reasons = $"{byReason.GetValueOrDefault(FlagReason.Cohort)} / {byReason.GetValueOrDefault(FlagReason.CampaignTemplates)} / {byReason.GetValueOrDefault(FlagReason.RequestPath)} / {byReason.GetValueOrDefault(FlagReason.SharedTasks)}",
        };
    }
}
