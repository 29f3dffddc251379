using System.Numerics;

namespace DistillDetect.Fingerprints;

/// <summary>One tracked segment: its support and the template that owns it.</summary>
internal struct TemplateSegment
{
    /// <summary>64-bit hash of the normalized, number-masked segment text; 0 marks an empty slot.</summary>
    public ulong Key;
    /// <summary>The template the segment was first recorded for (or taken over by when that one was evicted).</summary>
    public long Owner;
    /// <summary>Assignment sequence number of the latest prompt that contained the segment.</summary>
    public long LastSeen;
    /// <summary>Distinct prompts that contained the segment.</summary>
    public int Support;
    /// <summary>Prompts of <see cref="Owner"/> that contained the segment.</summary>
    public int OwnerCount;
    /// <summary>Words in the normalized segment.</summary>
    public int Words;
}

/// <summary>
/// A bounded hash table of segments, striped: 64 independent open-addressing tables (linear probing)
/// each behind its own short lock, so concurrent <see cref="TemplateIndex"/> callers rarely meet.
/// No allocation per lookup or update.
/// </summary>
/// <remarks>
/// Eviction: when a stripe reaches its share of the cap, the quarter of its entries with the lowest
/// support is dropped, oldest first among equal support (least-used first). A segment of a large
/// template has a large support, so it goes last. Entries are deleted in place (backward shift), with
/// ranking scratch arrays allocated once per stripe at its first eviction.
/// </remarks>
internal sealed class TemplateSegmentTable
{
    private const int StripeBits = 6;
    private const int StripeCount = 1 << StripeBits;
    private readonly Stripe[] _stripes;

    public TemplateSegmentTable(int maxSegments)
    {
        MaxSegments = maxSegments;
        int perStripe = Math.Max(16, maxSegments / StripeCount);
        int capacity = (int)BitOperations.RoundUpToPowerOf2((uint)(perStripe + perStripe / 3 + 1));
        _stripes = new Stripe[StripeCount];
        for (int i = 0; i < StripeCount; i++) _stripes[i] = new Stripe(capacity, perStripe);
    }

    public int MaxSegments { get; }

    /// <summary>Number of segments tracked (a moment's snapshot under concurrent updates).</summary>
    public int Count
    {
        get
        {
            int total = 0;
            foreach (Stripe s in _stripes) total += Volatile.Read(ref s.Count);
            return total;
        }
    }

    /// <summary>0 marks an empty slot, so a (rare) zero hash is stored as 1.</summary>
    internal static ulong Fix(ulong key) => key == 0 ? 1 : key;

    private Stripe StripeOf(ulong key) => _stripes[(int)(key >> (64 - StripeBits))];

    public bool TryGet(ulong key, out TemplateSegment segment)
    {
        key = Fix(key);
        Stripe stripe = StripeOf(key);
        lock (stripe.Gate)
        {
            int i = stripe.Find(key);
            if (i >= 0)
            {
                segment = stripe.Slots[i];
                return true;
            }
        }
        segment = default;
        return false;
    }

    /// <summary>How <see cref="Record"/> may move a segment to the recording template.</summary>
    public enum Claim : byte
    {
        /// <summary>Keep the current owner.</summary>
        None,
        /// <summary>
        /// Take over and count support afresh, as for a new segment: the owner was evicted, or the segment is not
        /// core for its owner and a new template founded on it. The support so far counted the prompts of a template
        /// that is gone, or of other groups; kept, it would outweigh the new owner's count for good, the segment
        /// would never be core again, and every later prompt containing it would found a template of its own.
        /// </summary>
        Afresh,
        /// <summary>The segment is core for a template that was folded into the recording one: move it with its counts.</summary>
        Folded,
    }

    /// <summary>
    /// Records that a prompt assigned to <paramref name="template"/> contained the segment.
    /// <paramref name="claim"/> says whether ownership moves to that template.
    /// </summary>
    /// <returns>The segment's owner count for <paramref name="template"/> after the update (0 when another template owns it).</returns>
    public int Record(ulong key, int words, long template, long order, Claim claim)
    {
        key = Fix(key);
        Stripe stripe = StripeOf(key);
        lock (stripe.Gate)
        {
            int i = stripe.Find(key);
            if (i >= 0)
            {
                ref TemplateSegment s = ref stripe.Slots[i];
                if (s.Support < int.MaxValue) s.Support++;
                if (order > s.LastSeen) s.LastSeen = order;
                if (s.Owner == template)
                {
                    if (s.OwnerCount < int.MaxValue) s.OwnerCount++;
                    return s.OwnerCount;
                }
                if (claim == Claim.Folded)
                {
                    s.Owner = template;
                    if (s.OwnerCount < int.MaxValue) s.OwnerCount++;
                    return s.OwnerCount;
                }
                if (claim == Claim.Afresh)
                {
                    s.Owner = template;
                    s.OwnerCount = 1;
                    s.Support = 1;
                    return 1;
                }
                return 0;
            }
            stripe.Add(new TemplateSegment { Key = key, Owner = template, LastSeen = order, Support = 1, OwnerCount = 1, Words = words });
            return 1;
        }
    }

