using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace DistillDetect.Fingerprints;

/// <summary>
/// Locality-sensitive hashing index over MinHash signatures (banding; Indyk and Motwani 1998, Broder 1997):
/// returns the ids of stored signatures that agree with a query on every value of at least one band, which
/// happens with probability <see cref="LshParameters.CandidateProbability"/>(J) for a pair with Jaccard J.
/// </summary>
/// <remarks>
/// <para><b>Storage.</b> Whole signatures are not stored. Each band of each entry is reduced to a 32-bit key
/// (XxHash3 of the band's values with a per-band seed derived from the deployment <see cref="Seed"/>), kept in
/// chained hash tables built from flat arrays: per entry and band one 8-byte node (key, next), per band a
/// power-of-two array of bucket heads, per entry its 8-byte id, and an open-addressing table id to entry.
/// Entries live in fixed-size pages, so growth never copies entries. With 25 bands (Optimize(0.5, 128)) this is
/// about 320 bytes per entry at 1 M entries (<see cref="MemoryBytes"/>); memory never exceeds what
/// <see cref="MaxCount"/> entries need and is not returned after removals.</para>
/// <para><b>Accuracy.</b> Because keys have 32 bits, an unrelated entry matches a band by accident with
/// probability 2^-32: a query returns on average about Bands × Count / 2^32 spurious ids (0.006 with 25 bands
/// and 1 M entries), on top of the banding's own false positives. Verify candidates with a Jaccard estimate when
/// precision matters. An attacker who knows the seed can craft colliding bands, so choose the seed per deployment
/// and keep it (and serialized states, which contain it) private.</para>
/// <para><b>Thread safety.</b> All members are safe to call concurrently. Each band has its own reader-writer
/// lock (striped by band); <see cref="Query"/> holds one band's read lock at a time, so queries run in parallel
/// with each other. Writers (<see cref="Insert"/>, <see cref="Remove"/>, <see cref="Merge"/>) are serialized by
/// one mutex and take each band's write lock only while relinking that band (about 100 ns; a whole rehash of the
/// band when the tables double). A query that runs during a write sees each band either before or after it, so
/// an entry being inserted or removed may be returned by some bands and not others; it is never returned twice.</para>
/// </remarks>
public sealed partial class LshIndex
{
    /// <summary>Largest <see cref="MaxCount"/> accepted.</summary>
    internal const int MaxCapacity = 1 << 29;
    private const int MaxPageShift = 12;
    private const int MinHeadsCapacity = 64;
    private const int MaxHeadsCapacity = 1 << 29;
    private const int StackBands = 256;

    private readonly int _hashCount;
    private readonly int _bands;
    private readonly int _rows;
    private readonly long _seed;
    private readonly int _maxCount;
    private readonly int _pageShift;
    private readonly LshBandTable[] _tables;
    private readonly Lock _writeLock = new();

    // Paged slot storage: page p holds slots [p << _pageShift, (p + 1) << _pageShift). A node of slot s in band b
    // is _nodePages[s >> shift][(s & mask) * bands + b], so one entry's nodes share a cache line or two.
    private LshNode[][] _nodePages;
    private long[][] _idPages;
    private int _pageCount;
    private int _slotsUsed;
    private int _freeHead = -1;
    private int _count;
    private int _headsCapacity;

    // Open addressing (linear probing) id -> slot + 1; 0 is empty. Kept at most half full.
    private int[] _idTable;

