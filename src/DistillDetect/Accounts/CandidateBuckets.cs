namespace DistillDetect.Accounts;

/// <summary>
/// The LSH bands of the previous <see cref="CandidatePairFinder"/> run kept sorted by band key, for a caller that
/// runs it again and again over mostly unchanged accounts (the detector's hourly analysis): a run drops the entries of
/// accounts whose keys changed or that left, sorts only the entries of the changed and new ones and merges them in,
/// O(n + c log c) per band for n accounts of which c changed instead of the O(n log n) sort of every band. Accounts
/// are named by their <see cref="CandidateKeys"/> objects, which the caller keeps across runs. Memory: 16 bytes per
/// account and band, twice (two buffers). Not thread-safe; one run at a time.
/// </summary>
internal sealed class CandidateBuckets
{
    private Band[] _bands = [];
    private List<CandidateKeys> _indexed = [];
    private List<CandidateKeys> _spare = [];
    private int _stamp;

    /// <summary>Forgets everything (the next run indexes every account afresh).</summary>
    public void Clear()
    {
        foreach (CandidateKeys k in _indexed) k.Indexed = false;
        _indexed.Clear();
        _bands = [];
    }

    /// <summary>
    /// Brings the index up to date with this run's accounts (<paramref name="eligible"/> positions into
    /// <paramref name="keys"/>) and sets each one's <see cref="CandidateKeys.Index"/> to its position in <paramref name="eligible"/>.
    /// </summary>
    internal void Update(List<int> eligible, IReadOnlyList<CandidateKeys?> keys, int templateBands, int synchronizationBands)
    {
        int stamp = ++_stamp;
        for (int j = 0; j < eligible.Count; j++)
        {
            CandidateKeys k = keys[eligible[j]]!;
            k.Index = j;
            k.Stamp = stamp;
        }
        if (_bands.Length != templateBands + synchronizationBands)
        {
            Clear();
            _bands = new Band[templateBands + synchronizationBands];
            for (int b = 0; b < _bands.Length; b++) _bands[b] = new Band();
        }
        // Keep the accounts still present with unchanged keys; the others' entries are dropped by the merge below.
        List<CandidateKeys> kept = _spare;
        kept.Clear();
        foreach (CandidateKeys k in _indexed)
        {
            if (k.Stamp == stamp && k.IndexedVersion == k.Version) kept.Add(k);
            else k.Indexed = false;
        }
        var inserted = new List<CandidateKeys>();
        for (int j = 0; j < eligible.Count; j++)
        {
            CandidateKeys k = keys[eligible[j]]!;
            if (!k.Indexed) inserted.Add(k);
        }
        for (int b = 0; b < _bands.Length; b++)
        {
            bool synchronization = b >= templateBands;
            _bands[b].Merge(inserted, synchronization, synchronization ? b - templateBands : b);
        }
        foreach (CandidateKeys k in inserted)
        {
            k.Indexed = true;
            k.IndexedVersion = k.Version;
            kept.Add(k);
        }
        _spare = _indexed;
        _indexed = kept;
    }

    /// <summary>The sorted keys of band <paramref name="band"/> (template bands first, then synchronization bands) and their accounts.</summary>
    internal (ReadOnlyMemory<ulong> Keys, ReadOnlyMemory<CandidateKeys> Accounts) BandEntries(int band)
    {
        Band b = _bands[band];
        return (b.Keys.AsMemory(0, b.Count), b.Accounts.AsMemory(0, b.Count));
    }

    private sealed class Band
    {
        public ulong[] Keys = [];
        public CandidateKeys[] Accounts = [];
        public int Count;
        private ulong[] _nextKeys = [];
        private CandidateKeys[] _nextAccounts = [];

        /// <summary>Drops the entries of accounts no longer indexed and merges in those of <paramref name="inserted"/>.</summary>
        public void Merge(List<CandidateKeys> inserted, bool synchronization, int band)
        {
            int added = 0;
            var newKeys = new ulong[inserted.Count];
            var newAccounts = new CandidateKeys[inserted.Count];
            foreach (CandidateKeys k in inserted)
            {
                if (!(synchronization ? k.HasSynchronization : k.HasTemplates)) continue;
                newKeys[added] = (synchronization ? k.SynchronizationKeys : k.TemplateKeys)[band];
                newAccounts[added++] = k;
            }
            Array.Sort(newKeys, newAccounts, 0, added);
            int capacity = Count + added;
            if (_nextKeys.Length < capacity)
            {
                _nextKeys = new ulong[Math.Max(capacity, _nextKeys.Length * 2)];
                _nextAccounts = new CandidateKeys[_nextKeys.Length];
            }
            ulong[] outKeys = _nextKeys;
            CandidateKeys[] outAccounts = _nextAccounts;
            int n = 0, x = 0, y = 0;
            while (true)
            {
                while (x < Count && !Accounts[x].Indexed) x++;
                bool hasOld = x < Count, hasNew = y < added;
                if (!hasOld && !hasNew) break;
                if (hasOld && (!hasNew || Keys[x] <= newKeys[y]))
                {
                    outKeys[n] = Keys[x];
                    outAccounts[n++] = Accounts[x++];
                }
                else
                {
                    outKeys[n] = newKeys[y];
                    outAccounts[n++] = newAccounts[y++];
                }
            }
            Array.Clear(Accounts, 0, Count); // release references of accounts that left
            (_nextKeys, Keys) = (Keys, outKeys);
            (_nextAccounts, Accounts) = (Accounts, outAccounts);
            Count = n;
        }
    }
}
