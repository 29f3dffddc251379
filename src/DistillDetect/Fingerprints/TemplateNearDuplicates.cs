using System.Buffers.Binary;
using System.IO.Hashing;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DistillDetect.Fingerprints;

/// <summary>
/// The near-duplicate memory of a <see cref="TemplateIndex"/>: the signatures of the last <c>capacity</c>
/// entries in a ring (first in, first out), banded for LSH (Leskovec, Rajaraman, Ullman, ch. 3.4) and
/// verified with the signature estimate. One instance holds founding prompts, another segment sketches.
/// </summary>
/// <remarks>
/// <para><b>Why not <see cref="LshIndex"/>.</b> The ring has a fixed capacity and its entry ids are ring
/// positions, so the general index's id table, id pages, growth and per-query candidate set are pure
/// overhead on the request path, where most of the cost is touching candidates: here bucket heads are
/// allocated once, a chain node is one 8-byte read, and a candidate is verified as soon as it is met. A
/// slot met in several bands is verified once: it is skipped when an earlier band of the query already
/// matched it, which its neighbouring band keys tell without a hash set.</para>
/// <para><b>Threads.</b> Adds are serialized by the caller (the index's founding or sketch lock). Queries
/// take no lock and run concurrently with an add: bucket heads and links are published with volatile
/// writes after the node is filled; a slot being reused is recognized by its sequence number, read before
/// and after its signature (a seqlock), so a query may miss or skip the one entry being replaced but never
/// reports a torn one as verified unless it matched both before and after. A query walking a node that is
/// relinked into another chain at that moment may go on in that chain (spurious candidates are verified and
/// so harmless; the walk is bounded by the capacity).</para>
/// <para><b>The compact copy.</b> A chain is a pointer chase, and popular band keys (sentences share their common
/// words) make chains of hundreds of nodes, one cache miss each. So every capacity / 16 adds the writer copies every
/// entry's (band key, slot) per band into contiguous buckets (a counting sort); a query reads those buckets for the
/// entries older than the copy and walks the chains only over the entries added since, which head every chain. The
/// copy is rewritten in place under a sequence lock: a query that overlaps a rebuild walks the whole chains instead,
/// and a slot reused since the copy was made is skipped there (its new entry is in the chains).</para>
/// <para><b>Memory.</b> Per slot: 5 * hashCount B of signature and its low bytes, 16 B of sequence and value,
/// 12 B per band of chain node and predecessor, 8 B per band of compact copy, plus per band and slot (capacity
/// rounded up to a power of two) a 4-byte bucket head and a 4-byte compact bucket offset, all allocated at
/// construction.</para>
/// </remarks>
internal sealed class TemplateNearDuplicates
{
    private readonly int _capacity;
    private readonly int _hashCount;
    private readonly int _bands;
    private readonly int _rows;
    private readonly int _headMask;
    private readonly int _needed;
    private readonly long _seed;
    private readonly uint[] _signatures;
    private readonly byte[] _lowBytes;
    private readonly Entry[] _entries;
    private readonly LshNode[] _nodes;
    private readonly int[] _heads;
    private readonly int[] _previous;
    private long _next;
    // The compact copy: band b's bucket k holds the (key, slot) items of the entries older than _compactEnd in
    // _compactItems[_compactOffsets[b * heads + k] .. _compactOffsets[b * heads + k + 1]). Rewritten every
    // _rebuildEvery adds under a sequence lock (_compactVersion odd while it is written).
    private readonly int[] _compactOffsets;
    private readonly ulong[] _compactItems;
    private readonly int _rebuildEvery;
    private long _compactEnd;
    private int _compactVersion;

