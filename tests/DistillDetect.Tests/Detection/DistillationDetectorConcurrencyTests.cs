using DistillDetect.Detection;

namespace DistillDetect.Tests.Detection;

public sealed class DistillationDetectorConcurrencyTests
{
    [Fact]
    public async Task Observe_ManyThreadsWhileAnalyzeRuns_LosesNoExchange()
    {
        DetectionWorld world = DetectionWorld.Default;
        List<SyntheticExchange> traffic = world.Traffic;
        var detector = new DistillationDetector();
        const int Threads = 4;
        int next = -1;
        int analyses = 0;
        using var done = new ManualResetEventSlim();
        var analyzer = Task.Run(() =>
        {
            while (!done.IsSet)
            {
                detector.Analyze();
                Interlocked.Increment(ref analyses);
            }
        }, TestContext.Current.CancellationToken);
        var observers = new Task[Threads];
        for (int t = 0; t < Threads; t++)
        {
            observers[t] = Task.Run(() =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < traffic.Count)
                {
                    SyntheticExchange e = traffic[i];
                    detector.Observe(e.Account, e.Timestamp, e.Prompt);
                }
            }, TestContext.Current.CancellationToken);
        }
        await Task.WhenAll(observers);
        done.Set();
        await analyzer;

        Assert.True(analyses > 0);
        Assert.Equal(traffic.Count, detector.ExchangeCount);
        Assert.Equal(traffic.Count, detector.SumTrackedExchanges());
        Assert.Equal(world.Population.Count, detector.AccountCount);
        DetectionReport report = detector.Analyze();
        long perAccount = traffic.Count(e => e.Population == Population.Campaign) / world.CountAccounts(Population.Campaign);
        foreach (CampaignFinding c in report.Campaigns) Assert.Equal(c.Accounts.Count * perAccount, c.Exchanges);
    }

    [Fact]
    public void Observe_SameAccountFromManyThreads_CountsEveryExchange()
    {
        var detector = new DistillationDetector();
        const int Threads = 4, PerThread = 2000;
        Parallel.For(0, Threads, t =>
        {
            for (int i = 0; i < PerThread; i++)
            {
                detector.Observe("shared-account", SyntheticTraffic.Start + TimeSpan.FromSeconds(i), "the same short prompt every time please answer quickly");
            }
        });
        Assert.Equal(Threads * PerThread, detector.ExchangeCount);
        Assert.Equal(Threads * PerThread, detector.SumTrackedExchanges());
        Assert.Equal(1, detector.AccountCount);
    }
}
