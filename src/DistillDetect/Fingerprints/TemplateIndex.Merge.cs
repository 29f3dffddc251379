namespace DistillDetect.Fingerprints;

public sealed partial class TemplateIndex
{
    /// <summary>
    /// Adds another index's state to this one, as if this index had also seen the other's prompts
    /// (two gateways' indexes combine). The other index is not changed.
    /// </summary>
    /// <param name="other">An index with equal <see cref="Options"/>.</param>
    /// <remarks>
    /// Each of the other's templates is matched, largest first, to the template here with the same id, else
    /// to the template here whose core segments it shares by the same rule <see cref="Assign(ReadOnlySpan{char})"/>
    /// uses (at least <see cref="TemplateIndexOptions.MinSharedWords"/> words, and the containment rule for a
    /// mature template); unmatched ones are added with their ids. Counts add up, first and last assignment
    /// take the minimum and maximum (they are sequence numbers of each index, so after a merge they order
    /// prompts only roughly), segments add their support, and the other's near-duplicate memory is appended.
    /// Caps and eviction apply as for <see cref="Assign(ReadOnlySpan{char})"/>.
    /// O(templates + segments) of both. Do not assign to <paramref name="other"/> during the merge.
    /// </remarks>
    /// <exception cref="ArgumentException">The options differ, or <paramref name="other"/> is this index.</exception>
    public void Merge(TemplateIndex other) => MergeAndMap(other);

    /// <summary><see cref="Merge"/>, returning which template here each of the other's template ids went to.</summary>
    internal Dictionary<long, long> MergeAndMap(TemplateIndex other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (ReferenceEquals(other, this)) TemplateThrow.SameInstance(nameof(other));
        if (other._options != _options) TemplateThrow.OptionsDiffer(DescribeDifference(_options, other._options), nameof(other));

        List<TemplateSegment> theirSegments = other._segments.Snapshot();

        // Votes: words of segments core for their template there and core for a template here.
        var votes = new Dictionary<(long Theirs, long Ours), long>();
        var coreWords = new Dictionary<long, long>();
        foreach (TemplateSegment s in theirSegments)
        {
            if (!IsCore(other, s)) continue;
            coreWords[s.Owner] = coreWords.GetValueOrDefault(s.Owner) + s.Words;
            if (!_segments.TryGet(s.Key, out TemplateSegment ours) || !IsCore(this, ours)) continue;
            var pair = (s.Owner, ours.Owner);
            votes[pair] = votes.GetValueOrDefault(pair) + s.Words;
        }
        var bestVote = new Dictionary<long, (long Ours, long Words)>();
        foreach (KeyValuePair<(long Theirs, long Ours), long> v in votes)
        {
            if (!bestVote.TryGetValue(v.Key.Theirs, out var current) || v.Value > current.Words || (v.Value == current.Words && v.Key.Ours < current.Ours))
            {
                bestVote[v.Key.Theirs] = (v.Key.Ours, v.Value);
            }
        }

        var theirs = new List<TemplateState>();
        foreach (KeyValuePair<long, TemplateState> pair in other._templates) theirs.Add(pair.Value);
        theirs.Sort(static (a, b) =>
        {
            int c = Volatile.Read(ref b.Count).CompareTo(Volatile.Read(ref a.Count));
            return c != 0 ? c : a.Id.CompareTo(b.Id);
        });

        var map = new Dictionary<long, long>(theirs.Count);
        lock (_foundLock)
        {
            foreach (TemplateState t in theirs)
            {
                TemplateState? target = null;
                if (!_templates.TryGetValue(t.Id, out target)
                    && bestVote.TryGetValue(t.Id, out var vote)
                    && _templates.TryGetValue(vote.Ours, out TemplateState? voted)
                    && Joins(voted, (int)Math.Min(int.MaxValue, vote.Words), (int)Math.Min(int.MaxValue, coreWords.GetValueOrDefault(t.Id))))
                {
                    target = voted;
                }
                if (target is null)
                {
                    if (_templateCount >= _options.MaxTemplates) EvictTemplates();
                    target = new TemplateState(t.Id, t.Example, Volatile.Read(ref t.First));
                    _templates[t.Id] = target;
                    _templateCount++;
                    AddLive(target);
                }
                else
                {
                    long first = Volatile.Read(ref t.First);
                    if (first < target.First) target.First = first;
                }
                map[t.Id] = target.Id;
                Interlocked.Add(ref target.Count, Volatile.Read(ref t.Count));
                Interlocked.Add(ref target.EvidenceSum, Volatile.Read(ref t.EvidenceSum));
                Interlocked.Add(ref target.EvidenceJoins, Volatile.Read(ref t.EvidenceJoins));
                target.Touch(Volatile.Read(ref t.Last));
            }

            foreach (TemplateState t in theirs)
            {
                long alias = Volatile.Read(ref t.AliasOf);
                if (alias == 0) continue;
                long from = map[t.Id];
                long to = map.GetValueOrDefault(alias, alias);
                if (from != to && _templates.TryGetValue(from, out TemplateState? source)) Interlocked.CompareExchange(ref source.AliasOf, to, 0);
            }

            if (other._nearDuplicates is not null && _nearDuplicates is not null)
            {
                foreach ((long template, int slot) in other._nearDuplicates.Entries())
                {
                    _nearDuplicates.Add(other._nearDuplicates.SignatureAt(slot), map.GetValueOrDefault(template, template));
                }
            }
        }
        if (other._segmentSketches is not null && _segmentSketches is not null)
        {
            lock (_sketchLock)
            {
                foreach ((long key, int slot) in other._segmentSketches.Entries())
                {
                    _segmentSketches.Add(other._segmentSketches.SignatureAt(slot), key);
                }
            }
        }

        Func<long, bool> isAlive = IsAlive;
        foreach (TemplateSegment s in theirSegments)
        {
            TemplateSegment mapped = s;
            mapped.Owner = map.GetValueOrDefault(s.Owner, s.Owner);
            _segments.Merge(mapped, isAlive);
        }

        long theirOrder = Interlocked.Read(ref other._order);
        Interlocked.Add(ref _order, theirOrder);
        return map;
    }

    private static bool IsCore(TemplateIndex index, in TemplateSegment segment)
    {
        return index._templates.TryGetValue(segment.Owner, out TemplateState? owner) && index.IsCore(segment, owner);
    }

    private static string DescribeDifference(TemplateIndexOptions a, TemplateIndexOptions b)
    {
        if (a.Seed != b.Seed) return "the seeds differ";
        if (a.HashCount != b.HashCount) return $"HashCount {a.HashCount} vs {b.HashCount}";
        return $"{a} vs {b}";
    }
}
