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
/// <para><b>Memory.</b> Per slot: 5 * hashCount B of signature and its low bytes, 16 B of sequence and value,
/// 12 B per band of chain node and predecessor, plus one 4-byte bucket head per band and slot (capacity rounded up to a power of two), all
/// allocated at construction.</para>
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
    }

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
    [SkipLocalsInit]
    public long FindTemplate(ReadOnlySpan<uint> signature, long exclude = 0)
    {
        int bands = _bands;
        Span<uint> keys = stackalloc uint[bands];
        ComputeKeys(signature, keys);
        int hashCount = _hashCount;
        Span<byte> queryLow = stackalloc byte[hashCount];
        for (int i = 0; i < queryLow.Length; i++) queryLow[i] = (byte)signature[i];

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
        if (Sse.IsSupported) PrefetchNodes(cursors[..active], cursorBands[..active]);

        Span<int> batch = stackalloc int[VerifyBatch];
        int pending = 0;
        var best = new Best(_needed);
        while (active > 0)
        {
            for (int a = 0; a < active;)
            {
                int b = cursorBands[a];
                int nodeBase = cursors[a] * bands;
                ref LshNode node = ref nodes[nodeBase + b];
                int next = Volatile.Read(ref node.Next);
                if (node.Key == keys[b] && !MatchedEarlier(nodes, nodeBase, keys, b))
                {
                    batch[pending++] = cursors[a];
                    if (pending == VerifyBatch)
                    {
                        Verify(signature, queryLow, batch, exclude, ref best);
                        pending = 0;
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
        if (pending > 0) Verify(signature, queryLow, batch[..pending], exclude, ref best);
        return best.Value;
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

    private void Verify(ReadOnlySpan<uint> signature, ReadOnlySpan<byte> queryLow, Span<int> batch, long exclude, ref Best best)
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
            if (sequence < 0 || (value == exclude && exclude != 0)) continue;
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

    private unsafe void PrefetchNodes(ReadOnlySpan<int> slots, ReadOnlySpan<int> slotBands)
    {
        LshNode[] nodes = _nodes;
        int bands = _bands;
        for (int a = 0; a < slots.Length; a++) Sse.Prefetch0(Unsafe.AsPointer(ref nodes[(slots[a] * bands) + slotBands[a]]));
    }

    /// <summary>Prefetches a chain node and the start of its slot's nodes (read by <see cref="MatchedEarlier"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void PrefetchNode(LshNode[] nodes, int nodeBase, int band)
    {
        Sse.Prefetch0(Unsafe.AsPointer(ref nodes[nodeBase + band]));
        if (band > 0) Sse.Prefetch0(Unsafe.AsPointer(ref nodes[nodeBase]));
    }

    private unsafe void PrefetchLowBytes(ReadOnlySpan<int> slots)
    {
        byte[] lowBytes = _lowBytes;
        int hashCount = _hashCount;
        foreach (int slot in slots) Sse.Prefetch0(Unsafe.AsPointer(ref lowBytes[slot * hashCount]));
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
