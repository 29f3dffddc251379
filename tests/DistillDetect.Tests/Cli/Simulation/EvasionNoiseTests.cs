using System.Text;
using DistillDetect.Cli.Simulation;

namespace DistillDetect.Tests.Cli.Simulation;

public class EvasionNoiseTests
{
    private static int Count(string text, string part)
    {
        int n = 0;
        for (int at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + 1, StringComparison.Ordinal))
        {
            n++;
        }
        return n;
    }

    [Fact]
    public void Pool_EveryVariantHasOnePlaceholderAndAllWordingsDiffer()
    {
        Assert.True(CampaignWrappers.Pool.Length >= 24);
        Assert.All(CampaignWrappers.Pool, t => Assert.True(t.Length >= 3));
        Assert.All(CampaignWrappers.Pool.SelectMany(t => t), v => Assert.Equal(1, Count(v, CampaignWrappers.TaskPlaceholder)));
        Assert.Equal(CampaignWrappers.Pool.Sum(t => t.Length), CampaignWrappers.Pool.SelectMany(t => t).Distinct(StringComparer.Ordinal).Count());
        Assert.All(CampaignWrappers.Pool.SelectMany(t => t), v => Assert.All(v, c => Assert.True(c < 128)));
    }

    [Fact]
    public void SynonymsAndReorder_KeepExactlyOnePlaceholderAndMatchingTags()
    {
        var rng = new SplitMix64(4);
        int changed = 0, total = 0;
        foreach (string variant in CampaignWrappers.Pool.SelectMany(t => t))
        {
            for (int k = 0; k < 20; k++)
            {
                string s = EvasionNoise.SubstituteSynonyms(variant, 0.5, ref rng);
                string r = EvasionNoise.Reorder(s, ref rng);
                Assert.Equal(1, Count(r, CampaignWrappers.TaskPlaceholder));
                Assert.Equal(Count(variant, "<task>"), Count(r, "<task>"));
                Assert.Equal(Count(variant, "</task>"), Count(r, "</task>"));
                changed += r != variant ? 1 : 0;
                total++;
            }
        }
        Assert.True(changed > 0.9 * total, $"{changed} of {total} changed");
        Assert.Equal("Think", EvasionNoise.SubstituteSynonyms("Think", 0.0, ref rng));
    }

    [Fact]
    public void CharacterNoise_ZeroRatesIdentity_PositiveRatesInsertNoise()
    {
        var rng = new SplitMix64(2);
        const string text = "Explain your reasoning step by step, then give the complete code for this task please.";
        var sb = new StringBuilder();
        EvasionNoise.AppendCharacterNoise(text, 0, 0, 0, ref rng, sb);
        Assert.Equal(text, sb.ToString());
        sb.Clear();
        EvasionNoise.AppendCharacterNoise(text, 0.5, 0.2, 0.5, ref rng, sb);
        string noisy = sb.ToString();
        Assert.NotEqual(text, noisy);
        Assert.True(SimulationRun.HasNoise(noisy));
        Assert.Equal(SimulationRun.Squash(text), SimulationRun.Clean(noisy));
    }
}
