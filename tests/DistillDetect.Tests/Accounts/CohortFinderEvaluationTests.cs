using DistillDetect.Accounts;

namespace DistillDetect.Tests.Accounts;

public sealed class CohortFinderEvaluationTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Find_DevelopmentWorld_PrintsPrecisionRecall(int evasion)
    {
        SharedData.RequireDirectory();
        var world = SyntheticWorld.Build(new WorldSpec { Evasion = evasion, Split = DataSplit.Development }, seed: 11 + evasion);
        foreach (CohortClustering method in new[] { CohortClustering.DensePeeling, CohortClustering.ConnectedComponents })
        {
            var e = CohortEvaluation.Run(world, new CohortFinderOptions { Clustering = method }, out var cohorts, out bool[] flagged);
            output.WriteLine($"evasion {evasion} {method}: P {e.Precision:F3} R {e.Recall:F3} F1 {e.F1:F3} cohorts {e.Cohorts} flagged {e.Flagged} ({e.Seconds:F2} s, {world.Profiles.Count} accounts, {world.Exchanges} exchanges)");
            var byKind = new Dictionary<AccountKind, (int Flagged, int Total)>();
            for (int i = 0; i < flagged.Length; i++)
            {
                byKind.TryGetValue(world.Kinds[i], out var t);
                byKind[world.Kinds[i]] = (t.Flagged + (flagged[i] ? 1 : 0), t.Total + 1);
            }
            foreach (var (kind, t) in byKind) output.WriteLine($"   {kind}: {t.Flagged}/{t.Total} flagged");
            foreach (Cohort c in cohorts.Take(8))
            {
                int campaign = c.Members.Count(world.IsCampaign);
                output.WriteLine($"   cohort size {c.Size} campaign {campaign} score {c.Score:F2} cohesion {c.Cohesion:F2} density {c.Density:F1} fleet {c.ServiceFleetSignals} shared {c.SharedTemplateCount} share {c.Timing.LifetimeShare:F2} perday {c.Timing.MedianExchangesPerDay:F0}");
            }
        }
    }
}
