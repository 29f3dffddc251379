using DistillDetect.Accounts;

namespace DistillDetect.Tests.Accounts;

public sealed class CandidatePairFinderTests(ITestOutputHelper output)
{
    private static readonly long T0 = new DateTime(2026, 1, 5, 0, 0, 0, DateTimeKind.Utc).Ticks;

    [Fact]
    public void FindPairs_OneTemplateUsedByTwentyThousandAccounts_PairsBoundedNotQuadratic()
    {
        // Every account sends the same popular prompt 5 to 8 times at its own times: all usage signatures
        // collide in most bands, so uncapped banding would give 2 x 10^8 pairs.
        var rng = new Random(1);
        var profiles = new List<AccountProfile>();
        for (int i = 0; i < 20_000; i++)
        {
            var p = new AccountProfile();
            long t = T0 + rng.NextInt64(TimeSpan.TicksPerDay * 40);
            int n = rng.Next(5, 9);
            for (int k = 0; k < n; k++) p.Observe(42, t + k * TimeSpan.TicksPerDay * 2 + rng.NextInt64(TimeSpan.TicksPerHour));
            profiles.Add(p);
        }
        var finder = new CandidatePairFinder();
        CandidatePair[] pairs = finder.FindPairs(profiles);
        var usage = finder.TemplateBanding(AccountProfileOptions.Default);
        var sync = finder.SynchronizationBanding(AccountProfileOptions.Default);
        long bound = (long)profiles.Count * (usage.Bands + sync.Bands) * Math.Max((finder.Options.MaxBucketSize - 1) / 2, finder.Options.NeighbourWindow);
        output.WriteLine($"{pairs.Length:N0} pairs for {profiles.Count:N0} accounts (bound {bound:N0}, all pairs {profiles.Count * (profiles.Count - 1L) / 2:N0}); bands usage {usage}, sync {sync}");
        Assert.True(pairs.Length <= bound);
        Assert.True(pairs.Length < profiles.Count * (profiles.Count - 1L) / 2 / 100);
        for (int i = 1; i < pairs.Length; i++) Assert.True(pairs[i - 1].First < pairs[i].First || (pairs[i - 1].First == pairs[i].First && pairs[i - 1].Second < pairs[i].Second));
        Assert.All(pairs.Take(1000), p => Assert.True(p.First < p.Second));
    }

    [Fact]
    public void FindPairs_PlantedSimilarPairsAmongNoise_FindsThem()
    {
        // 300 planted pairs share their main templates (usage Jaccard about 0.7, above the 0.4 threshold at
        // which the banding guarantees 90 % recall, so recall is far higher); 3,000 noise accounts do not.
        var rng = new Random(2);
        var profiles = new List<AccountProfile>();
        for (int i = 0; i < 300; i++)
        {
            long baseTemplate = 1_000_000L * (i + 1);
            for (int side = 0; side < 2; side++)
            {
                var p = new AccountProfile();
                long t = T0 + rng.NextInt64(TimeSpan.TicksPerDay * 40);
                for (int k = 0; k < 200; k++)
                {
                    long template = rng.NextDouble() < 0.85 ? baseTemplate + rng.Next(5) : rng.NextInt64();
                    p.Observe(template, t + k * TimeSpan.TicksPerMinute * 13);
                }
                profiles.Add(p);
            }
        }
        for (int i = 0; i < 3000; i++)
        {
            var p = new AccountProfile();
            long t = T0 + rng.NextInt64(TimeSpan.TicksPerDay * 40);
            for (int k = 0; k < 50; k++) p.Observe(rng.NextInt64(), t + k * TimeSpan.TicksPerMinute * 17);
            profiles.Add(p);
        }
        CandidatePair[] pairs = new CandidatePairFinder().FindPairs(profiles);
        var set = new HashSet<CandidatePair>(pairs);
        int found = 0;
        for (int i = 0; i < 300; i++) found += set.Contains(new CandidatePair(2 * i, 2 * i + 1)) ? 1 : 0;
        int noise = pairs.Count(p => p.First >= 600 || p.Second >= 600);
        output.WriteLine($"found {found}/300 planted pairs; {noise} pairs involve noise accounts; {pairs.Length} pairs in all");
        Assert.True(found >= 297);
        Assert.True(noise < 100);
    }

    [Fact]
    public void FindPairs_BelowMinimumVolumeOrEmpty_NoPairs()
    {
        var a = new AccountProfile();
        var b = new AccountProfile();
        a.Observe(1, T0);
        b.Observe(1, T0);
        Assert.Empty(new CandidatePairFinder().FindPairs([a, b, new AccountProfile()]));
        Assert.Empty(new CandidatePairFinder().FindPairs([]));
    }
}
