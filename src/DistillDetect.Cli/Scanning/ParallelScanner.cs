using System.Threading.Channels;
using DistillDetect.Cli.Input;
using DistillDetect.Detection;

namespace DistillDetect.Cli.Scanning;

/// <summary>
/// The plain (not replay) scan: one thread parses the input, <c>workers</c> threads call
/// <see cref="DistillationDetector.Observe(ReadOnlySpan{char}, DateTimeOffset, ReadOnlySpan{char})"/>.
/// </summary>
/// <remarks>
/// <para>The parser copies each record's account and prompt into a pooled <see cref="ExchangeBatch"/> of the
/// worker that owns the account (accounts are split by a hash of their id), and hands full batches over bounded
/// channels (<see cref="QueueDepth"/> batches each); emptied batches come back through a free list, so after
/// start-up nothing is allocated per record. Splitting by account keeps each account's exchanges in input order
/// on one thread, as the detector's timing statistics need, and lets every worker keep its own
/// <see cref="AccountTable"/> without locks.</para>
/// <para>Memory: (workers x (QueueDepth + 2)) batches of about 1.1 MB, independent of the input size.</para>
/// </remarks>
internal static class ParallelScanner
{
    /// <summary>Full batches that may wait for one worker; bounds memory and lets the parser run ahead a little.</summary>
    public const int QueueDepth = 4;

    /// <summary>
    /// Reads every record of <paramref name="reader"/> into <paramref name="detector"/>; returns the per-account
    /// tallies. With <paramref name="workers"/> = 0 everything runs on the calling thread.
    /// </summary>
    public static AccountTable Run(ExchangeReader reader, DistillationDetector detector, int workers)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(workers);
        return workers == 0 ? RunInline(reader, detector) : RunParallel(reader, detector, workers);
    }

    private static AccountTable RunInline(ExchangeReader reader, DistillationDetector detector)
    {
        var table = new AccountTable();
        while (reader.MoveNext())
        {
            long ticks = reader.Timestamp.UtcTicks;
            table.Record(reader.Account, ticks);
            detector.Observe(reader.Account, reader.Timestamp, reader.Prompt);
        }
        return table;
    }

    private static AccountTable RunParallel(ExchangeReader reader, DistillationDetector detector, int workers)
    {
        var free = Channel.CreateUnbounded<ExchangeBatch>(new UnboundedChannelOptions { SingleReader = true });
        var queues = new Channel<ExchangeBatch>[workers];
        var tables = new AccountTable[workers];
        var tasks = new Task[workers];
        var current = new ExchangeBatch[workers];
        var all = new List<ExchangeBatch>();
        for (int w = 0; w < workers; w++)
        {
            queues[w] = Channel.CreateBounded<ExchangeBatch>(new BoundedChannelOptions(QueueDepth)
            {
                SingleReader = true,
                SingleWriter = true,
                FullMode = BoundedChannelFullMode.Wait,
            });
            tables[w] = new AccountTable();
            current[w] = NewBatch(all);
            ChannelReader<ExchangeBatch> queue = queues[w].Reader;
            AccountTable table = tables[w];
            tasks[w] = Task.Factory.StartNew(() => Work(queue, free.Writer, table, detector),
                CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        try
        {
            while (reader.MoveNext())
            {
                ReadOnlySpan<char> account = reader.Account;
                int w = Partition(account, workers);
                long ticks = reader.Timestamp.UtcTicks;
                if (!current[w].TryAdd(account, ticks, reader.Prompt))
                {
                    Send(queues[w].Writer, current[w], tasks[w]);
                    current[w] = Take(free.Reader, all);
                    current[w].TryAdd(account, ticks, reader.Prompt);
                }
            }
            for (int w = 0; w < workers; w++)
            {
                if (current[w].Count > 0)
                {
                    Send(queues[w].Writer, current[w], tasks[w]);
                }
            }
        }
        finally
        {
            foreach (Channel<ExchangeBatch> q in queues)
            {
                q.Writer.TryComplete();
            }
            Task.WaitAll(tasks);
            foreach (ExchangeBatch b in all)
            {
                b.Dispose();
            }
        }
        AccountTable merged = tables[0];
        for (int w = 1; w < workers; w++)
        {
            merged.Absorb(tables[w]);
        }
        return merged;
    }

    /// <summary>The worker that owns <paramref name="account"/>: a hash of the id (stable within the process).</summary>
    internal static int Partition(ReadOnlySpan<char> account, int workers) =>
        workers == 1 ? 0 : (int)((uint)string.GetHashCode(account) % (uint)workers);

    private static ExchangeBatch NewBatch(List<ExchangeBatch> all)
    {
        var batch = new ExchangeBatch();
        all.Add(batch);
        return batch;
    }

    private static ExchangeBatch Take(ChannelReader<ExchangeBatch> free, List<ExchangeBatch> all) =>
        free.TryRead(out ExchangeBatch? batch) ? batch : NewBatch(all);

    private static void Send(ChannelWriter<ExchangeBatch> queue, ExchangeBatch batch, Task worker)
    {
        while (!queue.TryWrite(batch))
        {
            if (worker.IsCompleted)
            {
                worker.GetAwaiter().GetResult(); // rethrows the worker's failure
                throw new InvalidOperationException("a scan worker stopped early.");
            }
            queue.WaitToWriteAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static void Work(ChannelReader<ExchangeBatch> queue, ChannelWriter<ExchangeBatch> free, AccountTable table, DistillationDetector detector)
    {
        while (queue.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (queue.TryRead(out ExchangeBatch? batch))
            {
                for (int i = 0; i < batch.Count; i++)
                {
                    ReadOnlySpan<char> account = batch.Account(i);
                    long ticks = batch.Ticks(i);
                    table.Record(account, ticks);
                    detector.Observe(account, new DateTimeOffset(ticks, TimeSpan.Zero), batch.Prompt(i));
                }
                batch.Clear();
                free.TryWrite(batch);
            }
        }
    }
}
