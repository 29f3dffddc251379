using DistillDetect.Detection;
using DistillDetect.Fingerprints;

namespace DistillDetect.Tests.Detection;

public sealed class DistillationDetectorStateTests
{
    [Fact]
    public void ToBytes_FromBytes_RoundTripIsExact()
    {
        DistillationDetector detector = DetectionWorld.Default.Detector;
        byte[] bytes = detector.ToBytes();
        DistillationDetector loaded = DistillationDetector.FromBytes(bytes);
        Assert.Equal(bytes, loaded.ToBytes());
        Assert.Equal(detector.ExchangeCount, loaded.ExchangeCount);
        Assert.Equal(detector.AccountCount, loaded.AccountCount);
        Assert.Equal(detector.CampaignTemplateCount, loaded.CampaignTemplateCount);
        Assert.Equal(detector.SumTrackedExchanges(), loaded.SumTrackedExchanges());
    }

    [Fact]
    public void FromBytes_AfterAnalyze_ReportsTheSameFlags()
    {
        DetectionWorld world = DetectionWorld.Default;
        DistillationDetector loaded = DistillationDetector.FromBytes(world.Detector.ToBytes());
        DetectionReport report = loaded.Analyze();
        Assert.Equal(world.Report.Accounts.Select(a => (a.Account, a.CampaignId)).Order(), report.Accounts.Select(a => (a.Account, a.CampaignId)).Order());
        Assert.Equal(world.Report.Campaigns.Select(c => c.Id), report.Campaigns.Select(c => c.Id));
    }

    [Fact]
    public void SaveLoad_Stream_RoundTrips()
    {
        var detector = new DistillationDetector();
        detector.Observe("a", SyntheticTraffic.Start, "hello there, how are you today my friend");
        using var stream = new MemoryStream();
        detector.Save(stream);
        stream.Position = 0;
        DistillationDetector loaded = DistillationDetector.Load(stream);
        Assert.Equal(detector.ToBytes(), loaded.ToBytes());
    }

    [Fact]
    public void FromBytes_CorruptOrTruncatedState_IsRejected()
    {
        byte[] bytes = SmallDetector().ToBytes();
        for (int i = 0; i < bytes.Length; i += Math.Max(1, bytes.Length / 97))
        {
            byte[] corrupt = (byte[])bytes.Clone();
            corrupt[i] ^= 0x20;
            Assert.Throws<InvalidDataException>(() => DistillationDetector.FromBytes(corrupt));
        }
        Assert.Throws<InvalidDataException>(() => DistillationDetector.FromBytes(bytes.AsSpan(0, bytes.Length - 1)));
        Assert.Throws<InvalidDataException>(() => DistillationDetector.FromBytes(bytes.AsSpan(0, 12)));
        Assert.Throws<InvalidDataException>(() => DistillationDetector.FromBytes([]));
        Assert.Throws<InvalidDataException>(() => DistillationDetector.FromBytes(new TemplateIndex().ToBytes()));
    }

    [Fact]
    public void FromBytes_OtherOptions_IsRejectedNamingTheParameter()
    {
        byte[] bytes = SmallDetector().ToBytes();
        var link = Assert.Throws<InvalidDataException>(() => DistillationDetector.FromBytes(bytes, new DetectionOptions { LinkAfterExchanges = 5 }));
        Assert.Contains(nameof(DetectionOptions.LinkAfterExchanges), link.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => DistillationDetector.FromBytes(bytes, new DetectionOptions { Templates = new TemplateIndexOptions { Seed = 42 } }));
        Assert.Throws<InvalidDataException>(() => DistillationDetector.FromBytes(bytes, new DetectionOptions { Profiles = new DistillDetect.Accounts.AccountProfileOptions { TemplateHashCount = 32 } }));
    }

    [Fact]
    public void Merge_TwoGatewaysSplitByRequest_EqualsOneDetectorOnCountsAndFlags()
    {
        DetectionWorld world = DetectionWorld.Default;
        // Two gateways each see every other request (so most accounts are seen by both), each analyzing on its own.
        var even = new List<SyntheticExchange>();
        var odd = new List<SyntheticExchange>();
        for (int i = 0; i < world.Traffic.Count; i++) (i % 2 == 0 ? even : odd).Add(world.Traffic[i]);
        DistillationDetector a = DetectionWorld.Replay(even);
        DistillationDetector b = DetectionWorld.Replay(odd);
        long before = b.ExchangeCount;
        a.Merge(b);
        Assert.Equal(before, b.ExchangeCount);
        Assert.Equal(world.Traffic.Count, a.ExchangeCount);
        Assert.Equal(world.Traffic.Count, a.SumTrackedExchanges());
        Assert.Equal(world.Population.Count, a.AccountCount);
        DetectionReport report = a.Analyze();
        int campaign = world.CountAccounts(Population.Campaign);
        Assert.True(world.CountFlagged(report, Population.Campaign) >= 0.95 * campaign, $"{world.CountFlagged(report, Population.Campaign)} of {campaign}");
        Assert.Equal(report.Accounts.Count, world.CountFlagged(report, Population.Campaign));
        // The merged state still round-trips.
        Assert.Equal(a.ToBytes(), DistillationDetector.FromBytes(a.ToBytes()).ToBytes());
    }

