namespace DistillDetect.Accounts;

/// <summary>
/// The similarity scores of the previous <see cref="CohortFinder"/> run, kept for a caller that runs it again and
/// again over mostly unchanged accounts (the detector's hourly analysis). A pair's score depends only on its two
/// profiles, so a pair of accounts neither of which changed since the previous run keeps its score; accounts are
/// named by serial numbers the caller keeps stable across runs (list positions are not). Before each run the caller
/// sets <see cref="Serials"/> and <see cref="Changed"/> for the list it passes. Not thread-safe; one run at a time.
/// </summary>
internal sealed class PairScoreCache
{
    private Dictionary<ulong, float> _previous = [];
    private Dictionary<ulong, float> _current = [];

    /// <summary>Per list position: the account's serial number (unique among the accounts the cache has seen since the last <see cref="Clear"/>).</summary>
    public int[] Serials { get; set; } = [];

    /// <summary>Per list position: true when the account's profile may differ from the one the previous run saw.</summary>
    public bool[] Changed { get; set; } = [];

    /// <summary>Scores reused from the previous run in the last run (for tests and measurements).</summary>
    public int Reused { get; private set; }

    /// <summary>Scores computed in the last run.</summary>
    public int Computed { get; private set; }

    /// <summary>Forgets every score (call when serial numbers are reassigned).</summary>
    public void Clear()
    {
        _previous.Clear();
        _current.Clear();
    }

    /// <summary>The previous run's score of the pair at list positions <paramref name="first"/> and <paramref name="second"/>, when neither changed since.</summary>
    internal bool TryGetUnchanged(int first, int second, out float score)
    {
        score = 0;
        return !Changed[first] && !Changed[second] && _previous.TryGetValue(Key(Serials[first], Serials[second]), out score);
    }

    /// <summary>Stores this run's scores (the pairs' list positions) and makes them the ones the next run reuses.</summary>
    internal void Complete(CandidatePair[] pairs, float[] scores, int reused)
    {
        Dictionary<ulong, float> current = _current;
        current.Clear();
        current.EnsureCapacity(pairs.Length);
        int[] serials = Serials;
        for (int i = 0; i < pairs.Length; i++) current[Key(serials[pairs[i].First], serials[pairs[i].Second])] = scores[i];
        _current = _previous;
        _previous = current;
        Reused = reused;
        Computed = pairs.Length - reused;
    }

    private static ulong Key(int a, int b) => a < b ? ((ulong)(uint)a << 32) | (uint)b : ((ulong)(uint)b << 32) | (uint)a;
}
