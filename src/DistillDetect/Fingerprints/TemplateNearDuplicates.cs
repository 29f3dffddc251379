namespace DistillDetect.Fingerprints;

/// <summary>
/// The near-duplicate memory of a <see cref="TemplateIndex"/>: the whole-prompt signatures of the last
/// <c>capacity</c> founding prompts in a ring (first in, first out), indexed by an <see cref="LshIndex"/>
/// whose banding gives 95 % recall at the threshold; candidates are verified with the signature estimate.
/// </summary>
/// <remarks>
/// Adds are serialized by the caller (the index's founding lock). Queries run concurrently with adds: the
/// LSH index is thread-safe, and a candidate whose ring slot was just reused is recognized by its sequence
/// number; a signature read while being overwritten can at worst mis-verify that one candidate.
/// Memory: 4 * hashCount + 16 B per slot plus the LSH entry.
/// </remarks>
internal sealed class TemplateNearDuplicates
{
    [ThreadStatic] private static List<long>? t_candidates;

    private readonly int _capacity;
    private readonly int _hashCount;
    private readonly double _threshold;
    private readonly uint[] _signatures;
    private readonly long[] _templates;
    private readonly long[] _sequences;
    private readonly LshIndex _lsh;
    private long _next;

    public TemplateNearDuplicates(int capacity, int hashCount, double threshold, long seed)
    {
        _capacity = capacity;
        _hashCount = hashCount;
        _threshold = threshold;
        _signatures = new uint[(long)capacity * hashCount];
        _templates = new long[capacity];
        _sequences = new long[capacity];
        _sequences.AsSpan().Fill(-1);
        _lsh = new LshIndex(hashCount, LshParameters.ForRecall(threshold, hashCount, 0.95), seed, capacity);
    }

    /// <summary>Sequence number the next add gets; entries <c>[Next - capacity, Next)</c> may be present.</summary>
    public long Next => Volatile.Read(ref _next);

    public int Capacity => _capacity;

    public void Add(ReadOnlySpan<uint> signature, long template)
    {
        long sequence = _next;
        int slot = (int)(sequence % _capacity);
        long old = _sequences[slot];
        if (old >= 0) _lsh.Remove(old);
        Volatile.Write(ref _sequences[slot], -1);
        signature.CopyTo(_signatures.AsSpan(slot * _hashCount, _hashCount));
        _templates[slot] = template;
        Volatile.Write(ref _sequences[slot], sequence);
        _lsh.Insert(sequence, signature);
        Volatile.Write(ref _next, sequence + 1);
    }

    /// <summary>
    /// The value (template id, or segment key) of the most similar remembered entry at or above the
    /// threshold, else 0; entries whose value is <paramref name="exclude"/> are skipped.
    /// </summary>
    public long FindTemplate(ReadOnlySpan<uint> signature, long exclude = 0)
    {
        List<long> candidates = t_candidates ??= new List<long>(64);
        candidates.Clear();
        _lsh.Query(signature, candidates);
        double best = _threshold;
        long template = 0;
        bool found = false;
        foreach (long sequence in candidates)
        {
            int slot = (int)(sequence % _capacity);
            if (Volatile.Read(ref _sequences[slot]) != sequence) continue;
            double j = MinHashSignature.EstimateJaccard(signature, _signatures.AsSpan(slot * _hashCount, _hashCount));
            long candidate = _templates[slot];
            if (candidate == exclude && exclude != 0) continue;
            // Highest estimate wins; equal estimates go to the smaller template id, so the answer does not
            // depend on the order the LSH index returns candidates in.
            if (j > best || (j == best && (!found || candidate < template)))
            {
                best = j;
                template = candidate;
                found = true;
            }
        }
        return template;
    }

    /// <summary>The remembered founders oldest first: (template, ring slot) pairs; read signatures with <see cref="SignatureAt"/>.</summary>
    public List<(long Template, int Slot)> Entries()
    {
        var entries = new List<(long, int)>();
        long end = _next;
        for (long s = Math.Max(0, end - _capacity); s < end; s++)
        {
            int slot = (int)(s % _capacity);
            if (_sequences[slot] == s) entries.Add((_templates[slot], slot));
        }
        return entries;
    }

    public ReadOnlySpan<uint> SignatureAt(int slot) => _signatures.AsSpan(slot * _hashCount, _hashCount);
}
