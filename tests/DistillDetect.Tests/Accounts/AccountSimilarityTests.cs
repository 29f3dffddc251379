using DistillDetect.Accounts;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace DistillDetect.Tests.Accounts;

public sealed class AccountSimilarityTests(ITestOutputHelper output)
{
    private static readonly long T0 = new DateTime(2026, 1, 5, 0, 0, 0, DateTimeKind.Utc).Ticks;

    // A random account: its own template range, rate, start and length, all from the seed.
    private static AccountProfile Random(int seed)
    {
        var rng = new Random(seed);
        var p = new AccountProfile();
        int count = rng.Next(0, 300);
        int templateBase = rng.Next(0, 50);
        int templateSpan = rng.Next(1, 40);
        long t = T0 + rng.NextInt64(TimeSpan.TicksPerDay * 20);
        double gap = 10 + rng.NextDouble() * 3000;
        for (int i = 0; i < count; i++)
        {
            t += (long)(gap * rng.NextDouble() * 2 * TimeSpan.TicksPerSecond);
            p.Observe(templateBase + rng.Next(templateSpan), t);
        }
        return p;
    }

    [Property(MaxTest = 200)]
    public bool EveryMeasure_RandomPairs_SymmetricAndInUnitInterval(int seedA, int seedB)
    {
        AccountProfile a = Random(seedA), b = Random(seedB);
        SimilarityExplanation ab = AccountSimilarity.Explain(a, b), ba = AccountSimilarity.Explain(b, a);
        double[] x = [ab.TemplateJaccard, ab.TemplateContainment, ab.UsageJaccard, ab.UsageContainment, ab.TemplateOverlap, ab.Synchronization, ab.ActivityProfile, ab.RateStatistics, ab.Lifetime, ab.Score];
        double[] y = [ba.TemplateJaccard, ba.TemplateContainment, ba.UsageJaccard, ba.UsageContainment, ba.TemplateOverlap, ba.Synchronization, ba.ActivityProfile, ba.RateStatistics, ba.Lifetime, ba.Score];
        for (int i = 0; i < x.Length; i++)
        {
            if (!(x[i] >= 0 && x[i] <= 1) || Math.Abs(x[i] - y[i]) > 1e-12) return false;
        }
        return ab.Score == AccountSimilarity.Score(a, b);
    }

    [Property(MaxTest = 100)]
    public bool Score_WithItself_IsOne(int seed)
    {
        AccountProfile a = Random(seed);
        double s = AccountSimilarity.Score(a, a);
        return a.Volume < 3 ? s >= 0 && s <= 1 : Math.Abs(s - 1.0) < 1e-12;
    }

    [Property(MaxTest = 100)]
    public bool Score_CustomWeights_StaysInUnitIntervalAndSymmetric(int seedA, int seedB, NonNegativeInt w1, NonNegativeInt w2, PositiveInt w3)
    {
        var weights = new SimilarityWeights { TemplateOverlap = w1.Get % 10, Synchronization = w2.Get % 10, ActivityProfile = w3.Get % 10 + 1, RateStatistics = 0, Lifetime = 0.5 };
        AccountProfile a = Random(seedA), b = Random(seedB);
        double s = AccountSimilarity.Score(a, b, weights);
        return s >= 0 && s <= 1 && s == AccountSimilarity.Score(b, a, weights);
    }

    [Fact]
    public void TemplateContainment_SmallAccountInsideCampaignTemplates_ScoresHigh()
    {
        var big = new AccountProfile();
        var small = new AccountProfile();
        for (int i = 0; i < 500; i++) big.Observe(100 + i % 5, T0 + i * TimeSpan.TicksPerMinute);
        for (int i = 0; i < 40; i++) small.Observe(100 + i % 2, T0 + i * TimeSpan.TicksPerMinute * 7);
        SimilarityExplanation e = AccountSimilarity.Explain(small, big);
        output.WriteLine(e.ToString());
        // 2 of 5 templates: J = 0.4 (sd sqrt(0.24/32) = 0.09), containment 1 up to the distinct-count error.
        Assert.InRange(e.TemplateJaccard, 0.4 - 0.27, 0.4 + 0.27);
        Assert.True(e.TemplateContainment >= 0.8, $"containment {e.TemplateContainment}");
        Assert.True(e.TemplateOverlap >= 0.45, $"overlap {e.TemplateOverlap}");
    }

