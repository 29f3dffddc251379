using System.Diagnostics;
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

    public double Precision => Flagged == 0 ? 1.0 : (double)TruePositives / Flagged;

    public double Recall => CampaignAccounts == 0 ? 1.0 : (double)TruePositives / CampaignAccounts;

    public override string ToString()
    {
        var groups = string.Join(", ", HardNegativeSizes.Select(g => $"{g.Key} {HardNegativesFlagged.GetValueOrDefault(g.Key)}/{g.Value}"));
        return $"exchanges {Exchanges:N0}, campaign accounts {CampaignAccounts}, flagged {Flagged}, TP {TruePositives}, precision {Precision:F4}, recall {Recall:F4}, " +
            $"hard negatives flagged: {groups}; first alert after campaign start: {FirstAlertAfterCampaignStart?.TotalHours:F1} h; campaigns {Report.Campaigns.Count}; cohorts {Report.Cohorts}; {Elapsed.TotalSeconds:F1} s (analyses {AnalyzeTime.TotalSeconds:F1} s)";
    }
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
        var detector = new DistillationDetector(options);
        TimeSpan every = analyzeEvery ?? TimeSpan.FromHours(1);
        var stopwatch = Stopwatch.StartNew();
        DateTimeOffset? nextAnalysis = null;
        DateTimeOffset? campaignStart = null;
        DateTimeOffset? firstAlert = null;
        long exchanges = 0;
        var analyzeTime = new Stopwatch();
        DetectionReport? report = null;
        foreach (SimulatedExchange e in simulator)
        {
            nextAnalysis ??= e.Timestamp + every;
            if (e.Timestamp >= nextAnalysis)
            {
                analyzeTime.Start();
                report = detector.Analyze();
                analyzeTime.Stop();
                if (firstAlert is null && report.Accounts.Any(a => simulator.Truth.IsCampaignAccount(a.Account))) firstAlert = nextAnalysis;
                while (nextAnalysis <= e.Timestamp) nextAnalysis += every;
            }
            if (campaignStart is null && simulator.Truth.IsCampaignAccount(e.Account)) campaignStart = e.Timestamp;
            RequestVerdict verdict = detector.Observe(e.Account, e.Timestamp, e.Prompt);
            if (Diagnostics is not null && simulator.Truth.IsCampaignAccount(e.Account))
            {
                if (!Diagnostics.TryGetValue(e.Account, out var ids)) Diagnostics[e.Account] = ids = [];
                ids.Add(verdict.TemplateId);
            }
            if (firstAlert is null && verdict.IsAccountFlagged && simulator.Truth.IsCampaignAccount(e.Account)) firstAlert = e.Timestamp;
            exchanges++;
        }
        report = detector.Analyze();
        stopwatch.Stop();
        var flagged = new HashSet<string>(report.Accounts.Select(a => a.Account), StringComparer.Ordinal);
        int tp = flagged.Count(simulator.Truth.IsCampaignAccount);
        var sizes = new Dictionary<string, int>();
        var hits = new Dictionary<string, int>();
        foreach ((string group, IReadOnlyList<string> accounts) in simulator.Truth.HardNegativeGroups)
        {
            sizes[group] = accounts.Count;
            hits[group] = accounts.Count(flagged.Contains);
        }
        return new ReplayResult(simulator.Truth.CampaignAccounts.Count, flagged.Count, tp, hits, sizes,
            firstAlert - campaignStart, exchanges, stopwatch.Elapsed, report) { AnalyzeTime = analyzeTime.Elapsed };
    }
}
