using System.Globalization;
using System.Text;
using DistillDetect.Cli.Simulation;
using DistillDetect.Fingerprints;
using DistillDetect.Tests.Evaluation;

namespace DistillDetect.Tests.Fingerprints;

/// <summary>
/// Measurement (opt-in, DISTILLDETECT_MEASURE_GROUPING=1, needs ../shared/data): how well the template index
/// groups the simulator's campaign prompts when the tasks and the legitimate traffic are the REAL prompt sets
/// (campaign tasks MBPP, HumanEval, SWE-bench Lite; legitimate ShareGPT, awesome-chatgpt-prompts, Arena-Hard, ...).
/// Per campaign: prompts, distinct template ids (after <see cref="TemplateIndex.Resolve"/>) and the share of its
/// prompts in its 8 largest ids (a detector sees a campaign as the accounts sharing templates, so a campaign
/// smeared over thousands of ids is invisible); over all groups: legitimate prompts in groups whose majority is
/// a campaign (must stay near 0). Development rows (<see cref="SharedData.IsHeldOut"/> false) and development
/// seeds by default; DISTILLDETECT_GROUPING_HELDOUT=1 measures the held-out rows instead. Seeds and levels from
/// DISTILLDETECT_GROUPING_SEEDS (default "3") and DISTILLDETECT_GROUPING_EVASION (default "1,2,3"); 10 simulated
/// days at scale 0.003. A measurement, not a pass/fail test: it prints the figures (and appends them to
/// DISTILLDETECT_GROUPING_OUT when set).
/// </summary>
public sealed class TemplateRealCampaignGroupingTests
{
    [Fact]
    public void Assign_RealTasksAtEachEvasionLevel_CampaignConcentrationAndLegitMixing()
    {
        if (Environment.GetEnvironmentVariable("DISTILLDETECT_MEASURE_GROUPING") != "1")
        {
            Assert.Skip("set DISTILLDETECT_MEASURE_GROUPING=1 to measure template grouping of simulated campaigns on the real prompt sets.");
        }
        SharedData.RequireDirectory();
        bool heldOut = Environment.GetEnvironmentVariable("DISTILLDETECT_GROUPING_HELDOUT") == "1";
        List<string> tasks = DetectionFigures.Prompts(DetectionFigures.TaskFiles, heldOut);
        List<string> legit = DetectionFigures.Prompts(DetectionFigures.LegitFiles, heldOut);
        var report = new StringBuilder();
        foreach (int seed in DetectionFigures.Numbers("DISTILLDETECT_GROUPING_SEEDS", "3"))
        {
            foreach (int evasion in DetectionFigures.Numbers("DISTILLDETECT_GROUPING_EVASION", "1,2,3"))
            {
                report.Append(Measure(seed, evasion, tasks, legit, heldOut));
            }
        }
        TestContext.Current.TestOutputHelper?.WriteLine(report.ToString());
        if (Environment.GetEnvironmentVariable("DISTILLDETECT_GROUPING_OUT") is { Length: > 0 } path) File.AppendAllText(path, report.ToString());
    }

    private static string Measure(int seed, int evasion, List<string> tasks, List<string> legit, bool heldOut)
    {
        var simulator = new TrafficSimulator(new SimulationOptions
        {
            Seed = seed, Scale = 0.003, Evasion = evasion, Duration = TimeSpan.FromDays(10), TaskPrompts = tasks, LegitPrompts = legit,
        });
        var index = new TemplateIndex();
        var ids = new List<long>();
        var labels = new List<string>();
        var started = System.Diagnostics.Stopwatch.StartNew();
        foreach (SimulatedExchange e in simulator)
        {
            ids.Add(index.Assign(e.Prompt));
            labels.Add(simulator.Truth.CampaignOf(e.Account) ?? (simulator.Truth.HardNegativeGroupOf(e.Account) is { } g ? "hard:" + g : ""));
        }
        double seconds = started.Elapsed.TotalSeconds;
        var perGroup = new Dictionary<long, Dictionary<string, int>>();
        var perCampaign = new SortedDictionary<string, Dictionary<long, int>>(StringComparer.Ordinal);
        for (int i = 0; i < ids.Count; i++)
        {
            long id = index.Resolve(ids[i]);
            string label = labels[i];
            if (!perGroup.TryGetValue(id, out var counts)) perGroup[id] = counts = [];
            counts[label] = counts.GetValueOrDefault(label) + 1;
            if (label.Length > 0 && !label.StartsWith("hard:", StringComparison.Ordinal))
            {
                if (!perCampaign.TryGetValue(label, out var d)) perCampaign[label] = d = [];
                d[id] = d.GetValueOrDefault(id) + 1;
            }
        }
        long legitTotal = 0, legitInCampaign = 0, hardInCampaign = 0, otherCampaign = 0;
        foreach (Dictionary<string, int> counts in perGroup.Values)
        {
            string majority = counts.MaxBy(p => (p.Value, p.Key)).Key;
            bool campaign = majority.Length > 0 && !majority.StartsWith("hard:", StringComparison.Ordinal);
            foreach ((string label, int n) in counts)
            {
                bool isLegit = label.Length == 0 || label.StartsWith("hard:", StringComparison.Ordinal);
                if (isLegit) legitTotal += n;
                if (!campaign) continue;
                if (label.Length == 0) legitInCampaign += n;
                else if (label.StartsWith("hard:", StringComparison.Ordinal)) hardInCampaign += n;
                else if (label != majority) otherCampaign += n;
            }
        }
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"== seed {seed}, evasion {evasion}, {(heldOut ? "held-out" : "development")} rows: {ids.Count} prompts in {seconds:F1} s, {index.TemplateCount} templates\n");
        foreach ((string campaign, Dictionary<long, int> d) in perCampaign)
        {
            long total = d.Values.Sum();
            List<int> top = d.Values.OrderDescending().Take(8).ToList();
            sb.Append(CultureInfo.InvariantCulture, $"  {campaign}: prompts {total}, distinct ids {d.Count}, top8 share {(double)top.Sum() / total:F3}, top {string.Join(",", top)}\n");
        }
        sb.Append(CultureInfo.InvariantCulture, $"  legit/hard-negative prompts {legitTotal}: in campaign-majority groups {legitInCampaign} legit + {hardInCampaign} hard negative; campaign prompts in another campaign's group {otherCampaign}\n");
        return sb.ToString();
    }
}
