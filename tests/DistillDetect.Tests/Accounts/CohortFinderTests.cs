using DistillDetect.Accounts;

namespace DistillDetect.Tests.Accounts;

/// <summary>
/// Hard negatives that must stay unflagged, each with a campaign beside it as a positive control (so a
/// finder that flags nothing fails), and the held-out evaluation over evasion levels.
/// </summary>
public sealed class CohortFinderTests(ITestOutputHelper output)
{
    private static void Report(ITestOutputHelper output, SyntheticWorld world, IReadOnlyList<Cohort> cohorts)
    {
        foreach (Cohort c in cohorts.Take(6))
        {
            var kinds = c.Members.GroupBy(m => world.Kinds[m]).Select(g => $"{g.Key} {g.Count()}");
            output.WriteLine($"cohort {c.Size} ({string.Join(", ", kinds)}): score {c.Score:F2}, cohesion {c.Cohesion:F2}, fleet signals {c.ServiceFleetSignals}, shared templates {c.SharedTemplateCount}, lifetime share {c.Timing.LifetimeShare:F2}, per day {c.Timing.MedianExchangesPerDay:F0}, flagged {c.IsFlagged}");
        }
    }

    private static (int Flagged, int Total) Count(SyntheticWorld world, bool[] flagged, AccountKind kind)
    {
        int f = 0, t = 0;
        for (int i = 0; i < flagged.Length; i++)
        {
            if (world.Kinds[i] != kind) continue;
            t++;
            f += flagged[i] ? 1 : 0;
        }
        return (f, t);
    }

    [Fact]
    public void Find_PopularPromptPastedByThousands_PastersUnflagged()
    {
        SharedData.RequireDirectory();
        var world = SyntheticWorld.Build(new WorldSpec { LegitUsers = 300, PopularPasters = 3000, HeavyCoders = 0, ServiceKeys = 0, Lookalikes = 0, Campaigns = 1, AccountsPerCampaign = 60, Evasion = 1 }, seed: 21);
        var e = CohortEvaluation.Run(world, CohortFinderOptions.Default, out var cohorts, out bool[] flagged);
        Report(output, world, cohorts);
        Assert.Equal(0, Count(world, flagged, AccountKind.PopularPaster).Flagged);
        Assert.True(e.Recall >= 0.9, $"positive control: campaign recall {e.Recall}");
    }

    [Fact]
    public void Find_HeavyIndividualCoders_Unflagged()
    {
        SharedData.RequireDirectory();
        var world = SyntheticWorld.Build(new WorldSpec { LegitUsers = 300, PopularPasters = 0, HeavyCoders = 80, ServiceKeys = 0, Lookalikes = 0, Campaigns = 1, AccountsPerCampaign = 60, Evasion = 1 }, seed: 22);
        var e = CohortEvaluation.Run(world, CohortFinderOptions.Default, out var cohorts, out bool[] flagged);
        Report(output, world, cohorts);
        Assert.Equal(0, Count(world, flagged, AccountKind.HeavyCoder).Flagged);
        Assert.True(e.Recall >= 0.9, $"positive control: campaign recall {e.Recall}");
    }

    [Fact]
    public void Find_CompanyServiceKeysOnOneBatchTemplate_CohortFoundButNotFlagged()
    {
        SharedData.RequireDirectory();
        var world = SyntheticWorld.Build(new WorldSpec { LegitUsers = 300, PopularPasters = 0, HeavyCoders = 0, ServiceKeys = 40, Lookalikes = 0, Campaigns = 1, AccountsPerCampaign = 60, Evasion = 1 }, seed: 23);
        var e = CohortEvaluation.Run(world, CohortFinderOptions.Default, out var cohorts, out bool[] flagged);
        Report(output, world, cohorts);
        Assert.Equal(0, Count(world, flagged, AccountKind.ServiceKey).Flagged);
        // The keys do behave alike: the finder sees the fleet and explains why it is not a campaign.
        Cohort fleet = Assert.Single(cohorts, c => c.Members.All(m => world.Kinds[m] == AccountKind.ServiceKey));
        Assert.True(fleet.LooksLikeServiceFleet);
        Assert.Equal(0.0, fleet.Score);
        Assert.True(e.Recall >= 0.9, $"positive control: campaign recall {e.Recall}");
    }

    [Fact]
    public void Find_CampaignCohort_HasEvidence()
    {
        SharedData.RequireDirectory();
        var world = SyntheticWorld.Build(new WorldSpec { LegitUsers = 200, PopularPasters = 0, HeavyCoders = 0, ServiceKeys = 0, Lookalikes = 0, Campaigns = 1, AccountsPerCampaign = 80, Evasion = 0 }, seed: 24);
        Cohort c = new CohortFinder().Find(world.Profiles).First(c => c.IsFlagged);
        output.WriteLine(string.Join("\n", c.SharedTemplates.Select(t => t.ToString())));
        output.WriteLine(string.Join("\n", c.SynchronizedWindows.Select(t => t.ToString())));
        output.WriteLine(c.Timing.ToString());
        Assert.InRange(c.SharedTemplates.Count, 3, 5);
        Assert.All(c.SharedTemplates, t => Assert.True(t.Accounts >= c.Size / 2));
        Assert.NotEmpty(c.SynchronizedWindows);
        Assert.All(c.SynchronizedWindows, w => Assert.InRange(w.StartUtc, c.Timing.FirstSeenUtc.AddHours(-1), c.Timing.LastSeenUtc));
        Assert.True(c.Timing.LifetimeShare < 0.5);
        Assert.False(c.LooksLikeServiceFleet);
    }

    [Theory]
    [InlineData(0, 0.95, 0.95)]
    [InlineData(1, 0.95, 0.9)]
    [InlineData(2, 0.95, 0.7)]
    [InlineData(3, 0.95, 0.0)]
    public void Find_HeldOutWorld_PrecisionAndRecallByEvasionLevel(int evasion, double minPrecision, double minRecall)
    {
        SharedData.RequireDirectory();
        var world = SyntheticWorld.Build(new WorldSpec { Evasion = evasion, Split = DataSplit.HeldOut }, seed: 101 + evasion);
        CohortEvaluation chosen = default;
        foreach (CohortClustering method in new[] { CohortClustering.ConnectedComponents, CohortClustering.DensePeeling })
        {
            var e = CohortEvaluation.Run(world, new CohortFinderOptions { Clustering = method }, out _, out bool[] flagged);
            output.WriteLine($"held-out, evasion {evasion}, {method}: precision {e.Precision:F3}, recall {e.Recall:F3}, F1 {e.F1:F3}, {e.Flagged} cohorts flagged ({world.Profiles.Count} accounts, {world.Exchanges} exchanges, {e.Seconds:F2} s)");
            foreach (AccountKind kind in Enum.GetValues<AccountKind>())
            {
                var (f, t) = Count(world, flagged, kind);
                output.WriteLine($"   {kind}: {f}/{t} flagged");
            }
            if (method == CohortFinderOptions.Default.Clustering) chosen = e;
        }
        Assert.True(chosen.Precision >= minPrecision, $"precision {chosen.Precision}");
        Assert.True(chosen.Recall >= minRecall, $"recall {chosen.Recall}");
    }
}
