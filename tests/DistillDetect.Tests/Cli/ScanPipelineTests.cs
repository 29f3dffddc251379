using DistillDetect.Cli.Input;
using DistillDetect.Cli.Scanning;
using DistillDetect.Detection;

namespace DistillDetect.Tests.Cli;

public sealed class ScanPipelineTests
{
    [Fact]
    public void Record_KnownAccount_AllocatesNothingAndCountsOutOfOrder()
    {
        var table = new AccountTable();
        char[] name = "account-42".ToCharArray();
        table.Record(name, 100);
        for (int i = 0; i < 1000; i++) table.Record(name, 100 + i); // warm up
        int rounds = 0;
        long allocated = Allocations.Fewest(() =>
        {
            rounds++;
            for (int i = 0; i < 10_000; i++) table.Record(name, 5000 + (i % 10 == 0 ? -4000 : i));
        });
        Assert.Equal(0, allocated);
        ref AccountTally tally = ref table.Find("account-42");
        Assert.Equal(1001 + 10_000 * rounds, tally.Exchanges);
        Assert.Equal(1000 * rounds, tally.OutOfOrder); // every tenth went back in time
        Assert.Equal(100, tally.FirstTicks);
        Assert.Equal(5000 + 9999, tally.LastTicks);
        Assert.Equal(1000, table.OutOfOrder);
    }

    [Fact]
    public void TryAdd_FullBatch_RefusesThenReusesWithoutAllocating()
    {
        using var batch = new ExchangeBatch();
        string prompt = new('p', 200);
        int added = 0;
        while (batch.TryAdd("acct", added, prompt)) added++;
        Assert.Equal(ExchangeBatch.RecordCapacity, added);
        Assert.Equal("acct", batch.Account(added - 1).ToString());
        Assert.Equal(prompt, batch.Prompt(added - 1).ToString());
        Assert.Equal(added - 1, batch.Ticks(added - 1));
        int refused = 0;
        long allocated = Allocations.Fewest(() =>
        {
            batch.Clear();
            for (int i = 0; i < ExchangeBatch.RecordCapacity; i++) refused += batch.TryAdd("acct", i, prompt) ? 0 : 1;
        });
        Assert.Equal(0, allocated);
        Assert.Equal(0, refused);
    }

    [Fact]
    public void TryAdd_EmptyBatch_AcceptsARecordLongerThanTheArena()
    {
        using var batch = new ExchangeBatch();
        string huge = new('h', ExchangeBatch.CharCapacity * 3);
        Assert.True(batch.TryAdd("a", 1, huge));
        Assert.True(batch.Prompt(0).SequenceEqual(huge));
        batch.Clear();
        Assert.True(batch.TryAdd("b", 2, "x"));
        Assert.Equal("x", batch.Prompt(0).ToString());
    }

    [Fact]
    public void IsDue_HourlyClock_FiresOncePerCrossedBoundaryFromTheFirstExchange()
    {
        const long Hour = TimeSpan.TicksPerHour;
        var clock = new AnalysisClock(Hour);
        Assert.False(clock.IsDue(10));               // starts the clock: boundaries at 10 + k hours
        Assert.False(clock.IsDue(10 + Hour - 1));
        Assert.True(clock.IsDue(10 + Hour));          // exactly on the boundary: analyze before it
        Assert.Equal(10 + Hour, clock.LastBoundary);
        Assert.False(clock.IsDue(5));                 // out of order: the clock never goes back
        Assert.True(clock.IsDue(10 + 5 * Hour + 7));  // four boundaries crossed at once: one analysis
        Assert.Equal(10 + 2 * Hour, clock.LastBoundary);
        Assert.False(clock.IsDue(10 + 6 * Hour - 1));
        Assert.True(clock.IsDue(10 + 6 * Hour));
    }

    [Fact]
    public void Partition_SameAccount_SameWorker()
    {
        for (int i = 0; i < 1000; i++)
        {
            string a = "acct-" + i;
            int w = ParallelScanner.Partition(a, 2);
            Assert.InRange(w, 0, 1);
            Assert.Equal(w, ParallelScanner.Partition(a.ToCharArray(), 2));
        }
        Assert.Equal(0, ParallelScanner.Partition("x", 1));
    }
    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void Run_AnyWorkers_EveryAnalysisSeesEveryRecordReadBeforeItsBoundary(int workers)
    {
        // The cut the background analyses rely on (ParallelScanner remarks): when an analysis starts, the detector
        // has observed at least every record read before its boundary. Without the wait, a worker's queue holds
        // thousands of records, days of this small world.
        byte[] input = ScanWorld.JsonLinesBytes;
        var detector = new DistillationDetector();
        var seen = new List<(long Cut, long Observed)>();
        using var reader = new ExchangeReader(new MemoryStream(input), ExchangeFields.Account | ExchangeFields.Timestamp | ExchangeFields.Prompt);
        (AccountTable accounts, _, long analyses, _) = ParallelScanner.Run(reader, detector, workers, TimeSpan.FromHours(1),
            cut =>
            {
                lock (seen) seen.Add((cut, detector.ExchangeCount));
            });
        Assert.Equal(ScanWorld.Exchanges.Count, accounts.Exchanges);
        Assert.Equal(ScanWorld.Exchanges.Count, detector.ExchangeCount);
        Assert.Equal(analyses, seen.Count);
        // Inline: one analysis per hour boundary (two weeks of input). With workers an analysis runs in the
        // background and boundaries passed meanwhile are covered by the next one, so at least one ran.
        if (workers == 0) Assert.True(analyses > 300, $"{analyses} analyses over two weeks of hourly boundaries");
        else Assert.InRange(analyses, 1, 400);
        foreach ((long cut, long observed) in seen) Assert.True(observed >= cut, $"analysis after {cut:N0} records read saw {observed:N0} observed");
        if (workers == 0) Assert.All(seen, s => Assert.Equal(s.Cut, s.Observed));
    }
}
