using System.Diagnostics;
using DistillDetect.Accounts;

namespace DistillDetect.Tests.Accounts;

public sealed class CohortScaleTests(ITestOutputHelper output)
{
    /// <summary>
    /// The scaling curve of cohort finding at 10k, 100k and 1M synthetic profiles. Minutes of work and
    /// several GB at 1M, so it runs only when DISTILLDETECT_SCALE=1 (the README gives the figures).
    /// </summary>
    [Fact]
    public void Find_10kTo1MProfiles_NearLinear()
    {
        if (Environment.GetEnvironmentVariable("DISTILLDETECT_SCALE") != "1") Assert.Skip("Set DISTILLDETECT_SCALE=1 to measure cohort finding at 10k, 100k and 1M profiles.");
        foreach (int n in new[] { 10_000, 100_000, 1_000_000 })
        {
            List<AccountProfile> profiles = SyntheticProfiles.Build(n, 7);
            GC.Collect();
            long memoryBefore = GC.GetTotalMemory(true);
            var watch = Stopwatch.StartNew();
            CandidatePair[] pairs = new CandidatePairFinder().FindPairs(profiles);
            double pairSeconds = watch.Elapsed.TotalSeconds;
            watch.Restart();
            IReadOnlyList<Cohort> cohorts = new CohortFinder().Find(profiles);
            double findSeconds = watch.Elapsed.TotalSeconds;
            watch.Restart();
            IReadOnlyList<Cohort> peeled = new CohortFinder(new CohortFinderOptions { Clustering = CohortClustering.DensePeeling }).Find(profiles);
            double peelSeconds = watch.Elapsed.TotalSeconds;
            output.WriteLine($"{n,9:N0} profiles: candidate pairs {pairs.Length:N0} in {pairSeconds:F2} s; find (components) {findSeconds:F2} s, {cohorts.Count(c => c.IsFlagged)} flagged of {cohorts.Count}; find (peeling) {peelSeconds:F2} s; profiles {memoryBefore / n} B each on the heap");
            Console.WriteLine($"{n} {pairs.Length} {pairSeconds:F2} {findSeconds:F2} {peelSeconds:F2}");
        }
    }
}