    /// <summary>Creates an empty index.</summary>
    /// <param name="hashCount">Length of the signatures it stores and is queried with (MinHash values), 1 to 4096.</param>
    /// <param name="parameters">Banding; Bands ≥ 1, RowsPerBand ≥ 1, Bands × RowsPerBand ≤ <paramref name="hashCount"/>
    /// (only the first Bands × RowsPerBand values of a signature are read). Use <see cref="LshParameters.Optimize"/> or
    /// <see cref="LshParameters.ForRecall"/>.</param>
    /// <param name="seed">Per-deployment seed of the band hashes. Indexes must share it to be merged.</param>
    /// <param name="maxCount">Most entries the index will hold (bounds its memory), 1 to 2^29. Nothing is allocated for
    /// it up front: storage grows in pages as entries arrive.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside the ranges above.</exception>
    public LshIndex(int hashCount, LshParameters parameters, long seed, int maxCount)
    {
        if (hashCount is < 1 or > LshParameters.MaxHashCount)
            LshThrow.ArgumentOutOfRange(nameof(hashCount), $"The hash count must be in 1..{LshParameters.MaxHashCount}.");
        if (parameters.Bands < 1 || parameters.RowsPerBand < 1 || (long)parameters.Bands * parameters.RowsPerBand > hashCount)
            LshThrow.ArgumentOutOfRange(nameof(parameters), $"Bands ({parameters.Bands}) and rows per band ({parameters.RowsPerBand}) must be at least 1 and their product at most the hash count ({hashCount}).");
        if (maxCount is < 1 or > MaxCapacity)
            LshThrow.ArgumentOutOfRange(nameof(maxCount), $"The maximum count must be in 1..{MaxCapacity}.");

        _hashCount = hashCount;
        _bands = parameters.Bands;
        _rows = parameters.RowsPerBand;
        _seed = seed;
        _maxCount = maxCount;
        _pageShift = Math.Min(MaxPageShift, CeilingLog2(maxCount));
        _headsCapacity = Math.Min(MinHeadsCapacity, 1 << CeilingLog2(maxCount));
        _tables = new LshBandTable[_bands];
        for (int b = 0; b < _bands; b++) _tables[b] = new LshBandTable(_headsCapacity);
        _nodePages = new LshNode[4][];
        _idPages = new long[4][];
        _idTable = new int[Math.Max(16, Math.Min(128, 2 << CeilingLog2(maxCount)))];
    }

    /// <summary>Length of the signatures this index accepts.</summary>
    public int HashCount => _hashCount;

    /// <summary>The banding: bands and rows per band.</summary>
    public LshParameters Parameters => new(_bands, _rows);

    /// <summary>Seed of the band hashes given at construction.</summary>
    public long Seed => _seed;

    /// <summary>Number of entries held now. O(1), lock-free.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Most entries the index will hold; <see cref="Insert"/> returns false beyond it.</summary>
    public int MaxCount => _maxCount;

    /// <summary>
    /// Bytes held by the index's arrays now (node pages, id pages, bucket heads, id table), excluding object
    /// headers: the figure to divide by <see cref="Count"/> for bytes per entry. O(Bands); takes the writer mutex.
    /// </summary>
    public long MemoryBytes
    {
        get
        {
            lock (_writeLock)
            {
                long pageSlots = 1L << _pageShift;
                long bytes = _pageCount * pageSlots * ((_bands * (long)Unsafe.SizeOf<LshNode>()) + sizeof(long));
                bytes += (long)_bands * _headsCapacity * sizeof(int);
                bytes += (long)_idTable.Length * sizeof(int);
                bytes += (long)(_nodePages.Length + _idPages.Length) * IntPtr.Size;
                return bytes;
            }
        }
    }

    /// <summary>Whether an entry with this id is held. O(1) expected; takes the writer mutex.</summary>
    /// <param name="id">Entry id.</param>
    /// <returns>True when present.</returns>
    public bool Contains(long id)
    {
        lock (_writeLock) return FindIdPosition(id) >= 0;
    }

    /// <summary>
    /// Adds an entry. Computes the band keys outside any lock, then links the entry into every band under the
    /// writer mutex. O(Bands × RowsPerBand) expected, plus an amortized O(1) share of table doubling. No
    /// allocation except when the index grows a page or doubles a table.
    /// </summary>
    /// <param name="id">Caller's id for the entry (any value); returned by <see cref="Query"/>.</param>
    /// <param name="signature">MinHash signature of length <see cref="HashCount"/>; only band keys are kept.</param>
    /// <returns>True when added; false when the index already holds <paramref name="id"/> (the stored entry is kept
    /// unchanged; <see cref="Remove"/> it first to replace it) or already holds <see cref="MaxCount"/> entries.</returns>
    /// <exception cref="ArgumentException"><paramref name="signature"/> does not have <see cref="HashCount"/> values.</exception>
    [SkipLocalsInit]
    public bool Insert(long id, ReadOnlySpan<uint> signature)
    {
        if (signature.Length != _hashCount) LshThrow.SignatureLength(signature.Length, _hashCount);
        uint[]? rented = null;
        Span<uint> keys = _bands <= StackBands ? stackalloc uint[StackBands] : (rented = ArrayPool<uint>.Shared.Rent(_bands));
        keys = keys[.._bands];
        ComputeKeys(signature, keys);
        bool added;
        lock (_writeLock) added = InsertKeysLocked(id, keys);
        if (rented is not null) ArrayPool<uint>.Shared.Return(rented);
        return added;
    }

