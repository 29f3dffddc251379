using DistillDetect.Cli.Scanning;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace DistillDetect.Tests.Cli;

public sealed class ReadAheadTests
{
    [Property(MaxTest = 100)]
    public Property Of_AnySequenceAndBatching_YieldsTheSameItemsInOrder() =>
        Prop.ForAll(Gen.Choose(0, 3000).ToArbitrary(), Gen.Choose(1, 700).ToArbitrary(), Gen.Choose(1, 5).ToArbitrary(),
            (count, batchSize, batches) => ReadAhead.Of(Enumerable.Range(0, count), batchSize, batches).SequenceEqual(Enumerable.Range(0, count)));

    [Fact]
    public void Of_SourceThrows_ItemsBeforeItArriveThenTheSameException()
    {
        static IEnumerable<int> Failing()
        {
            for (int i = 0; i < 10; i++) yield return i;
            throw new InvalidDataException("simulator failed");
        }
        var seen = new List<int>();
        InvalidDataException e = Assert.Throws<InvalidDataException>(() =>
        {
            foreach (int x in ReadAhead.Of(Failing(), batchSize: 4)) seen.Add(x);
        });
        Assert.Equal("simulator failed", e.Message);
        Assert.Equal(Enumerable.Range(0, 8), seen); // two full batches; the partial third is lost with the failure
    }

    [Fact]
    public void Of_ConsumerStopsEarly_ProducerStopsWithinAFewBatches()
    {
        int produced = 0;
        IEnumerable<int> Endless()
        {
            for (int i = 0; ; i++)
            {
                Interlocked.Increment(ref produced);
                yield return i;
            }
        }
        Assert.Equal(Enumerable.Range(0, 5), ReadAhead.Of(Endless(), batchSize: 16, batches: 2).Take(5));
        // Disposing the enumerator cancels and joins the producer: what it made is bounded by the queue and one batch
        // in hand, and it makes no more afterwards.
        int after = Volatile.Read(ref produced);
        Assert.InRange(after, 5, 16 * (2 + 2));
        Thread.Sleep(50);
        Assert.Equal(after, Volatile.Read(ref produced));
    }

    [Fact]
    public void Of_InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => ReadAhead.Of<int>(null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => ReadAhead.Of(new[] { 1 }, batchSize: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ReadAhead.Of(new[] { 1 }, batches: 0));
    }
}