    [Fact]
    public void Merge_DisjointAccounts_KeepsBothSidesFlags()
    {
        DetectionWorld world = DetectionWorld.Default;
        DistillationDetector a = DistillationDetector.FromBytes(world.Detector.ToBytes());
        var b = new DistillationDetector();
        b.Observe("only-in-b", SyntheticTraffic.Start, "a prompt nobody else sends about gardening and tomatoes in spring");
        a.Merge(b);
        Assert.True(a.TryGetCampaign("only-in-b", out int none));
        Assert.Equal(0, none);
        Assert.Equal(world.Report.Accounts.Count, a.Analyze().Accounts.Count);

        var c = new DistillationDetector();
        c.Merge(DistillationDetector.FromBytes(world.Detector.ToBytes()));
        Assert.Equal(world.Report.Accounts.Count, c.Analyze().Accounts.Count);
        Assert.Equal(world.Detector.CampaignTemplateCount, c.CampaignTemplateCount);
    }

    [Fact]
    public void Merge_DifferentOptionsOrItself_Throws()
    {
        var a = new DistillationDetector();
        Assert.Throws<ArgumentException>(() => a.Merge(new DistillationDetector(new DetectionOptions { LinkAfterExchanges = 4 })));
        Assert.Throws<ArgumentException>(() => a.Merge(new DistillationDetector(new DetectionOptions { Templates = new TemplateIndexOptions { Seed = 1 } })));
        Assert.Throws<ArgumentException>(() => a.Merge(a));
        Assert.Throws<ArgumentNullException>(() => a.Merge(null!));
    }

    [Fact]
    public void Observe_BeyondMaxAccounts_EvictsLeastRecentlySeenUnflaggedAndKeepsFlagged()
    {
        var options = new DetectionOptions { MaxAccounts = 1024 };
        DetectionWorld world = DetectionWorld.Default;
        DistillationDetector detector = DetectionWorld.Replay(world.Traffic, options);
        DetectionReport report = detector.Analyze();
        Assert.NotEmpty(report.Accounts);
        DateTimeOffset t = world.Traffic[^1].Timestamp;
        for (int i = 0; i < 5000; i++)
        {
            t += TimeSpan.FromSeconds(1);
            detector.Observe($"flood-{i:D5}", t, "what is the capital of france and why is it there");
            Assert.True(detector.AccountCount <= options.MaxAccounts);
        }
        Assert.True(detector.EvictedCount > 0);
        foreach (AccountFinding flagged in report.Accounts)
        {
            Assert.True(detector.TryGetCampaign(flagged.Account, out int campaign), $"{flagged.Account} was evicted");
            Assert.Equal(flagged.CampaignId, campaign);
        }
        // The most recent accounts are kept; the oldest floods are gone.
        Assert.True(detector.TryGetCampaign("flood-04999", out _));
        Assert.False(detector.TryGetCampaign("flood-00000", out _));
        Assert.Equal(world.Traffic.Count + 5000, detector.ExchangeCount);
    }

    [Fact]
    public void Options_OutOfRange_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DistillationDetector(new DetectionOptions { MaxAccounts = 10 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DistillationDetector(new DetectionOptions { LinkAfterExchanges = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DistillationDetector(new DetectionOptions { AccountConcentration = 1.5 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DistillationDetector(new DetectionOptions { MinTemplatePurity = double.NaN }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DistillationDetector(new DetectionOptions { MachineBurstiness = -2 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DistillationDetector(new DetectionOptions { AbandonedAfter = TimeSpan.Zero }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DistillationDetector(new DetectionOptions { Templates = new TemplateIndexOptions { HashCount = 1 } }));
        Assert.Throws<ArgumentNullException>(() => new DistillationDetector(new DetectionOptions { Cohorts = null! }));
    }

    [Fact]
    public void Analyze_UsesTheTimeProviderForTheReportStamp()
    {
        var clock = new FixedClock(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var detector = new DistillationDetector(timeProvider: clock);
        RequestVerdict v = detector.Observe("a".AsSpan(), "hello world, what a nice day for a walk".AsSpan());
        Assert.True(v.TemplateId > 0);
        DetectionReport report = detector.Analyze();
        Assert.Equal(clock.Now, report.GeneratedAt);
        Assert.Equal(1, report.Exchanges);
        Assert.Equal(1, report.TrackedAccounts);
        Assert.Empty(report.Campaigns);
    }

    private static DistillationDetector SmallDetector()
    {
        var detector = new DistillationDetector();
        var traffic = new SyntheticTraffic(3);
        foreach (SyntheticExchange e in traffic.Generate(new SyntheticTraffic.Spec { CampaignAccounts = 10, HeavyCoders = 1, ServiceKeys = 2, PopularPasters = 5, Ordinary = 5, Days = 3, CampaignExchangesPerAccount = 20, HeavyCoderExchanges = 30, ServiceKeyExchanges = 20 }, 4))
        {
            detector.Observe(e.Account, e.Timestamp, e.Prompt);
        }
        detector.Analyze();
        return detector;
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
