namespace DistillDetect.Accounts;

/// <summary>
/// The LSH bands of the previous <see cref="CandidatePairFinder"/> run kept sorted by band key, for a caller that
/// runs it again and again over mostly unchanged accounts (the detector's hourly analysis): a run drops the entries of
/// accounts whose keys changed or that left, sorts only the entries of the changed and new ones and merges them in,
/// O(n + c log c) per band for n accounts of which c changed instead of the O(n log n) sort of every band. Accounts
/// are named by their <see cref="CandidateKeys"/> objects, which the caller keeps across runs; in the bands, by a
/// dense slot number (<see cref="CandidateKeys.Slot"/>), so that a merge and the pairing read arrays instead of
/// following a reference per entry (following them was most of the merge's time: 6 % of the development run).
/// Memory: 12 bytes per account and band, twice (two buffers), and 5 bytes per slot (at most twice the accounts).
/// Not thread-safe; one run at a time.
/// </summary>
internal sealed class CandidateBuckets
{
    private Band[] _bands = [];
    private List<CandidateKeys> _indexed = [];
    private List<CandidateKeys> _spare = [];
    private int _stamp;

    // Slots: _slotIndex[s] is the run position (CandidateKeys.Index) of the account in slot s; _dropped[s] marks the
    // slots whose entries this run's merge drops. Slots freed by a run are reused from the next run on.
    private int[] _slotIndex = [];
    private bool[] _dropped = [];
    private int _slotCount;
    private readonly Stack<int> _freeSlots = new();

    /// <summary>Forgets everything (the next run indexes every account afresh).</summary>
    public void Clear()
    {
        foreach (CandidateKeys k in _indexed) k.Slot = -1;
        _indexed.Clear();
        _bands = [];
        _slotCount = 0;
        _freeSlots.Clear();
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
        var released = new List<int>();
        foreach (CandidateKeys k in _indexed)
        {
            if (k.Stamp == stamp && k.IndexedVersion == k.Version)
            {
                kept.Add(k);
                continue;
            }
            _dropped[k.Slot] = true;
            released.Add(k.Slot);
            k.Slot = -1;
        }
        var inserted = new List<CandidateKeys>();
        for (int j = 0; j < eligible.Count; j++)
        {
            CandidateKeys k = keys[eligible[j]]!;
            if (k.Slot >= 0) continue;
            if (!_freeSlots.TryPop(out int slot))
            {
                slot = _slotCount++;
                if (slot == _slotIndex.Length)
                {
                    Array.Resize(ref _slotIndex, Math.Max(64, 2 * slot));
                    Array.Resize(ref _dropped, _slotIndex.Length);
                }
            }
            k.Slot = slot;
            inserted.Add(k);
        }
        if (inserted.Count > 0 || released.Count > 0)
        {
            for (int b = 0; b < _bands.Length; b++)
            {
                bool synchronization = b >= templateBands;
                _bands[b].Merge(inserted, synchronization, synchronization ? b - templateBands : b, _dropped);
            }
        }
        foreach (int slot in released)
        {
            _dropped[slot] = false;
            _freeSlots.Push(slot);
        }
        foreach (CandidateKeys k in inserted)
        {
            k.IndexedVersion = k.Version;
            kept.Add(k);
        }
        foreach (CandidateKeys k in kept) _slotIndex[k.Slot] = k.Index;
        _spare = _indexed;
        _indexed = kept;
    }

    /// <summary>The sorted keys of band <paramref name="band"/> (template bands first, then synchronization bands) and their accounts' slots.</summary>
    internal (ReadOnlyMemory<ulong> Keys, ReadOnlyMemory<int> Slots) BandEntries(int band)
    {
        Band b = _bands[band];
        return (b.Keys.AsMemory(0, b.Count), b.Slots.AsMemory(0, b.Count));
    }

    /// <summary>This run's position (<see cref="CandidateKeys.Index"/>) of the account in each slot that holds one.</summary>
    internal ReadOnlySpan<int> SlotIndex => _slotIndex;

    private sealed class Band
    {
        public ulong[] Keys = [];
        public int[] Slots = [];
        public int Count;
        private ulong[] _nextKeys = [];
        private int[] _nextSlots = [];

        /// <summary>Drops the entries of the <paramref name="dropped"/> slots and merges in those of <paramref name="inserted"/>.</summary>
        public void Merge(List<CandidateKeys> inserted, bool synchronization, int band, bool[] dropped)
        {
            int added = 0;
            var newKeys = new ulong[inserted.Count];
            var newSlots = new int[inserted.Count];
            foreach (CandidateKeys k in inserted)
            {
                if (!(synchronization ? k.HasSynchronization : k.HasTemplates)) continue;
                newKeys[added] = (synchronization ? k.SynchronizationKeys : k.TemplateKeys)[band];
                newSlots[added++] = k.Slot;
            }
            Array.Sort(newKeys, newSlots, 0, added);
            int capacity = Count + added;
            if (_nextKeys.Length < capacity)
            {
                _nextKeys = new ulong[Math.Max(capacity, _nextKeys.Length * 2)];
                _nextSlots = new int[_nextKeys.Length];
            }
            ulong[] outKeys = _nextKeys;
            int[] outSlots = _nextSlots;
            int n = 0, x = 0, y = 0;
            while (true)
            {
                while (x < Count && dropped[Slots[x]]) x++;
                bool hasOld = x < Count, hasNew = y < added;
                if (!hasOld && !hasNew) break;
                if (hasOld && (!hasNew || Keys[x] <= newKeys[y]))
                {
                    outKeys[n] = Keys[x];
                    outSlots[n++] = Slots[x++];
                }
                else
                {
                    outKeys[n] = newKeys[y];
                    outSlots[n++] = newSlots[y++];
                }
            }
            (_nextKeys, Keys) = (Keys, outKeys);
            (_nextSlots, Slots) = (Slots, outSlots);
            Count = n;
        }
    }
}
