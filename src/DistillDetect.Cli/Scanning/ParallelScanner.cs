using System.Threading.Channels;
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
/// <para><b>Analyses.</b> As a gateway runs the analysis in the background while requests flow, the scan
/// analyzes as the input's clock advances: when a record's time passes the next boundary (every
/// <c>analysisInterval</c> of input time, counted from the first record, by the latest time read so far), the
/// parser hands over its partial batches, waits until the workers have observed everything read before that
/// record (a consistent cut), and starts <see cref="DistillationDetector.Analyze"/> on a background task while
/// the workers go on observing. A boundary passed while the previous analysis still runs is covered by the
/// next one (on a machine where an analysis takes longer than an hour of input, analyses run back to back).
/// The detector links campaign accounts from what earlier analyses found, so one analysis at the very end
/// finds much less than analyses along the way.</para>
/// <para><b>Why the cut.</b> The detector's analysis reads "now" as the latest exchange time of any account
/// and calls an account abandoned when it has been silent for <see cref="DetectionOptions.AbandonedAfter"/>. A
/// log compresses time: one worker's queue (<see cref="QueueDepth"/> batches of up to
/// <see cref="ExchangeBatch.RecordCapacity"/> records) can hold days of a small log, so without the wait the
/// accounts of a lagging worker looked abandoned and a service fleet passed the rotation test (measured
/// 2026-11-27: 20 of 80 legitimate accounts flagged in about half the runs of the synthetic-world scan test; the
/// same world observed with one half of the accounts held back 3 days flags those 20 every time, 1 day none).
/// After the cut the workers advance only while the analysis copies the accounts (milliseconds of wall time).
/// Flags can still differ at the margin from run to run; the inline path (0 workers) analyzes synchronously
/// and is deterministic.</para>
/// <para>Memory: (workers x (QueueDepth + 2)) batches of about 1.1 MB, independent of the input size.</para>
/// </remarks>
internal static class ParallelScanner
{
    /// <summary>Full batches that may wait for one worker; bounds memory and lets the parser run ahead a little.</summary>
    public const int QueueDepth = 4;

    /// <summary>
    /// Reads every record of <paramref name="reader"/> into <paramref name="detector"/>, analyzing every
    /// <paramref name="analysisInterval"/> of input time, then runs a final analysis after the last record; returns the
    /// per-account tallies, the final report, the number of periodic analyses run (the final one not included) and the
    /// time all of them took. With <paramref name="workers"/> = 0 everything runs on the calling thread.
    /// </summary>
    /// <param name="reader">The input.</param>
    /// <param name="detector">The detector to feed.</param>
    /// <param name="workers">Observing threads besides the parser (0: everything on the calling thread).</param>
    /// <param name="analysisInterval">Input time between analyses.</param>
    /// <param name="analysisStarting">Test hook: called on the analysis's thread just before each analysis with the
    /// number of records read before its boundary.</param>
    /// <param name="analysisCompleted">Called on the analysis's thread after each analysis with its boundary (UTC ticks)
    /// and report (e.g. for progress); one analysis runs at a time.</param>
    public static (AccountTable Accounts, DetectionReport Final, long Analyses, TimeSpan AnalysisTime) Run(IExchangeSource reader, DistillationDetector detector, int workers, TimeSpan analysisInterval,
        Action<long>? analysisStarting = null, Action<long, DetectionReport>? analysisCompleted = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(workers);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(analysisInterval, TimeSpan.Zero);
        (AccountTable accounts, long analyses, TimeSpan analysisTime) = workers == 0
            ? RunInline(reader, detector, analysisInterval.Ticks, analysisStarting, analysisCompleted)
            : RunParallel(reader, detector, workers, analysisInterval.Ticks, analysisStarting, analysisCompleted);
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        DetectionReport final = detector.Analyze();
        return (accounts, final, analyses, analysisTime + System.Diagnostics.Stopwatch.GetElapsedTime(started));
    }

    private static (AccountTable, long, TimeSpan) RunInline(IExchangeSource reader, DistillationDetector detector, long interval,
        Action<long>? analysisStarting, Action<long, DetectionReport>? analysisCompleted)
    {
        long read = 0;
        var table = new AccountTable();
        var clock = new AnalysisClock(interval);
        long analyses = 0;
        TimeSpan analysisTime = TimeSpan.Zero;
        while (reader.MoveNext())
        {
            long ticks = reader.Timestamp.UtcTicks;
            if (clock.IsDue(ticks))
            {
                analysisStarting?.Invoke(read);
                long started = System.Diagnostics.Stopwatch.GetTimestamp();
                DetectionReport report = detector.Analyze();
                analysisTime += System.Diagnostics.Stopwatch.GetElapsedTime(started);
                analysisCompleted?.Invoke(clock.LastBoundary, report);
                analyses++;
            }
            table.Record(reader.Account, ticks);
            detector.Observe(reader.Account, reader.Timestamp, reader.Prompt);
            read++;
        }
        return (table, analyses, analysisTime);
    }