    [Fact]
    public void UsageJaccard_SharedMainTemplatesUnderLongTail_HighWhileSetJaccardLow()
    {
        // Two accounts each send 600 exchanges: 70 % on the same 4 templates, 30 % one-off prompts.
        var rng = new Random(5);
        AccountProfile Make(int who)
        {
            var p = new AccountProfile();
            for (int i = 0; i < 600; i++)
            {
                long template = rng.NextDouble() < 0.7 ? rng.Next(4) : 1_000_000L * (who + 1) + i;
                p.Observe(template, T0 + i * TimeSpan.TicksPerMinute);
            }
            return p;
        }
        AccountProfile a = Make(0), b = Make(1);
        SimilarityExplanation e = AccountSimilarity.Explain(a, b);
        output.WriteLine(e.ToString());
        // Set Jaccard = 4 / (4 + 2 x 180) = 0.011; usage Jaccard = 420 x (share of min over max, about 0.93) / (600 + 600 - that) = 0.48.
        Assert.True(e.TemplateJaccard < 0.1, $"set jaccard {e.TemplateJaccard}");
        Assert.InRange(e.UsageJaccard, 0.48 - 0.27, 0.48 + 0.27);
        Assert.True(e.TemplateOverlap > 0.4);
    }

    [Fact]
    public void Synchronization_SameTemplatesSameHoursVersusDifferentDays_HighVersusZero()
    {
        var a = new AccountProfile();
        var b = new AccountProfile();
        var c = new AccountProfile();
        for (int i = 0; i < 200; i++)
        {
            long hour = T0 + i * TimeSpan.TicksPerHour;
            a.Observe(i % 3, hour + 10 * TimeSpan.TicksPerSecond);
            b.Observe(i % 3, hour + 20 * TimeSpan.TicksPerMinute);
            c.Observe(i % 3, hour + 30 * TimeSpan.TicksPerDay);
        }
        Assert.True(AccountSimilarity.Synchronization(a, b) > 0.9);
        Assert.Equal(0.0, AccountSimilarity.Synchronization(a, c));
        Assert.True(AccountSimilarity.TemplateJaccard(a, c) > 0.9);
        Assert.Equal(0.0, AccountSimilarity.Lifetime(a, c));
        Assert.True(AccountSimilarity.Lifetime(a, b) > 0.95);
    }

    [Fact]
    public void ActivityProfile_DayWorkerVersusNightWorker_Disjoint()
    {
        var day = new AccountProfile();
        var night = new AccountProfile();
        for (int d = 0; d < 10; d++)
        {
            for (int h = 0; h < 8; h++)
            {
                day.Observe(1, T0 + d * TimeSpan.TicksPerDay + (9 + h) * TimeSpan.TicksPerHour);
                night.Observe(1, T0 + d * TimeSpan.TicksPerDay + (21 + h % 3) * TimeSpan.TicksPerHour);
            }
        }
        Assert.Equal(0.0, AccountSimilarity.ActivityProfile(day, night), 1e-12);
        Assert.Equal(1.0, AccountSimilarity.ActivityProfile(day, day), 1e-12);
    }

    [Fact]
    public void RateStatistics_FewerThanThreeExchanges_Zero()
    {
        var a = new AccountProfile();
        a.Observe(1, T0);
        a.Observe(1, T0 + TimeSpan.TicksPerMinute);
        Assert.Equal(0.0, AccountSimilarity.RateStatistics(a, a));
    }

    [Fact]
    public void Weights_Invalid_Throw()
    {
        var a = new AccountProfile();
        Assert.Throws<ArgumentOutOfRangeException>(() => AccountSimilarity.Score(a, a, new SimilarityWeights { Lifetime = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => AccountSimilarity.Score(a, a, new SimilarityWeights { TemplateOverlap = 0, Synchronization = 0, ActivityProfile = 0, RateStatistics = 0, Lifetime = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => AccountSimilarity.Score(a, a, new SimilarityWeights { Synchronization = double.NaN }));
    }
}