    /// <param name="capacity">Entries remembered (at least 1).</param>
    /// <param name="hashCount">Signature length.</param>
    /// <param name="threshold">Estimated Jaccard at or above which an entry matches.</param>
    /// <param name="seed">Seed of the band keys.</param>
    /// <param name="banding">Bands and rows per band; Bands × RowsPerBand ≤ <paramref name="hashCount"/>.</param>
    public TemplateNearDuplicates(int capacity, int hashCount, double threshold, long seed, LshParameters banding)
    {
        _capacity = capacity;
        _hashCount = hashCount;
        // Equal positions needed: the smallest count whose estimate (count / hashCount) reaches the threshold.
        int needed = 0;
        while (needed < hashCount && (double)needed / hashCount < threshold) needed++;
        _needed = needed;
        _seed = seed;
        _bands = banding.Bands;
        _rows = banding.RowsPerBand;
        int heads = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(capacity, 16));
        _headMask = heads - 1;
        _signatures = new uint[(long)capacity * hashCount];
        _lowBytes = new byte[(long)capacity * hashCount];
        _entries = new Entry[capacity];
        foreach (ref Entry e in _entries.AsSpan()) e.Sequence = -1;
        _nodes = new LshNode[(long)capacity * _bands];
        _previous = new int[(long)capacity * _bands];
        _heads = new int[(long)heads * _bands];
        _heads.AsSpan().Fill(-1);
        _compactOffsets = new int[((long)heads * _bands) + 2];
        _compactItems = new ulong[(long)capacity * _bands];
        _rebuildEvery = Math.Max(MinRebuildEvery, capacity / RebuildFraction);
    }

    /// <summary>The compact copy is rebuilt every capacity / this adds: the chains a query walks hold about that share of the entries.</summary>
    private const int RebuildFraction = 16;

    /// <summary>Fewest adds between two rebuilds of the compact copy.</summary>
    private const int MinRebuildEvery = 8;

    /// <summary>
    /// The banding of the founding-prompt memory: the most rows per band r for which floor(k / r) bands of r
    /// rows still give a candidate probability of at least 0.9 at the threshold (at least 1 row). For the
    /// defaults (J = 0.5, 64 hashes) that is 21 bands of 3 rows: P(candidate) = 0.939 at J = 0.5, 0.994 at
    /// J = 0.6, 0.155 at J = 0.2 and 0.021 at J = 0.1 (11 bands of 2 rows, the 95 % choice, gave 0.958, 0.993,
    /// 0.362 and 0.105: every unique prompt then dragged hundreds of unrelated founders through verification).
    /// A threshold of 1 gets one band of all values: only identical signatures are candidates.
    /// </summary>
    public static LshParameters FounderBanding(double threshold, int hashCount)
    {
        if (threshold >= 1) return new LshParameters(1, hashCount);
        for (int rows = hashCount; rows > 1; rows--)
        {
            var p = new LshParameters(hashCount / rows, rows);
            if (p.CandidateProbability(threshold) >= 0.9) return p;
        }
        return new LshParameters(hashCount, 1);
    }

    /// <summary>Sequence number the next add gets; entries <c>[Next - capacity, Next)</c> may be present.</summary>
    public long Next => Volatile.Read(ref _next);

    public int Capacity => _capacity;

    /// <summary>The banding in use.</summary>
    public LshParameters Banding => new(_bands, _rows);

    /// <summary>Remembers an entry, forgetting the oldest when full. Callers serialize adds.</summary>
    [SkipLocalsInit]
    public void Add(ReadOnlySpan<uint> signature, long value)
    {
        Span<uint> keys = stackalloc uint[_bands];
        ComputeKeys(signature, keys);
        Add(signature, value, keys);
    }

    /// <summary>Remembers an entry whose band keys the caller computed with <see cref="ComputeKeys"/> (outside its lock). Callers serialize adds.</summary>
    public void Add(ReadOnlySpan<uint> signature, long value, ReadOnlySpan<uint> keys)
    {
        int bands = _bands;
        long sequence = _next;
        int slot = (int)(sequence % _capacity);
        ref Entry entry = ref _entries[slot];
        int nodeBase = slot * bands;
        if (entry.Sequence >= 0)
        {
            Volatile.Write(ref entry.Sequence, -1);
            for (int b = 0; b < bands; b++) Unlink(slot, b);
        }
        signature.CopyTo(_signatures.AsSpan(slot * _hashCount, _hashCount));
        Span<byte> low = _lowBytes.AsSpan(slot * _hashCount, _hashCount);
        for (int i = 0; i < low.Length; i++) low[i] = (byte)signature[i];
        entry.Value = value;
        Volatile.Write(ref entry.Sequence, sequence);
        for (int b = 0; b < bands; b++)
        {
            ref int head = ref _heads[(b * (_headMask + 1)) + (int)(keys[b] & (uint)_headMask)];
            ref LshNode node = ref _nodes[nodeBase + b];
            node.Key = keys[b];
            _previous[nodeBase + b] = -1;
            if (head >= 0) _previous[(head * bands) + b] = slot;
            Volatile.Write(ref node.Next, head);
            Volatile.Write(ref head, slot);
        }
        Volatile.Write(ref _next, sequence + 1);
        if (sequence + 1 - _compactEnd >= _rebuildEvery) RebuildCompact();
    }

    /// <summary>
    /// Rewrites the compact copy from the chains' nodes: every present entry's (band key, slot) per band, grouped by
    /// bucket (a counting sort, O(capacity * bands)). Readers that overlap it see the version change and walk the chains.
    /// </summary>
    private void RebuildCompact()
    {
        int bands = _bands;
        int heads = _headMask + 1;
        uint mask = (uint)_headMask;
        int[] offsets = _compactOffsets;
        ulong[] items = _compactItems;
        Interlocked.Increment(ref _compactVersion);
        long end = _next;
        long start = Math.Max(0, end - _capacity);
        Array.Clear(offsets);
        for (long s = start; s < end; s++)
        {
            int slot = (int)(s % _capacity);
            if (_entries[slot].Sequence != s) continue;
            for (int b = 0; b < bands; b++) offsets[(b * heads) + (int)(_nodes[(slot * bands) + b].Key & mask) + 2]++;
        }
        for (int i = 1; i < offsets.Length; i++) offsets[i] += offsets[i - 1];
        // offsets[i + 1] is now bucket i's start; placing each item advances it to the bucket's end, which is where
        // bucket i + 1 starts: afterwards bucket i spans offsets[i] .. offsets[i + 1].
        for (long s = start; s < end; s++)
        {
            int slot = (int)(s % _capacity);
            if (_entries[slot].Sequence != s) continue;
            for (int b = 0; b < bands; b++)
            {
                uint key = _nodes[(slot * bands) + b].Key;
                items[offsets[(b * heads) + (int)(key & mask) + 1]++] = ((ulong)key << 32) | (uint)slot;
            }
        }
        Volatile.Write(ref _compactEnd, end);
        Interlocked.Increment(ref _compactVersion);
    }

    /// <summary>
    /// Removes <paramref name="slot"/> from band <paramref name="band"/>'s chain in O(1): the writer keeps each node's
    /// predecessor (-1 for the head), because the slot being replaced is the oldest and so sits at the tail of every
    /// chain it is in, and popular band keys make long chains. Its own link is kept, so a query standing on it goes on.
    /// </summary>
    private void Unlink(int slot, int band)
    {
        int bands = _bands;
        int at = (slot * bands) + band;
        ref LshNode node = ref _nodes[at];
        int previous = _previous[at];
        int next = node.Next;
        if (previous < 0) Volatile.Write(ref _heads[(band * (_headMask + 1)) + (int)(node.Key & (uint)_headMask)], next);
        else Volatile.Write(ref _nodes[(previous * bands) + band].Next, next);
        if (next >= 0) _previous[(next * bands) + band] = previous;
    }

    /// <summary>
    /// The value (template id, or segment key) of the most similar remembered entry at or above the
    /// threshold, else 0; entries whose value is <paramref name="exclude"/> are skipped. Highest estimate
    /// wins; equal estimates go to the smaller value, so the answer does not depend on the order candidates
    /// are met in. Allocates nothing; takes no lock.
    /// </summary>
    /// <remarks>
    /// Entries older than the compact copy's end are read from the copy (contiguous buckets, no pointer chase); the
    /// chains are walked only over the entries added since, which come first in every chain (chains run newest
    /// first). A query that overlaps a rebuild of the copy, or meets a copy too far behind, walks the whole chains.
    /// </remarks>
    [SkipLocalsInit]
    public long FindTemplate(ReadOnlySpan<uint> signature, long exclude = 0)
    {
        Span<uint> keys = stackalloc uint[_bands];
        ComputeKeys(signature, keys);
        Span<byte> queryLow = stackalloc byte[_hashCount];
        for (int i = 0; i < queryLow.Length; i++) queryLow[i] = (byte)signature[i];
        Span<int> batch = stackalloc int[VerifyBatch];

        int version = Volatile.Read(ref _compactVersion);
        if ((version & 1) == 0)
        {
            long compactEnd = Volatile.Read(ref _compactEnd);
            var best = new Best(_needed);
            if (WalkChains(signature, queryLow, keys, exclude, compactEnd, batch, ref best, out long limit)
                && SearchCompact(signature, queryLow, keys, exclude, compactEnd, limit, batch, ref best))
            {
                // A sequence lock: the copy was read whole only if no rebuild began meanwhile.
                Interlocked.MemoryBarrier();
                if (Volatile.Read(ref _compactVersion) == version) return best.Value;
            }
        }
        var all = new Best(_needed);
        WalkChains(signature, queryLow, keys, exclude, compactEnd: -1, batch, ref all, out _);
        return all.Value;
    }

    /// <summary>
    /// Walks every band's chain from its head, verifying the nodes that carry the query's band key. With
    /// <paramref name="compactEnd"/> &gt;= 0 a walk stops at the first entry older than it (those are in the compact
    /// copy) and <paramref name="limit"/> is the end of the entries counted as newer; false when that span is too
    /// long to tell slots apart (the caller walks the whole chains). With -1 the chains are walked to their ends.
    /// </summary>
    private bool WalkChains(ReadOnlySpan<uint> signature, ReadOnlySpan<byte> queryLow, ReadOnlySpan<uint> keys, long exclude,
        long compactEnd, Span<int> batch, ref Best best, out long limit)
    {
        int bands = _bands;
        int headStride = _headMask + 1;
        uint headMask = (uint)_headMask;
        LshNode[] nodes = _nodes;
        int[] heads = _heads;

        // Memory-level parallelism: a chain walk is a pointer chase (each node's address is in the node before it),
        // and popular band keys make chains of hundreds of nodes, so the chains of all bands are walked together,
        // one node of each per round, with the next node of each prefetched: the misses of different chains
        // overlap instead of queuing. The answer does not depend on the order candidates are met in.
        Span<int> cursors = stackalloc int[bands];
        Span<int> cursorBands = stackalloc int[bands];
        Span<int> guards = stackalloc int[bands];
        int active = 0;
        for (int b = 0; b < bands; b++)
        {
            int start = Volatile.Read(ref heads[(b * headStride) + (int)(keys[b] & headMask)]);
            if (start < 0) continue;
            cursors[active] = start;
            cursorBands[active] = b;
            // A walk is bounded by the capacity (a query may follow a node relinked into another chain).
            guards[active] = _capacity;
            active++;
        }

        // Newer than the copy: the ring slots of sequences [compactEnd, limit). Read after the heads, so every head
        // (its add published the head before the ring's end) is below it; + 1 covers an add under way.
        limit = Volatile.Read(ref _next) + 1;
        bool stopAtCopy = compactEnd >= 0;
        int recentFrom = 0;
        int recentSpan = 0;
        if (stopAtCopy)
        {
            if (limit - compactEnd >= _capacity) return false;
            recentFrom = (int)(compactEnd % _capacity);
            recentSpan = (int)(limit - compactEnd);
        }
        if (Sse.IsSupported) PrefetchNodes(cursors[..active], cursorBands[..active]);

        int pending = 0;
        while (active > 0)
        {
            for (int a = 0; a < active;)
            {
                int b = cursorBands[a];
                int slot = cursors[a];
                bool go = !stopAtCopy || IsRecent(slot, recentFrom, recentSpan);
                int next = -1;
                if (go)
                {
                    int nodeBase = slot * bands;
                    ref LshNode node = ref nodes[nodeBase + b];
                    next = Volatile.Read(ref node.Next);
                    if (node.Key == keys[b] && !MatchedEarlier(nodes, nodeBase, keys, b))
                    {
                        batch[pending++] = slot;
                        if (pending == VerifyBatch)
                        {
                            Verify(signature, queryLow, batch, exclude, long.MaxValue, ref best);
                            pending = 0;
                        }
                    }
                }
                if (next >= 0 && --guards[a] > 0)
                {
                    cursors[a] = next;
                    if (Sse.IsSupported) PrefetchNode(nodes, next * bands, b);
                    a++;
                }
                else
                {
                    // This band's chain is done: the last active walk takes its place.
                    active--;
                    cursors[a] = cursors[active];
                    cursorBands[a] = cursorBands[active];
                    guards[a] = guards[active];
                }
            }
        }
        if (pending > 0) Verify(signature, queryLow, batch[..pending], exclude, long.MaxValue, ref best);
        return true;
    }

    /// <summary>Whether a ring slot is one of the <paramref name="recentSpan"/> slots from <paramref name="recentFrom"/> on (wrapping).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool IsRecent(int slot, int recentFrom, int recentSpan)
    {
        int d = slot - recentFrom;
        return (d < 0 ? d + _capacity : d) < recentSpan;
    }

    /// <summary>Capacities up to this many slots get a bit set of the slots already met (a stack bitmap of at most 8 KB).</summary>
    private const int MaxSeenBits = 1 << 16;

    /// <summary>
    /// Verifies the compact copy's items that carry the query's band keys, skipping slots reused since the copy was
    /// made (and any entry not older than it). False when the copy's offsets read torn (a rebuild is under way).
    /// </summary>
    [SkipLocalsInit]
    private bool SearchCompact(ReadOnlySpan<uint> signature, ReadOnlySpan<byte> queryLow, ReadOnlySpan<uint> keys, long exclude,
        long compactEnd, long limit, Span<int> batch, ref Best best)
    {
        if (compactEnd == 0) return true;
        int capacity = _capacity;
        int heads = _headMask + 1;
        uint mask = (uint)_headMask;
        int[] offsets = _compactOffsets;
        ulong[] items = _compactItems;
        // Skipped: the slots of sequences [compactEnd, limit - 1), reused since the copy was made. Not the slot of
        // limit - 1: it still holds the oldest entry unless an add is under way, which the sequence check tells.
        int recentFrom = (int)(compactEnd % capacity);
        int recentSpan = (int)(limit - 1 - compactEnd);
        // A slot is met once per band it shares with the query; the bit set verifies it once.
        Span<ulong> seen = capacity <= MaxSeenBits ? stackalloc ulong[(capacity + 63) >> 6] : default;
        seen.Clear();
        // Each band's bucket bounds and first items are cache misses: all of them are requested before any is used.
        int bands = keys.Length;
        Span<int> starts = stackalloc int[bands];
        Span<int> ends = stackalloc int[bands];
        for (int b = 0; b < bands; b++)
        {
            starts[b] = (b * heads) + (int)(keys[b] & mask);
            if (Sse.IsSupported) Prefetch(offsets, starts[b]);
        }
        for (int b = 0; b < bands; b++)
        {
            int at = starts[b];
            int from = Volatile.Read(ref offsets[at]);
            int to = Volatile.Read(ref offsets[at + 1]);
            if ((uint)from > (uint)items.Length || (uint)to > (uint)items.Length || to < from) return false;
            starts[b] = from;
            ends[b] = to;
            if (Sse.IsSupported && from < to) Prefetch(items, from);
        }
        int pending = 0;
        for (int b = 0; b < bands; b++)
        {
            ulong key = keys[b];
            for (int i = starts[b]; i < ends[b]; i++)
            {
                ulong item = items[i];
                if ((item >> 32) != key) continue;
                int slot = (int)(uint)item;
                if ((uint)slot >= (uint)capacity || IsRecent(slot, recentFrom, recentSpan)) continue;
                if (!seen.IsEmpty)
                {
                    ref ulong word = ref seen[slot >> 6];
                    ulong bit = 1UL << slot;
                    if ((word & bit) != 0) continue;
                    word |= bit;
                }
                batch[pending++] = slot;
                if (pending == VerifyBatch)
                {
                    Verify(signature, queryLow, batch, exclude, compactEnd, ref best);
                    pending = 0;
                }
            }
        }
        if (pending > 0) Verify(signature, queryLow, batch[..pending], exclude, compactEnd, ref best);
        return true;
    }

    /// <summary>Candidates collected before they are verified together.</summary>
    private const int VerifyBatch = 64;

    /// <summary>The best match so far: equal positions (at least the threshold's) and its value; 0 when none.</summary>
    private struct Best(int needed)
    {
        public int Equal = needed;
        public long Value;
        public bool Found;
    }

    /// <summary>Verifies a batch of candidate slots; entries with a sequence at or above <paramref name="below"/> are skipped.</summary>
    private void Verify(ReadOnlySpan<uint> signature, ReadOnlySpan<byte> queryLow, Span<int> batch, long exclude, long below, ref Best best)
    {
        int hashCount = _hashCount;
        byte[] lowBytes = _lowBytes;
        if (Sse.IsSupported) PrefetchLowBytes(batch);
        // Equal values have equal low bytes, so fewer equal low bytes than the best so far rules a candidate out
        // exactly, from one cache line instead of the whole signature (most candidates are far below).
        int kept = 0;
        foreach (int slot in batch)
        {
            if (CountEqualBytes(queryLow, lowBytes.AsSpan(slot * hashCount, hashCount)) >= best.Equal) batch[kept++] = slot;
        }
        Entry[] entries = _entries;
        uint[] signatures = _signatures;
        foreach (int slot in batch[..kept])
        {
            ref Entry entry = ref entries[slot];
            long sequence = Volatile.Read(ref entry.Sequence);
            long value = entry.Value;
            if (sequence < 0 || sequence >= below || (value == exclude && exclude != 0)) continue;
            int equal = MinHashSignature.CountEqual(signature, signatures.AsSpan(slot * hashCount, hashCount), 512);
            if ((equal > best.Equal || (equal == best.Equal && (!best.Found || value < best.Value)))
                && Volatile.Read(ref entry.Sequence) == sequence)
            {
                best.Equal = equal;
                best.Value = value;
                best.Found = true;
            }
        }
    }

    private void PrefetchNodes(ReadOnlySpan<int> slots, ReadOnlySpan<int> slotBands)
    {
        LshNode[] nodes = _nodes;
        int bands = _bands;
        for (int a = 0; a < slots.Length; a++) Prefetch(nodes, (slots[a] * bands) + slotBands[a]);
    }

    /// <summary>Prefetches a chain node and the start of its slot's nodes (read by <see cref="MatchedEarlier"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchNode(LshNode[] nodes, int nodeBase, int band)
    {
        Prefetch(nodes, nodeBase + band);
        if (band > 0) Prefetch(nodes, nodeBase);
    }

    /// <summary>Requests the cache line of one array element (callers check <see cref="Sse.IsSupported"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Prefetch<T>(T[] array, int index) where T : unmanaged => Sse.Prefetch0(Unsafe.AsPointer(ref array[index]));

    private void PrefetchLowBytes(ReadOnlySpan<int> slots)
    {
        byte[] lowBytes = _lowBytes;
        int hashCount = _hashCount;
        foreach (int slot in slots) Prefetch(lowBytes, slot * hashCount);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int CountEqualBytes(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        ref byte ra = ref MemoryMarshal.GetReference(a);
        ref byte rb = ref MemoryMarshal.GetReference(b);
        int n = a.Length;
        int i = 0;
        int count = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 32 <= n; i += 32)
                count += BitOperations.PopCount(Vector256.Equals(Vector256.LoadUnsafe(ref ra, (nuint)i), Vector256.LoadUnsafe(ref rb, (nuint)i)).ExtractMostSignificantBits());
        }
        for (; i < n; i++) count += Unsafe.Add(ref ra, i) == Unsafe.Add(ref rb, i) ? 1 : 0;
        return count;
    }

    /// <summary>Whether an earlier band of the query already met this slot (so it was verified there).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool MatchedEarlier(LshNode[] nodes, int nodeBase, ReadOnlySpan<uint> keys, int band)
    {
        for (int e = 0; e < band; e++)
        {
            if (nodes[nodeBase + e].Key == keys[e]) return true;
        }
        return false;
    }

    /// <summary>The remembered entries oldest first: (value, ring slot) pairs; read signatures with <see cref="SignatureAt"/>.</summary>
    public List<(long Template, int Slot)> Entries()
    {
        var entries = new List<(long, int)>();
        long end = _next;
        for (long s = Math.Max(0, end - _capacity); s < end; s++)
        {
            int slot = (int)(s % _capacity);
            if (_entries[slot].Sequence == s) entries.Add((_entries[slot].Value, slot));
        }
        return entries;
    }

    public ReadOnlySpan<uint> SignatureAt(int slot) => _signatures.AsSpan(slot * _hashCount, _hashCount);

    /// <summary>32-bit band keys (one per band, <paramref name="keys"/> has <see cref="Banding"/>.Bands values): XxHash3 of each band's values as little-endian bytes, seeded per band.</summary>
    [SkipLocalsInit]
    public void ComputeKeys(ReadOnlySpan<uint> signature, Span<uint> keys)
    {
        int rows = _rows;
        Span<uint> band = stackalloc uint[rows];
        for (int b = 0; b < keys.Length; b++)
        {
            scoped ReadOnlySpan<uint> values = signature.Slice(b * rows, rows);
            if (!BitConverter.IsLittleEndian)
            {
                for (int i = 0; i < rows; i++) band[i] = BinaryPrimitives.ReverseEndianness(values[i]);
                values = band;
            }
            ulong hash = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(values), _seed ^ (long)((ulong)(b + 1) * 0x9E3779B97F4A7C15UL));
            keys[b] = (uint)hash ^ (uint)(hash >> 32);
        }
    }

    private struct Entry
    {
        public long Sequence;
        public long Value;
    }
}
