using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace DistillDetect.Cli.Scanning;

/// <summary>
/// Enumerates a sequence on a thread of its own, in batches a few ahead of the consumer, so that producing an item
/// (the simulator's prompt grammar: about a seventh of the default run's time on its one thread) overlaps consuming
/// the previous ones. The consumer sees the same items in the same order.
/// </summary>
internal static class ReadAhead
{
    /// <summary>
    /// The items of <paramref name="source"/>, produced on a dedicated background thread at most
    /// <paramref name="batches"/> batches of <paramref name="batchSize"/> ahead. An exception of the source is rethrown
    /// to the consumer after the items produced before it; a consumer that stops early stops the producer.
    /// </summary>
    public static IEnumerable<T> Of<T>(IEnumerable<T> source, int batchSize = 4096, int batches = 4)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batches, 1);
        return Iterate(source, batchSize, batches);
    }

    private static IEnumerable<T> Iterate<T>(IEnumerable<T> source, int batchSize, int batches)
    {
        using var queue = new BlockingCollection<T[]>(batches);
        using var stop = new CancellationTokenSource();
        ExceptionDispatchInfo? failure = null;
        var producer = new Thread(() =>
        {
            try
            {
                var batch = new T[batchSize];
                int count = 0;
                foreach (T item in source)
                {
                    batch[count++] = item;
                    if (count < batchSize) continue;
                    queue.Add(batch, stop.Token);
                    batch = new T[batchSize];
                    count = 0;
                }
                if (count > 0) queue.Add(batch[..count], stop.Token);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // The consumer stopped early.
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
            finally
            {
                queue.CompleteAdding();
            }
        })
        { IsBackground = true, Name = "DistillDetect read-ahead" };
        producer.Start();
        try
        {
            foreach (T[] batch in queue.GetConsumingEnumerable())
            {
                foreach (T item in batch) yield return item;
            }
        }
        finally
        {
            stop.Cancel();
            producer.Join();
        }
        failure?.Throw();
    }
}