    /// <summary>
    /// Removes an entry. O(Bands × chain length): each band's chain is singly linked, so removal walks the bucket,
    /// which is short unless many entries share that band exactly (near-duplicate prompts). The slot is reused by
    /// a later insert; memory is not returned.
    /// </summary>
    /// <param name="id">Entry id.</param>
    /// <returns>True when the entry was present and is now removed; false when absent.</returns>
    public bool Remove(long id)
    {
        lock (_writeLock)
        {
            int position = FindIdPosition(id);
            if (position < 0) return false;
            int slot = _idTable[position] - 1;
            LshNode[] page = _nodePages[slot >> _pageShift];
            int baseIndex = (slot & ((1 << _pageShift) - 1)) * _bands;
            for (int b = 0; b < _bands; b++)
            {
                LshBandTable table = _tables[b];
                table.EnterWrite();
                try
                {
                    int[] heads = table.Heads;
                    ref LshNode node = ref page[baseIndex + b];
                    ref int link = ref heads[(int)(node.Key & (uint)(heads.Length - 1))];
                    while (link != slot) link = ref NodeAt(link, b).Next;
                    link = node.Next;
                }
                finally
                {
                    table.ExitWrite();
                }
            }
            RemoveIdAt(position);
            page[baseIndex].Next = _freeHead; // the unlinked node of band 0 doubles as the free-list link
            _freeHead = slot;
            Volatile.Write(ref _count, _count - 1);
            return true;
        }
    }

    /// <summary>
    /// Appends to <paramref name="results"/> the id of every entry that agrees with <paramref name="signature"/> on
    /// all values of at least one band, each id once, in no particular order. A signature never seen before is not an
    /// error: it simply finds no candidates (or those it collides with). O(Bands × (RowsPerBand + bucket length));
    /// allocates nothing apart from growth of <paramref name="results"/> (candidates are de-duplicated in a reusable
    /// per-thread table). Runs concurrently with other queries and with writers (see the type's remarks).
    /// </summary>
    /// <param name="signature">MinHash signature of length <see cref="HashCount"/>.</param>
    /// <param name="results">List the candidate ids are appended to; existing items are kept and not considered.</param>
    /// <returns>Number of ids appended.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="results"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="signature"/> does not have <see cref="HashCount"/> values.</exception>
    [SkipLocalsInit]
    public int Query(ReadOnlySpan<uint> signature, List<long> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        if (signature.Length != _hashCount) LshThrow.SignatureLength(signature.Length, _hashCount);
        int bands = _bands;
        uint[]? rented = null;
        Span<uint> keys = bands <= StackBands ? stackalloc uint[StackBands] : (rented = ArrayPool<uint>.Shared.Rent(bands));
        keys = keys[..bands];
        ComputeKeys(signature, keys);
        if (Sse.IsSupported) Prefetch(keys);

        LshCandidateSet seen = LshCandidateSet.ForCurrentThread();
        seen.Begin();
        int shift = _pageShift;
        int mask = (1 << shift) - 1;
        int added = 0;
        for (int b = 0; b < bands; b++)
        {
            LshBandTable table = _tables[b];
            uint key = keys[b];
            table.EnterRead();
            try
            {
                // Read the page directories inside the lock: a slot linked into this band after an earlier read
                // may live in a page that the earlier directory does not list.
                int[] heads = table.Heads;
                LshNode[][] nodePages = Volatile.Read(ref _nodePages);
                long[][] idPages = Volatile.Read(ref _idPages);
                int slot = heads[(int)(key & (uint)(heads.Length - 1))];
                while (slot >= 0)
                {
                    ref LshNode node = ref nodePages[slot >> shift][((slot & mask) * bands) + b];
                    if (node.Key == key)
                    {
                        long id = idPages[slot >> shift][slot & mask];
                        if (seen.Add(id))
                        {
                            results.Add(id);
                            added++;
                        }
                    }
                    slot = node.Next;
                }
            }
            finally
            {
                table.ExitRead();
            }
        }
        if (rented is not null) ArrayPool<uint>.Shared.Return(rented);
        return added;
    }

