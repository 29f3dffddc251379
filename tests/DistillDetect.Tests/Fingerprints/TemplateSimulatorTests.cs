using System.Diagnostics;
using System.Globalization;
using DistillDetect.Cli.Simulation;
using DistillDetect.Fingerprints;

namespace DistillDetect.Tests.Fingerprints;

/// <summary>
/// Template grouping on the built-in simulator's traffic (src/DistillDetect.Cli/Simulation): every exchange,
/// campaign and legitimate, goes through one <see cref="TemplateIndex"/> in time order, and the ids the index
/// returns online (what the detector records) are scored per campaign against the simulator's truth.
/// Rules were developed on seeds 1 to 3; the assertions are on seed 11 (held out).
/// </summary>
public sealed class TemplateSimulatorTests
{
    /// <summary>Figures of one run.</summary>
    internal sealed record Figures(long Seed, int Evasion, int Campaigns, long CampaignPrompts, long LegitPrompts,
        double MinTopShare, double MeanTopShare, double DistinctPer1000, double LegitInCampaign, int Templates, double MicrosPerAssign)
    {
        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"seed {Seed} evasion {Evasion}: campaigns {Campaigns}, campaign prompts {CampaignPrompts}, legit {LegitPrompts}; " +
            $"top-k share min {MinTopShare:F4} mean {MeanTopShare:F4}; distinct ids per 1,000 campaign prompts {DistinctPer1000:F1}; " +
            $"legit in campaign templates {LegitInCampaign:P3}; templates {Templates}; {MicrosPerAssign:F1} us/assign");
    }

    /// <summary>Ids a campaign may spread over and still count as grouped: this many per wrapper it uses.</summary>
    internal const int IdsPerWrapper = 2;

    /// <summary>
    /// Replays the simulator through a fresh index. Per campaign: the share of its prompts that got one of its
    /// top k ids (k = <see cref="IdsPerWrapper"/> x its wrappers; the account layer weights by usage, so a few
    /// ids per wrapper are fine) and its distinct ids per 1,000 prompts. Legit: the share of non-campaign
    /// prompts that got any campaign's top-k id. At level 3 half the campaign accounts send 20 % legitimate
    /// prompts, which count as campaign prompts here (they bound the top-k share at about 0.9).
    /// </summary>
    internal static Figures Measure(long seed, int evasion, double scale, TimeSpan duration, TemplateIndexOptions? options = null)
    {
        var simulator = new TrafficSimulator(new SimulationOptions { Seed = seed, Scale = scale, Evasion = evasion, Duration = duration });
        var index = new TemplateIndex(options);
        SimulationTruth truth = simulator.Truth;
        var campaignOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var campaignIds = truth.Campaigns.Keys.ToList();
        for (int c = 0; c < campaignIds.Count; c++) foreach (string a in truth.Campaigns[campaignIds[c]]) campaignOf[a] = c;
        var perCampaign = new Dictionary<long, int>[campaignIds.Count];
        for (int c = 0; c < perCampaign.Length; c++) perCampaign[c] = [];
        var legitIds = new List<long>();
        var clock = new Stopwatch();
        long assigned = 0;
        foreach (SimulatedExchange e in simulator)
        {
            clock.Start();
            long id = index.Assign(e.Prompt);
            clock.Stop();
            assigned++;
            if (campaignOf.TryGetValue(e.Account, out int c)) perCampaign[c][id] = perCampaign[c].GetValueOrDefault(id) + 1;
            else legitIds.Add(id);
        }

        var campaignTemplates = new HashSet<long>();
        double minTop = 1, sumTop = 0;
        long campaignPrompts = 0, distinct = 0;
        for (int c = 0; c < perCampaign.Length; c++)
        {
            int wrappers = simulator.Campaigns.First(p => p.Id == campaignIds[c]).Templates.Length;
            long total = perCampaign[c].Values.Sum();
            var top = perCampaign[c].OrderByDescending(p => p.Value).ThenBy(p => p.Key).Take(IdsPerWrapper * wrappers).ToList();
            double share = total == 0 ? 1 : (double)top.Sum(p => p.Value) / total;
            foreach (var p in top) campaignTemplates.Add(p.Key);
            minTop = Math.Min(minTop, share);
            sumTop += share;
            campaignPrompts += total;
            distinct += perCampaign[c].Count;
        }
        long legitIn = legitIds.Count(campaignTemplates.Contains);
        return new Figures(seed, evasion, perCampaign.Length, campaignPrompts, legitIds.Count, minTop, sumTop / perCampaign.Length,
            1000.0 * distinct / Math.Max(1, campaignPrompts), (double)legitIn / Math.Max(1, legitIds.Count), index.TemplateCount,
            clock.Elapsed.TotalMicroseconds / Math.Max(1, assigned));
    }

    private static void Log(Figures figures)
    {
        string line = figures.ToString();
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        string? log = Environment.GetEnvironmentVariable("DISTILLDETECT_TEMPLATE_SIM_LOG");
        if (!string.IsNullOrEmpty(log)) File.AppendAllText(log, line + Environment.NewLine);
    }

    /// <summary>
    /// Held-out seed 11 at level 0: every campaign keeps at least 95 % of its prompts on two ids per wrapper,
    /// and under 0.5 % of legitimate prompts get a campaign's id. Scale 0.001 over 7 days: about 4,800 campaign
    /// and 48,000 legitimate prompts, a few seconds. Why 95 %: after normalization a wrapper's segments are exact
    /// at level 0, so only a wrapper's first prompts (before a segment is shared) and prompts whose task
    /// structure outweighs the wrapper miss (development seeds 1-3: at least 99.8 %).
    /// </summary>
    [Fact]
    public void Assign_SimulatorHeldOutSeedLevel0_KeepsCampaignsOnTheirWrappers()
    {
        Figures figures = Measure(11, 0, 0.001, TimeSpan.FromDays(7));
        Log(figures);
        Assert.True(figures.MinTopShare >= 0.95, figures.ToString());
        Assert.True(figures.LegitInCampaign < 0.005, figures.ToString());
    }

    /// <summary>
    /// Held-out seed 11 at level 1: under 0.5 % of legitimate prompts get a campaign's id; the top-k share is
    /// printed, not asserted. Known limit: a short wrapper sentence after a long agentic task with fixed sentences
    /// of its own ("Break the goal into sub-tasks ...", 28 words) loses to that task structure, so such prompts
    /// group by task family (still campaign-only groups), which leaves one campaign at about 0.85 on seeds 3 and 11.
    /// </summary>
    [Fact]
    public void Assign_SimulatorHeldOutSeedLevel1_KeepsLegitimatePromptsOut()
    {
        Figures figures = Measure(11, 1, 0.001, TimeSpan.FromDays(7));
        Log(figures);
        Assert.True(figures.LegitInCampaign < 0.005, figures.ToString());
    }

    /// <summary>
    /// Development sweep (levels 0-3; seeds 1-3, or the comma-separated DISTILLDETECT_TEMPLATE_SIM_SEEDS) at
    /// DISTILLDETECT_TEMPLATE_SIM_SCALE, appending to DISTILLDETECT_TEMPLATE_SIM_LOG when set; skipped when the scale is unset.
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Assign_SimulatorDevelopmentSeeds_PrintsFigures(int evasion)
    {
        string? scaleText = Environment.GetEnvironmentVariable("DISTILLDETECT_TEMPLATE_SIM_SCALE");
        if (string.IsNullOrEmpty(scaleText)) Assert.Skip("Set DISTILLDETECT_TEMPLATE_SIM_SCALE (e.g. 0.002) to sweep the development seeds.");
        double scale = double.Parse(scaleText, CultureInfo.InvariantCulture);
        string seeds = Environment.GetEnvironmentVariable("DISTILLDETECT_TEMPLATE_SIM_SEEDS") is { Length: > 0 } s ? s : "1,2,3";
        foreach (string seed in seeds.Split(',')) Log(Measure(long.Parse(seed, CultureInfo.InvariantCulture), evasion, scale, TimeSpan.FromDays(7)));
    }
}
