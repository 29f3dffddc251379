namespace DistillDetect.Cli.Simulation;

/// <summary>
/// A binary min-heap of (time, account) with ties broken by account index, so the merge order of the
/// per-account streams is fully determined. O(log n) per operation; 16 bytes per entry. Not thread-safe.
/// </summary>
internal sealed class TimeHeap
{
    private long[] _times;
    private int[] _accounts;

    /// <summary>Creates an empty heap with room for <paramref name="capacity"/> entries.</summary>
    public TimeHeap(int capacity)
    {
        _times = new long[Math.Max(capacity, 1)];
        _accounts = new int[Math.Max(capacity, 1)];
    }

    /// <summary>Number of entries.</summary>
    public int Count { get; private set; }

    /// <summary>Earliest time (valid when <see cref="Count"/> &gt; 0).</summary>
    public long TopTime => _times[0];

    /// <summary>Account of the earliest entry.</summary>
    public int TopAccount => _accounts[0];

    /// <summary>Appends without restoring order; call <see cref="Heapify"/> before reading.</summary>
    public void AddUnordered(long time, int account)
    {
        if (Count == _times.Length)
        {
            Array.Resize(ref _times, _times.Length * 2);
            Array.Resize(ref _accounts, _accounts.Length * 2);
        }
        _times[Count] = time;
        _accounts[Count] = account;
        Count++;
    }

    /// <summary>Restores the heap order in O(n) (Floyd's bottom-up construction).</summary>
    public void Heapify()
    {
        for (int i = (Count / 2) - 1; i >= 0; i--)
        {
            SiftDown(i, _times[i], _accounts[i]);
        }
    }

    /// <summary>Replaces the top entry's time (same account) and restores order.</summary>
    public void ReplaceTopTime(long time) => SiftDown(0, time, _accounts[0]);

    /// <summary>Removes the top entry.</summary>
    public void Pop()
    {
        Count--;
        if (Count > 0)
        {
            SiftDown(0, _times[Count], _accounts[Count]);
        }
    }

    private void SiftDown(int i, long time, int account)
    {
        long[] times = _times;
        int[] accounts = _accounts;
        int count = Count;
        while (true)
        {
            int child = (2 * i) + 1;
            if (child >= count)
            {
                break;
            }
            int right = child + 1;
            if (right < count && Less(times[right], accounts[right], times[child], accounts[child]))
            {
                child = right;
            }
            if (!Less(times[child], accounts[child], time, account))
            {
                break;
            }
            times[i] = times[child];
            accounts[i] = accounts[child];
            i = child;
        }
        times[i] = time;
        accounts[i] = account;
    }

    private static bool Less(long t1, int a1, long t2, int a2) => t1 < t2 || (t1 == t2 && a1 < a2);
}