    /// <summary>
    /// Adds to this index every entry of <paramref name="other"/> whose id it does not hold yet, so that it becomes
    /// the index of the union (for an id held by both, this index's entry is kept). <paramref name="other"/> is
    /// copied under its own mutex first, then inserted under this one, so concurrent merges in both directions
    /// cannot deadlock. O(other.Count × Bands).
    /// </summary>
    /// <param name="other">Index with the same hash count, banding and seed (its MaxCount may differ).</param>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    /// <exception cref="ArgumentException">The hash count, banding or seed differ (the message names which).</exception>
    /// <exception cref="InvalidOperationException">The union would exceed <see cref="MaxCount"/>; checked before any
    /// change, so this index is left as it was.</exception>
    public void Merge(LshIndex other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (ReferenceEquals(other, this)) return;
        if (other._hashCount != _hashCount)
            LshThrow.Argument(nameof(other), $"Cannot merge LSH indexes with different hash counts ({other._hashCount} and {_hashCount}).");
        if (other._bands != _bands || other._rows != _rows)
            LshThrow.Argument(nameof(other), $"Cannot merge LSH indexes with different banding ({other._bands}x{other._rows} and {_bands}x{_rows}).");
        if (other._seed != _seed)
            LshThrow.Argument(nameof(other), "Cannot merge LSH indexes with different seeds: their band keys are not comparable.");

        other.Snapshot(out long[] ids, out uint[] keys);
        lock (_writeLock)
        {
            int added = 0;
            foreach (long id in ids)
            {
                if (FindIdPosition(id) < 0) added++;
            }
            if ((long)_count + added > _maxCount)
                LshThrow.InvalidOperation($"Merging would hold {(long)_count + added} entries but this index's maximum count is {_maxCount}; nothing was merged.");
            for (int i = 0; i < ids.Length; i++)
            {
                InsertKeysLocked(ids[i], keys.AsSpan(i * _bands, _bands));
            }
        }
    }

    // A query's cost is dominated by cache misses: each band reads a bucket head, then a node, each likely a miss at
    // 1 M entries, and the interlocked operations of the band locks keep those misses from overlapping. Touching
    // every band's bucket head first, then every chain's first node, lets the misses of all bands proceed together;
    // the locked walk that follows then mostly hits the cache. These reads take no lock and may see a table that a
    // writer is changing: they only compute addresses to prefetch (bounds-checked), never results.
    private unsafe void Prefetch(ReadOnlySpan<uint> keys)
    {
        LshBandTable[] tables = _tables;
        PrefetchHeads(keys);
        LshNode[][] pages = Volatile.Read(ref _nodePages);
        int shift = _pageShift;
        int mask = (1 << shift) - 1;
        int bands = keys.Length;
        for (int b = 0; b < bands; b++)
        {
            int[] heads = tables[b].Heads;
            int slot = heads[(int)(keys[b] & (uint)(heads.Length - 1))];
            if (slot < 0) continue;
            int page = slot >> shift;
            if ((uint)page >= (uint)pages.Length) continue;
            LshNode[]? nodes = pages[page];
            int index = ((slot & mask) * bands) + b;
            if (nodes is null || (uint)index >= (uint)nodes.Length) continue;
            Sse.Prefetch0(Unsafe.AsPointer(ref nodes[index]));
        }
    }

    private unsafe void PrefetchHeads(ReadOnlySpan<uint> keys)
    {
        LshBandTable[] tables = _tables;
        for (int b = 0; b < keys.Length; b++)
        {
            int[] heads = tables[b].Heads;
            Sse.Prefetch0(Unsafe.AsPointer(ref heads[(int)(keys[b] & (uint)(heads.Length - 1))]));
        }
    }

    private bool InsertKeysLocked(long id, ReadOnlySpan<uint> keys)
    {
        if (_count >= _maxCount || FindIdPosition(id) >= 0) return false;
        if (_count + 1 > _headsCapacity && _headsCapacity < MaxHeadsCapacity) GrowHeads();
        if (Sse.IsSupported) PrefetchHeads(keys);
        int slot = AllocateSlot();
        int shift = _pageShift;
        _idPages[slot >> shift][slot & ((1 << shift) - 1)] = id;
        AddToIdTable(slot, id);
        LshNode[] page = _nodePages[slot >> shift];
        int baseIndex = (slot & ((1 << shift) - 1)) * _bands;
        for (int b = 0; b < _bands; b++)
        {
            LshBandTable table = _tables[b];
            table.EnterWrite();
            try
            {
                int[] heads = table.Heads;
                ref LshNode node = ref page[baseIndex + b];
                ref int head = ref heads[(int)(keys[b] & (uint)(heads.Length - 1))];
                node.Key = keys[b];
                node.Next = head;
                head = slot;
            }
            finally
            {
                table.ExitWrite();
            }
        }
        Volatile.Write(ref _count, _count + 1);
        return true;
    }