    /// <summary>
    /// Combines a segment from another index (its owner already mapped to this index's ids). As in
    /// <see cref="Record"/>, the prompts of an evicted template do not count against a live owner: a side whose
    /// owner is gone adds nothing but its last sighting, and a live owner replaces a dead one with its own counts.
    /// </summary>
    public void Merge(in TemplateSegment other, Func<long, bool> isAlive)
    {
        ulong key = Fix(other.Key);
        Stripe stripe = StripeOf(key);
        lock (stripe.Gate)
        {
            int i = stripe.Find(key);
            if (i < 0)
            {
                TemplateSegment copy = other;
                copy.Key = key;
                stripe.Add(copy);
                return;
            }
            ref TemplateSegment s = ref stripe.Slots[i];
            if (s.Owner == other.Owner)
            {
                s.Support = (int)Math.Min(int.MaxValue, (long)s.Support + other.Support);
                s.OwnerCount = (int)Math.Min(int.MaxValue, (long)s.OwnerCount + other.OwnerCount);
            }
            else if (!isAlive(s.Owner))
            {
                if (isAlive(other.Owner)) (s.Owner, s.OwnerCount, s.Support) = (other.Owner, other.OwnerCount, other.Support);
            }
            else if (isAlive(other.Owner))
            {
                s.Support = (int)Math.Min(int.MaxValue, (long)s.Support + other.Support);
                if (other.OwnerCount > s.OwnerCount) (s.Owner, s.OwnerCount) = (other.Owner, other.OwnerCount);
            }
            s.LastSeen = Math.Max(s.LastSeen, other.LastSeen);
        }
    }

    /// <summary>Adds a segment read from a serialized state (no merge, no eviction beyond the cap rule).</summary>
    public void Load(in TemplateSegment segment)
    {
        ulong key = Fix(segment.Key);
        Stripe stripe = StripeOf(key);
        lock (stripe.Gate)
        {
            if (stripe.Find(key) >= 0) TemplateThrow.InvalidState($"segment 0x{key:X16} appears twice.");
            TemplateSegment copy = segment;
            copy.Key = key;
            stripe.Add(copy);
        }
    }

    /// <summary>Copies every tracked segment (each stripe read under its lock).</summary>
    public List<TemplateSegment> Snapshot()
    {
        var all = new List<TemplateSegment>(Count);
        foreach (Stripe stripe in _stripes)
        {
            lock (stripe.Gate)
            {
                foreach (ref readonly TemplateSegment s in stripe.Slots.AsSpan())
                {
                    if (s.Key != 0) all.Add(s);
                }
            }
        }
        return all;
    }

    private sealed class Stripe
    {
        public readonly Lock Gate = new();
        public TemplateSegment[] Slots;
        public int Count;
        private readonly int _maxCount;
        private long[]? _ranks;
        private ulong[]? _keys;

        public Stripe(int capacity, int maxCount)
        {
            Slots = new TemplateSegment[capacity];
            _maxCount = maxCount;
        }

        public int Find(ulong key)
        {
            TemplateSegment[] slots = Slots;
            int mask = slots.Length - 1;
            int i = (int)key & mask;
            while (true)
            {
                ulong k = slots[i].Key;
                if (k == key) return i;
                if (k == 0) return -1;
                i = (i + 1) & mask;
            }
        }

        public void Add(in TemplateSegment segment)
        {
            if (Count >= _maxCount) Evict();
            Insert(Slots, segment);
            Volatile.Write(ref Count, Count + 1);
        }

        private static void Insert(TemplateSegment[] slots, in TemplateSegment segment)
        {
            int mask = slots.Length - 1;
            int i = (int)segment.Key & mask;
            while (slots[i].Key != 0) i = (i + 1) & mask;
            slots[i] = segment;
        }

        private void Evict()
        {
            // Rank by (support, last seen): least-used first, oldest first among equals. The scratch arrays
            // are allocated once per stripe, so steady-state eviction allocates nothing.
            int n = Count;
            long[] ranks = _ranks ??= new long[_maxCount + 1];
            ulong[] keys = _keys ??= new ulong[_maxCount + 1];
            int j = 0;
            for (int i = 0; i < Slots.Length && j < ranks.Length; i++)
            {
                ref TemplateSegment s = ref Slots[i];
                if (s.Key == 0) continue;
                ranks[j] = ((long)Math.Min(s.Support, (1 << 20) - 1) << 43) | (s.LastSeen & ((1L << 43) - 1));
                keys[j] = s.Key;
                j++;
            }
            ranks.AsSpan(0, j).Sort(keys.AsSpan(0, j));
            int drop = Math.Max(1, j / 4);
            for (int k = 0; k < drop; k++)
            {
                int at = Find(keys[k]);
                if (at >= 0) Delete(at);
            }
            Count = n - drop;
        }

        /// <summary>Deletes slot <paramref name="i"/> by backward shifting (Knuth, TAOCP vol. 3, 6.4 Algorithm R).</summary>
        private void Delete(int i)
        {
            TemplateSegment[] slots = Slots;
            int mask = slots.Length - 1;
            int j = i;
            while (true)
            {
                slots[i] = default;
                int home;
                do
                {
                    j = (j + 1) & mask;
                    if (slots[j].Key == 0) return;
                    home = (int)slots[j].Key & mask;
                }
                // The entry at j may stay when its home lies cyclically in (i, j].
                while (i <= j ? (i < home && home <= j) : (i < home || home <= j));
                slots[i] = slots[j];
                i = j;
            }
        }
    }
}
