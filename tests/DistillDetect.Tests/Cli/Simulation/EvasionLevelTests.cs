using DistillDetect.Cli.Simulation;

namespace DistillDetect.Tests.Cli.Simulation;

public class EvasionLevelTests
{
    // The clean wrapper text around the task, for each template variant of each campaign.
    private static (string Before, string After) Split(string variant)
    {
        int at = variant.IndexOf(CampaignWrappers.TaskPlaceholder, StringComparison.Ordinal);
        return (variant[..at], variant[(at + CampaignWrappers.TaskPlaceholder.Length)..]);
    }

    private static bool MatchesVariant(string prompt, TrafficSimulator sim, int campaign, int variantIndex, bool clean)
    {
        string p = clean ? SimulationRun.Clean(prompt) : prompt;
        foreach (int t in sim.Campaigns[campaign].Templates)
        {
            (string before, string after) = Split(CampaignWrappers.Pool[t][variantIndex]);
            if (clean)
            {
                before = SimulationRun.Squash(before);
                after = SimulationRun.Squash(after);
            }
            if (p.StartsWith(before, StringComparison.Ordinal) && p.EndsWith(after, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    private static int CampaignOf(TrafficSimulator sim, string account) =>
        Array.IndexOf(sim.Campaigns.Select(c => c.Id).ToArray(), sim.Truth.CampaignOf(account));

    [Fact]
    public void Level0_EveryCampaignPromptIsACanonicalWrapperAndNothingIsNoisy()
    {
        SimulationRun run = SimulationRun.Get(evasion: 0);
        Assert.All(run.Campaign, e => Assert.True(MatchesVariant(e.Prompt, run.Simulator, CampaignOf(run.Simulator, e.Account), 0, clean: false), e.Prompt));
        Assert.DoesNotContain(run.Campaign, e => SimulationRun.HasNoise(e.Prompt));
        Assert.Equal(0, run.OrdinaryWithNoise);
        Assert.DoesNotContain(run.HardNegatives.Values.SelectMany(x => x), e => SimulationRun.HasNoise(e.Prompt));
        // Tasks are 100-2000 characters, so campaign prompts are at least that long.
        Assert.All(run.Campaign, e => Assert.True(e.Prompt.Length >= 100));
    }

    [Fact]
    public void Level1_CampaignPromptsCarryHomoglyphsZeroWidthAndWhitespaceNoiseLegitimateOnesDoNot()
    {
        SimulationRun run = SimulationRun.Get(evasion: 1);
        // Per prompt of >= 100 characters, zero-width rate >= 0.005 and homoglyph rate >= 0.02 over the
        // dozens of eligible letters: P(no noise) < 0.995^100 * 0.98^30 ~ 0.33 for the very shortest and
        // below 0.02 at the typical 400 characters, so at least 85 % carry some.
        double noisy = run.Campaign.Count(e => SimulationRun.HasNoise(e.Prompt)) / (double)run.Campaign.Count;
        Assert.True(noisy >= 0.85, $"only {noisy:P1} of campaign prompts are noisy");
        Assert.Contains(run.Campaign, e => e.Prompt.Any(c => Array.IndexOf(EvasionNoise.ZeroWidth, c) >= 0));
        Assert.Contains(run.Campaign, e => e.Prompt.Any(c => c is >= '\u0400' and <= '\u04FF'));
        Assert.Contains(run.Campaign, e => e.Prompt.Contains('\t', StringComparison.Ordinal) || e.Prompt.Contains("  ", StringComparison.Ordinal));
        Assert.Equal(0, run.OrdinaryWithNoise);
        // Underneath the noise the canonical wrapper is intact (level 1 changes characters, not words).
        double intact = run.Campaign.Count(e => MatchesVariant(e.Prompt, run.Simulator, CampaignOf(run.Simulator, e.Account), 0, clean: true)) / (double)run.Campaign.Count;
        Assert.True(intact >= 0.99, $"{intact:P1}");
    }

    [Fact]
    public void Level2_OpenersSynonymsAndReorderingChangeTheWrapperWording()
    {
        SimulationRun run = SimulationRun.Get(evasion: 2);
        double opened = run.Campaign.Count(e => EvasionNoise.Openers.Any(o => SimulationRun.Clean(e.Prompt).StartsWith(SimulationRun.Squash(o), StringComparison.Ordinal))) / (double)run.Campaign.Count;
        // Opener probability is drawn per account in [0.2, 0.6].
        Assert.InRange(opened, 0.1, 0.7);
        double intact = run.Campaign.Count(e => MatchesVariant(e.Prompt, run.Simulator, CampaignOf(run.Simulator, e.Account), 0, clean: true)) / (double)run.Campaign.Count;
        Assert.True(intact < 0.5, $"{intact:P1} of wrappers are still verbatim");
        Assert.True(run.Campaign.Count(e => SimulationRun.HasNoise(e.Prompt)) >= 0.85 * run.Campaign.Count);
    }

    [Fact]
    public void Level3_ParaphrasesLegitimateMixingAndHumanTimingForPartOfTheAccounts()
    {
        SimulationRun run = SimulationRun.Get(evasion: 3, scale: 0.001);
        TrafficSimulator sim = run.Simulator;
        Assert.Contains(sim.CampaignAccounts, p => p.Process == ArrivalProcess.Sessions);
        Assert.Contains(sim.CampaignAccounts, p => p.Process != ArrivalProcess.Sessions);
        Assert.Contains(sim.CampaignAccounts, p => p.MixesLegitimate);
        Assert.Contains(sim.CampaignAccounts, p => !p.MixesLegitimate);
        // A prompt with no trace of any of its campaign's wrapper variants is a mixed-in legitimate one, or a wrapper
        // whose marker words synonyms happened to replace. Accounts that mix send 20 % legitimate prompts, so their
        // share of unmarked prompts exceeds that of non-mixing accounts by 0.2 x (1 - marker loss); with thousands
        // of prompts per side the standard error is below 0.01, so [0.12, 0.28] is a safe band.
        var planOf = new Dictionary<string, CampaignAccountPlan>(StringComparer.Ordinal);
        for (int i = 0; i < sim.CampaignAccounts.Length; i++)
        {
            planOf[sim.AccountName(sim.CampaignStart + i)] = sim.CampaignAccounts[i];
        }
        int[] unmarked = new int[2], total = new int[2];
        var sawVariant = new bool[3];
        foreach (SimulatedExchange e in run.Campaign)
        {
            string clean = SimulationRun.Clean(e.Prompt);
            bool any = false;
            foreach (int t in sim.Campaigns[CampaignOf(sim, e.Account)].Templates)
            {
                for (int v = 0; v < CampaignWrappers.Pool[t].Length; v++)
                {
                    string[] words = SimulationRun.Squash(CampaignWrappers.Pool[t][v].Replace(CampaignWrappers.TaskPlaceholder, " ", StringComparison.Ordinal)).Split(' ');
                    if (clean.Contains(string.Join(' ', words[^3..]), StringComparison.Ordinal) || clean.Contains(string.Join(' ', words[..3]), StringComparison.Ordinal))
                    {
                        any = true;
                        sawVariant[v] = true;
                    }
                }
            }
            int side = planOf[e.Account].MixesLegitimate ? 1 : 0;
            total[side]++;
            unmarked[side] += any ? 0 : 1;
        }
        Assert.True(sawVariant[1] && sawVariant[2], "paraphrased wrappers appear");
        Assert.True(total[0] > 1000 && total[1] > 1000, $"{total[0]} / {total[1]} prompts");
        double excess = (unmarked[1] / (double)total[1]) - (unmarked[0] / (double)total[0]);
        Assert.InRange(excess, 0.12, 0.28);
    }
}