    private int AllocateSlot()
    {
        if (_freeHead >= 0)
        {
            int free = _freeHead;
            _freeHead = NodeAt(free, 0).Next;
            return free;
        }
        int slot = _slotsUsed++;
        int page = slot >> _pageShift;
        if (page == _pageCount)
        {
            if (page == _nodePages.Length)
            {
                // New directories are published whole; readers holding the old ones still see every page they need.
                var nodePages = new LshNode[_nodePages.Length * 2][];
                var idPages = new long[_idPages.Length * 2][];
                Array.Copy(_nodePages, nodePages, _pageCount);
                Array.Copy(_idPages, idPages, _pageCount);
                Volatile.Write(ref _nodePages, nodePages);
                Volatile.Write(ref _idPages, idPages);
            }
            _nodePages[page] = new LshNode[(1 << _pageShift) * _bands];
            _idPages[page] = new long[1 << _pageShift];
            _pageCount++;
        }
        return slot;
    }

    private void GrowHeads()
    {
        int capacity = _headsCapacity * 2;
        for (int b = 0; b < _bands; b++)
        {
            LshBandTable table = _tables[b];
            var heads = new int[capacity];
            Array.Fill(heads, -1);
            table.EnterWrite();
            try
            {
                if (_freeHead < 0)
                {
                    // Every slot below _slotsUsed is live: relink them in slot order, which reads the node pages
                    // sequentially instead of chasing chains through memory (several times faster at 1 M entries).
                    for (int slot = 0; slot < _slotsUsed; slot++)
                    {
                        ref LshNode node = ref NodeAt(slot, b);
                        ref int head = ref heads[(int)(node.Key & (uint)(capacity - 1))];
                        node.Next = head;
                        head = slot;
                    }
                }
                else
                {
                    int[] old = table.Heads;
                    for (int bucket = 0; bucket < old.Length; bucket++)
                    {
                        int slot = old[bucket];
                        while (slot >= 0)
                        {
                            ref LshNode node = ref NodeAt(slot, b);
                            int next = node.Next;
                            ref int head = ref heads[(int)(node.Key & (uint)(capacity - 1))];
                            node.Next = head;
                            head = slot;
                            slot = next;
                        }
                    }
                }
                table.Heads = heads;
            }
            finally
            {
                table.ExitWrite();
            }
        }
        _headsCapacity = capacity;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref LshNode NodeAt(int slot, int band) =>
        ref _nodePages[slot >> _pageShift][((slot & ((1 << _pageShift) - 1)) * _bands) + band];

    private long IdAt(int slot) => _idPages[slot >> _pageShift][slot & ((1 << _pageShift) - 1)];

    private int IdHome(long id, int mask) => (int)(LshCandidateSet.Mix(id ^ _seed) & (uint)mask);

    private int FindIdPosition(long id)
    {
        int[] table = _idTable;
        int mask = table.Length - 1;
        int i = IdHome(id, mask);
        while (table[i] != 0)
        {
            if (IdAt(table[i] - 1) == id) return i;
            i = (i + 1) & mask;
        }
        return -1;
    }

    private void AddToIdTable(int slot, long id)
    {
        if ((_count + 1) * 2L > _idTable.Length)
        {
            int[] old = _idTable;
            _idTable = new int[old.Length * 2];
            foreach (int entry in old)
            {
                if (entry != 0) PlaceInIdTable(entry, IdAt(entry - 1));
            }
        }
        PlaceInIdTable(slot + 1, id);
    }

    private void PlaceInIdTable(int entry, long id)
    {
        int[] table = _idTable;
        int mask = table.Length - 1;
        int i = IdHome(id, mask);
        while (table[i] != 0) i = (i + 1) & mask;
        table[i] = entry;
    }

    // Backward-shift deletion (Knuth, TAOCP vol. 3, algorithm 6.4R): keeps probe chains intact without tombstones.
    private void RemoveIdAt(int position)
    {
        int[] table = _idTable;
        int mask = table.Length - 1;
        int hole = position;
        int j = position;
        while (true)
        {
            j = (j + 1) & mask;
            if (table[j] == 0) break;
            int home = IdHome(IdAt(table[j] - 1), mask);
            bool staysPut = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
            if (staysPut) continue;
            table[hole] = table[j];
            hole = j;
        }
        table[hole] = 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long BandSeed(int band) => _seed ^ (long)((ulong)(band + 1) * 0x9E3779B97F4A7C15UL);

    [SkipLocalsInit]
    private void ComputeKeys(ReadOnlySpan<uint> signature, Span<uint> keys)
    {
        int rows = _rows;
        if (!BitConverter.IsLittleEndian)
        {
            ComputeKeysBigEndian(signature, keys);
            return;
        }
        for (int b = 0; b < keys.Length; b++)
        {
            ulong hash = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(signature.Slice(b * rows, rows)), BandSeed(b));
            keys[b] = (uint)hash ^ (uint)(hash >> 32);
        }
    }

    // Same keys on every machine: hash the values as little-endian bytes.
    private void ComputeKeysBigEndian(ReadOnlySpan<uint> signature, Span<uint> keys)
    {
        int rows = _rows;
        byte[] bytes = ArrayPool<byte>.Shared.Rent(rows * sizeof(uint));
        for (int b = 0; b < keys.Length; b++)
        {
            for (int i = 0; i < rows; i++)
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i * sizeof(uint)), signature[(b * rows) + i]);
            ulong hash = XxHash3.HashToUInt64(bytes.AsSpan(0, rows * sizeof(uint)), BandSeed(b));
            keys[b] = (uint)hash ^ (uint)(hash >> 32);
        }
        ArrayPool<byte>.Shared.Return(bytes);
    }

    /// <summary>Copies the live entries in slot order: ids and their band keys (Bands per entry).</summary>
    private void Snapshot(out long[] ids, out uint[] keys)
    {
        lock (_writeLock)
        {
            var slots = new int[_count];
            int n = 0;
            foreach (int entry in _idTable)
            {
                if (entry != 0) slots[n++] = entry - 1;
            }
            Array.Sort(slots);
            ids = new long[n];
            keys = new uint[n * _bands];
            for (int i = 0; i < n; i++)
            {
                ids[i] = IdAt(slots[i]);
                for (int b = 0; b < _bands; b++) keys[(i * _bands) + b] = NodeAt(slots[i], b).Key;
            }
        }
    }

    /// <summary>
    /// Test hook: checks every invariant (each live entry is linked exactly once in the right bucket of every band,
    /// chains hold only live entries, the id table and the count agree) and throws InvalidOperationException naming
    /// the first violation. O(Count × Bands).
    /// </summary>
    internal void CheckConsistency()
    {
        lock (_writeLock)
        {
            var live = new Dictionary<int, long>();
            foreach (int entry in _idTable)
            {
                if (entry == 0) continue;
                int slot = entry - 1;
                if (!live.TryAdd(slot, IdAt(slot))) LshThrow.InvalidOperation($"Slot {slot} appears twice in the id table.");
                if (FindIdPosition(IdAt(slot)) < 0) LshThrow.InvalidOperation($"Id {IdAt(slot)} is in the id table but cannot be found.");
            }
            if (live.Count != _count) LshThrow.InvalidOperation($"Id table holds {live.Count} entries but Count is {_count}.");
            for (int b = 0; b < _bands; b++)
            {
                int[] heads = _tables[b].Heads;
                if (heads.Length != _headsCapacity) LshThrow.InvalidOperation($"Band {b} has {heads.Length} buckets, expected {_headsCapacity}.");
                var seen = new HashSet<int>();
                for (int bucket = 0; bucket < heads.Length; bucket++)
                {
                    for (int slot = heads[bucket]; slot >= 0; slot = NodeAt(slot, b).Next)
                    {
                        if (!live.ContainsKey(slot)) LshThrow.InvalidOperation($"Band {b} links slot {slot}, which holds no live entry.");
                        if (!seen.Add(slot)) LshThrow.InvalidOperation($"Band {b} links slot {slot} twice (or has a cycle).");
                        if ((NodeAt(slot, b).Key & (uint)(heads.Length - 1)) != bucket) LshThrow.InvalidOperation($"Band {b}: slot {slot} is in the wrong bucket.");
                    }
                }
                if (seen.Count != _count) LshThrow.InvalidOperation($"Band {b} links {seen.Count} entries but Count is {_count}.");
            }
        }
    }

    private static int CeilingLog2(int value) => value <= 1 ? 0 : 32 - int.LeadingZeroCount(value - 1);
}
