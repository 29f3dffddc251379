using DistillDetect.Cli.Scanning;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace DistillDetect.Tests.Cli;

public sealed class ScanSpoolTests
{
    private sealed class Collector : IExchangeSink
    {
        public List<(string Account, long Ticks, string Prompt)> Items { get; } = [];

        public void Observe(ReadOnlySpan<char> account, long utcTicks, ReadOnlySpan<char> prompt) =>
            Items.Add((account.ToString(), utcTicks, prompt.ToString()));
    }

    [Property(MaxTest = 60)]
    public bool Drain_AnyInputAndChunkSize_IsTheStableSortByTime(int seed, PositiveInt records, PositiveInt chunkScale)
    {
        var random = new Random(seed);
        int n = records.Get % 400;
        var input = new List<(string, long, string)>(n);
        for (int i = 0; i < n; i++)
        {
            // Few distinct times, so ties are common and their order (input order) is checked too.
            input.Add(("acct-" + random.Next(20), random.Next(50), new string('p', random.Next(0, 300)) + i));
        }
        int chunk = 1024 + chunkScale.Get % 8 * 1024;
        using var spool = new TimeOrderedSpool(chunk);
        foreach ((string a, long t, string p) in input) spool.Add(a, t, p);
        var sink = new Collector();
        spool.Drain(sink);
        var expected = input.Select((x, i) => (x, i)).OrderBy(y => y.x.Item2).ThenBy(y => y.i).Select(y => y.x).ToList();
        return sink.Items.SequenceEqual(expected);
    }

    [Fact]
    public void Drain_InputLargerThanOneChunk_SpillsRunsAndDeletesThem()
    {
        using var dir = new TempDirectory();
        using var spool = new TimeOrderedSpool(4096, dir.Path);
        for (int i = 0; i < 1000; i++) spool.Add("a", 1000 - i, "prompt number " + i);
        Assert.True(spool.RunCount > 1);
        Assert.NotEmpty(Directory.GetFiles(dir.Path));
        var sink = new Collector();
        spool.Drain(sink);
        Assert.Equal(1000, sink.Items.Count);
        Assert.Equal(Enumerable.Range(1, 1000).Select(x => (long)x), sink.Items.Select(x => x.Ticks));
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Drain_InputWithinOneChunk_NeverTouchesTheDisk()
    {
        using var dir = new TempDirectory();
        using var spool = new TimeOrderedSpool(1 << 20, dir.Path);
        for (int i = 0; i < 1000; i++) spool.Add("a", i % 7, "p");
        Assert.Equal(0, spool.RunCount);
        Assert.Equal(0, spool.SpilledBytes);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void Add_RecordLongerThanTheChunk_IsKeptWhole()
    {
        using var spool = new TimeOrderedSpool(1024);
        string big = new('x', 5000);
        spool.Add("a", 2, big);
        spool.Add("b", 1, "small");
        var sink = new Collector();
        spool.Drain(sink);
        Assert.Equal([("b", 1L, "small"), ("a", 2L, big)], sink.Items);
    }
}
