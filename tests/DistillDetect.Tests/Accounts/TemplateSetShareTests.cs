using DistillDetect.Accounts;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace DistillDetect.Tests.Accounts;

public sealed class TemplateSetShareTests
{
    private static readonly long T0 = new DateTime(2026, 4, 22, 0, 0, 0, DateTimeKind.Utc).Ticks;

    /// <summary>An account whose exchanges go to template ids drawn by <paramref name="pick"/>; returns the profile and the ids used.</summary>
    private static (AccountProfile Profile, List<long> Ids) Account(int seed, int exchanges, Func<Random, long> pick)
    {
        var rng = new Random(seed);
        var profile = new AccountProfile();
        var ids = new List<long>(exchanges);
        for (int i = 0; i < exchanges; i++)
        {
            long id = pick(rng);
            ids.Add(id);
            profile.Observe(id, T0 + (i * TimeSpan.TicksPerMinute));
        }
        return (profile, ids);
    }

    [Property(MaxTest = 40)]
    public bool Estimate_AllUsedTemplates_IsOne_DisjointSet_IsZero(int seed, PositiveInt count)
    {
        int exchanges = 1 + (count.Get % 600);
        var (profile, ids) = Account(seed, exchanges, r => r.Next(1, 200));
        var all = new TemplateSetShare(AccountProfileOptions.Default, ids.Distinct().ToList(), exchanges);
        var disjoint = new TemplateSetShare(AccountProfileOptions.Default, Enumerable.Range(1_000, 200).Select(i => (long)i).ToList(), exchanges);
        return all.Estimate(profile) == 1.0 && disjoint.Estimate(profile) == 0.0;
    }

    [Property(MaxTest = 40)]
    public bool Estimate_IsMonotone_InTheSet_AndInTheOccurrencesExpanded(int seed, PositiveInt count)
    {
        int exchanges = 1 + (count.Get % 800);
        var (profile, _) = Account(seed, exchanges, r => r.Next(1, 60));
        var small = Enumerable.Range(1, 10).Select(i => (long)i).ToList();
        var large = Enumerable.Range(1, 30).Select(i => (long)i).ToList();
        double s = new TemplateSetShare(AccountProfileOptions.Default, small, exchanges).Estimate(profile);
        double l = new TemplateSetShare(AccountProfileOptions.Default, large, exchanges).Estimate(profile);
        // Expanding fewer occurrence numbers can only miss hits: the estimate errs low, never high.
        double truncated = new TemplateSetShare(AccountProfileOptions.Default, large, Math.Max(1, exchanges / 10)).Estimate(profile);
        return s >= 0 && s <= l && l <= 1 && truncated <= l;
    }

    [Fact]
    public void Estimate_AccountSpreadOverHundredsOfTemplates_IsUnbiased_WithinTheBinomialError()
    {
        // 60 % of each account's exchanges on 40 rare templates (1.5 % each), 40 % on 400 others: the most-used
        // counters cannot tell (six counters, hundreds of templates), the usage bins can. Each estimate samples about
        // 64 exchanges (the occupied bins of 1,000): sd sqrt(0.6 * 0.4 / 64) = 0.061, so every one of 200 accounts lies
        // within 4.5 sd (a miss has probability 1.4e-3 over all 200), and their mean within 4 sd / sqrt(200). Each
        // account has template ids of its own: accounts sending the same elements (template, occurrence) would share
        // their bins' minima, and their estimates would not be independent samples.
        const double p = 0.6;
        double sd = Math.Sqrt(p * (1 - p) / 64);
        var estimates = new List<double>();
        for (int seed = 0; seed < 200; seed++)
        {
            long based = (seed + 1) * 100_000L;
            var set = Enumerable.Range(1, 40).Select(i => based + i).ToList();
            var share = new TemplateSetShare(AccountProfileOptions.Default, set, 1_000);
            var (profile, ids) = Account(seed, 1_000, r => based + (r.NextDouble() < p ? r.Next(1, 41) : r.Next(1_000, 1_400)));
            double truth = ids.Count(id => id - based <= 40) / 1_000.0;
            double estimate = share.Estimate(profile);
            Assert.InRange(estimate, truth - (4.5 * sd), truth + (4.5 * sd));
            estimates.Add(estimate);
        }
        Assert.InRange(estimates.Average(), p - (4 * sd / Math.Sqrt(200)), p + (4 * sd / Math.Sqrt(200)));
    }

    [Fact]
    public void Estimate_ExchangesBeforeTheSetWasKnown_Count()
    {
        // The share is read from the profile, not counted as exchanges arrive: building the set afterwards sees them all.
        var (profile, ids) = Account(7, 300, r => r.Next(1, 4));
        var share = new TemplateSetShare(AccountProfileOptions.Default, [1, 2], 300);
        double truth = ids.Count(id => id <= 2) / 300.0;
        Assert.InRange(share.Estimate(profile), truth - (4.5 * Math.Sqrt(truth * (1 - truth) / 64)), truth + (4.5 * Math.Sqrt(truth * (1 - truth) / 64)));
        Assert.Equal(0.0, share.Estimate(new AccountProfile()));
    }

    [Fact]
    public void Constructor_And_Estimate_RejectBadArguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TemplateSetShare(AccountProfileOptions.Default, [1], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TemplateSetShare(AccountProfileOptions.Default, [1], 65_537));
        Assert.Throws<ArgumentNullException>(() => new TemplateSetShare(AccountProfileOptions.Default, null!, 1));
        var share = new TemplateSetShare(AccountProfileOptions.Default, [1], 10);
        Assert.Throws<ArgumentException>(() => share.Estimate(new AccountProfile(new AccountProfileOptions { Seed = 42 })));
    }
}
