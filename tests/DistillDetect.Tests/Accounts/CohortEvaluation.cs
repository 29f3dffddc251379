using DistillDetect.Accounts;

namespace DistillDetect.Tests.Accounts;

/// <summary>Account-level precision and recall of flagged cohorts against a synthetic world's truth.</summary>
internal readonly record struct CohortEvaluation(int TruePositives, int FalsePositives, int FalseNegatives, int Cohorts, int Flagged, double Seconds)
{
    public double Precision => TruePositives + FalsePositives == 0 ? 1.0 : (double)TruePositives / (TruePositives + FalsePositives);
    public double Recall => TruePositives + FalseNegatives == 0 ? 1.0 : (double)TruePositives / (TruePositives + FalseNegatives);
    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);

    public static CohortEvaluation Run(SyntheticWorld world, CohortFinderOptions options, out IReadOnlyList<Cohort> cohorts, out bool[] flagged)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        cohorts = new CohortFinder(options).Find(world.Profiles);
        double seconds = watch.Elapsed.TotalSeconds;
        flagged = new bool[world.Profiles.Count];
        int flaggedCohorts = 0;
        foreach (Cohort c in cohorts)
        {
            if (!c.IsFlagged) continue;
            flaggedCohorts++;
            foreach (int m in c.Members) flagged[m] = true;
        }
        int tp = 0, fp = 0, fn = 0;
        for (int i = 0; i < flagged.Length; i++)
        {
            bool truth = world.IsCampaign(i);
            if (flagged[i] && truth) tp++;
            else if (flagged[i]) fp++;
            else if (truth) fn++;
        }
        return new CohortEvaluation(tp, fp, fn, cohorts.Count, flaggedCohorts, seconds);
    }
}