    private static (AccountTable, long, TimeSpan) RunParallel(IExchangeSource reader, DistillationDetector detector, int workers, long interval,
        Action<long>? analysisStarting, Action<long, DetectionReport>? analysisCompleted)
    {
        var clock = new AnalysisClock(interval);
        long analyses = 0, read = 0;
        Task? analysis = null;
        long analysisTicks = 0; // written by one analysis task at a time, read after the last one completed
        using var inFlight = new InFlight();
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
            tasks[w] = Task.Factory.StartNew(() => Work(queue, free.Writer, table, detector, inFlight),
                CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        try
        {
            while (reader.MoveNext())
            {
                ReadOnlySpan<char> account = reader.Account;
                int w = Partition(account, workers);
                long ticks = reader.Timestamp.UtcTicks;
                if (clock.IsDue(ticks) && (analysis is null || analysis.IsCompleted))
                {
                    analysis?.GetAwaiter().GetResult(); // rethrows a failed analysis
                    // A consistent cut (see the remarks): hand over the partial batches and wait until the workers
                    // have observed everything read so far; then analyze in the background while they go on.
                    for (int v = 0; v < workers; v++)
                    {
                        if (current[v].Count > 0)
                        {
                            Send(queues[v].Writer, current[v], tasks[v], inFlight);
                            current[v] = Take(free.Reader, all);
                        }
                    }
                    inFlight.WaitForZero(tasks);
                    analyses++;
                    long cut = read, boundary = clock.LastBoundary;
                    analysis = Task.Run(() =>
                    {
                        analysisStarting?.Invoke(cut);
                        long started = System.Diagnostics.Stopwatch.GetTimestamp();
                        DetectionReport report = detector.Analyze();
                        analysisTicks += System.Diagnostics.Stopwatch.GetElapsedTime(started).Ticks;
                        analysisCompleted?.Invoke(boundary, report);
                    });
                }
                if (!current[w].TryAdd(account, ticks, reader.Prompt))
                {
                    Send(queues[w].Writer, current[w], tasks[w], inFlight);
                    current[w] = Take(free.Reader, all);
                    current[w].TryAdd(account, ticks, reader.Prompt);
                }
                read++;
            }
            for (int w = 0; w < workers; w++)
            {
                if (current[w].Count > 0)
                {
                    Send(queues[w].Writer, current[w], tasks[w], inFlight);
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
            analysis?.GetAwaiter().GetResult();
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
        return (merged, analyses, TimeSpan.FromTicks(analysisTicks));
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

    private static void Send(ChannelWriter<ExchangeBatch> queue, ExchangeBatch batch, Task worker, InFlight inFlight)
    {
        inFlight.Increment();
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

    private static void Work(ChannelReader<ExchangeBatch> queue, ChannelWriter<ExchangeBatch> free, AccountTable table, DistillationDetector detector, InFlight inFlight)
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
                inFlight.Decrement();
            }
        }
    }

    /// <summary>Batches handed to workers and not yet observed; the parser waits for zero before an analysis.</summary>
    private sealed class InFlight : IDisposable
    {
        private readonly ManualResetEventSlim _zero = new(initialState: true);
        private int _count;

        public void Increment()
        {
            if (Interlocked.Increment(ref _count) == 1)
            {
                _zero.Reset();
            }
        }

        public void Decrement()
        {
            if (Interlocked.Decrement(ref _count) == 0)
            {
                _zero.Set();
            }
        }

        public void Dispose() => _zero.Dispose();

        public void WaitForZero(Task[] workers)
        {
            // Re-check the count after each wake-up: a Set racing with a later Reset only causes another wait.
            while (Volatile.Read(ref _count) != 0)
            {
                if (_zero.Wait(100))
                {
                    continue;
                }
                foreach (Task t in workers)
                {
                    if (t.IsCompleted)
                    {
                        t.GetAwaiter().GetResult();
                        throw new InvalidOperationException("a scan worker stopped early.");
                    }
                }
            }
        }
    }
}
