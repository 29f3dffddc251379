namespace DistillDetect.Fingerprints;

/// <summary>
/// Per-thread set of the ids a query has already returned, so each candidate is appended once without a new
/// HashSet per query. Entries are tagged with a query stamp instead of being cleared: starting a query is O(1),
/// and the tables only grow (rarely, amortized) when one query returns more candidates than ever before.
/// </summary>
internal sealed class LshCandidateSet
{
    [ThreadStatic]
    private static LshCandidateSet? t_current;

    private long[] _ids = new long[64];
    private int[] _stamps = new int[64];
    private int _stamp;
    private int _count;

    public static LshCandidateSet ForCurrentThread() => t_current ??= new LshCandidateSet();

    /// <summary>Empties the set in O(1) by moving to a new stamp.</summary>
    public void Begin()
    {
        _count = 0;
        if (++_stamp == int.MaxValue)
        {
            Array.Clear(_stamps);
            _stamp = 1;
        }
    }

    /// <summary>Adds <paramref name="id"/>; returns false when this query has already seen it.</summary>
    public bool Add(long id)
    {
        long[] ids = _ids;
        int[] stamps = _stamps;
        int stamp = _stamp;
        int mask = ids.Length - 1;
        int i = (int)Mix(id) & mask;
        while (stamps[i] == stamp)
        {
            if (ids[i] == id) return false;
            i = (i + 1) & mask;
        }
        stamps[i] = stamp;
        ids[i] = id;
        if (++_count * 2 > ids.Length) Grow();
        return true;
    }

    private void Grow()
    {
        long[] oldIds = _ids;
        int[] oldStamps = _stamps;
        var ids = new long[oldIds.Length * 2];
        var stamps = new int[oldIds.Length * 2];
        int mask = ids.Length - 1;
        for (int j = 0; j < oldIds.Length; j++)
        {
            if (oldStamps[j] != _stamp) continue;
            int i = (int)Mix(oldIds[j]) & mask;
            while (stamps[i] == _stamp) i = (i + 1) & mask;
            stamps[i] = _stamp;
            ids[i] = oldIds[j];
        }
        _ids = ids;
        _stamps = stamps;
    }

    // SplitMix64 finalizer (Steele, Lea, Flood 2014): spreads sequential ids over the table.
    internal static ulong Mix(long value) => SplitMix.Mix((ulong)value + SplitMix.Gamma);
}
