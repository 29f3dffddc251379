using System.Collections.Concurrent;
using System.IO.Hashing;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using DistillDetect.Text;

namespace DistillDetect.Fingerprints;

/// <summary>
/// Online template grouping: <see cref="Assign(ReadOnlySpan{char})"/> returns the id of the template
/// group a prompt belongs to, so that thousands of prompts built from one wrapper around different tasks,
/// with light edits and disguises, share a group while unrelated prompts do not.
/// </summary>
/// <remarks>
/// <para><b>Why segments.</b> Whole-prompt Jaccard cannot see a 30-word wrapper around a 1,000-word task.
/// So each prompt is also cut into segments (lines, sentences, "label:" heads; <see cref="TemplateIndexOptions.SegmentsPerEnd"/>
/// at each end), each normalized (homoglyphs, zero-width, case, white space folded; numbers masked) and
/// hashed exactly. A table tracks, per segment, how many prompts contained it and which template owns it
/// (the template of the first prompt that contained it). Containment of a template's wrapper in a prompt
/// is then found whatever the payload (the "resemblance vs containment" distinction of Broder 1997).</para>
/// <para><b>The rule.</b> Segments of fewer than 3 words are ignored. A segment is <i>core</i> for its owner
/// template T when at least <see cref="TemplateIndexOptions.MinSegmentSupport"/> of T's prompts contained it, at
/// least <see cref="TemplateIndexOptions.CoreFraction"/> of T's prompts contained it (wrapper sentences are core,
/// task sentences a few of T's prompts repeat are not), and at least <see cref="TemplateIndexOptions.CoreFraction"/>
/// of all prompts that contained it are T's (an IDF-like test: a generic sentence found in many unrelated
/// groups is evidence for none). The evidence for T is the number of words of the prompt's segments that are core
/// for T; among the first and last 4 segments, one that is not itself core but whose word-set MinHash has
/// estimated Jaccard &gt;= 0.6 with a core segment of T (a reworded wrapper sentence) also counts for T.
/// The prompt joins the T with most evidence when (1) evidence &gt;= <see cref="TemplateIndexOptions.MinSharedWords"/>,
/// or the evidence covers <see cref="TemplateIndexOptions.MinSharedFraction"/> of a prompt's words (and is
/// at least 3 words); and (2) once T has <see cref="TemplateIndexOptions.MatureCount"/> segment-based members, evidence
/// &gt;= <see cref="TemplateIndexOptions.MinContainment"/> times the mean evidence of those members. Rule (1)
/// keeps generic sentences ("Can you help me with this?", 6 words) from gluing unrelated prompts; rule (2)
/// keeps a prompt that shares one sentence of a longer wrapper out of that wrapper's group. Failing that, a
/// prompt whose whole-prompt MinHash has estimated Jaccard &gt;= <see cref="TemplateIndexOptions.NearDuplicateThreshold"/>
/// with a remembered founding prompt (LSH candidates, then verified) joins that prompt's template; this
/// catches disguised copies with word edits in every sentence. Otherwise the prompt founds a new template.</para>
/// <para><b>Ids.</b> A template's id is a 63-bit hash of its founding prompt's MinHash signature, so it is
/// positive, stable across runs and machines (same seed), and two gateways that saw the same founding
/// prompt agree on it. Ids stay valid until the template is evicted.</para>
/// <para><b>Bounds and eviction.</b> At most <see cref="TemplateIndexOptions.MaxTemplates"/> templates: when a new
/// one would exceed it, the eighth with the lowest (count, last assignment) is evicted, so a template above
/// the median count is never evicted. Segments: see <see cref="TemplateIndexOptions.MaxSegments"/> (lowest support,
/// oldest first). Near-duplicate memory: the last <see cref="TemplateIndexOptions.NearDuplicateCapacity"/> founding
/// prompts (first in, first out). A segment whose owner was evicted passes to the next template that uses it, with its
/// support counted afresh (the evicted template's prompts would otherwise keep it from ever being core again).</para>
/// <para><b>Threads.</b> <see cref="Assign(ReadOnlySpan{char})"/> is safe for concurrent callers: segments
/// live in a striped table with one short lock per stripe, counters are updated with interlocked operations,
/// and only founding a template (and its rare eviction pass) takes one index-wide lock, held for the
/// dictionary insert and the near-duplicate ring add only (every <see cref="TemplateIndexOptions.NearDuplicateCapacity"/> / 16
/// adds, the add also rebuilds the memory's compact copy: O(capacity * bands), about 2 % of the CPU of <c>distilldetect scan</c> on the
/// simulation); the near-duplicate lookup itself takes no lock. Two prompts of a new
/// wrapper founding templates at the same instant may found two groups. <see cref="Merge"/>,
/// <see cref="ToBytes"/> and the readers may run while others assign but then see a moment's snapshot;
/// do not assign to the other index during <see cref="Merge"/>.</para>
/// <para><b>Cost.</b> O(prompt length) plus O(segments) table lookups (the whole-prompt MinHash only for a prompt that
/// reaches the near-duplicate lookup, which one joining on its segments does not); joining an existing template allocates
/// nothing; founding one allocates its example string and counters (about 2 * ExampleLength + 120 B).</para>
/// </remarks>
public sealed partial class TemplateIndex
{
    /// <summary>Raw characters of one segment that are fingerprinted; the rest of a longer line is payload.</summary>
    internal const int MaxSegmentChars = 512;

    /// <summary>Segments with fewer words are neither evidence nor tracked.</summary>
    internal const int MinSegmentWords = 3;

    /// <summary>Segments with at least this many words get a word-set sketch for near-duplicate matching.</summary>
    internal const int SketchMinWords = 8;

    /// <summary>Only the first and last this many segments are sketched: a wrapper surrounds its task.</summary>
    internal const int SketchEnds = 4;

    internal const int SegmentSketchHashes = 32;

    /// <summary>
    /// Prompts of its template a core segment needs before a reworded copy of it in another group folds the
    /// two groups: in a young template every task sentence is core, and the look-alike task sentences of
    /// another wrapper's prompts would otherwise fold two wrappers into one group.
    /// </summary>
    internal const int SketchMinOwnerCount = 4;

    /// <summary>Estimated word-set Jaccard at or above which a segment counts as a reworded core segment.</summary>
    internal const double SegmentSketchThreshold = 0.65;

    /// <summary>Banding of the segment sketches: 95 % recall at <see cref="SegmentSketchThreshold"/> (10 bands of 3 rows).</summary>
    private static readonly LshParameters SegmentSketchBanding = LshParameters.ForRecall(SegmentSketchThreshold, SegmentSketchHashes, 0.95);

    private readonly TemplateIndexOptions _options;
    private readonly MinHasher _hasher;
    private readonly TemplateSegmentTable _segments;
    private readonly ConcurrentDictionary<long, TemplateState> _templates;
    private readonly Lock _foundLock = new();
    private readonly TemplateNearDuplicates? _nearDuplicates;
    private readonly TemplateNearDuplicates? _segmentSketches;
    private readonly Lock _sketchLock = new();
    private int _templateCount;
    private long _order;
    // Every kept template in a flat array (founding order, compacted by each eviction pass), written under the
    // founding lock: an eviction pass reads it instead of enumerating the dictionary, which took most of the pass.
    private TemplateState[] _live = new TemplateState[16];
    private int _liveCount;
    // Scratch of the eviction pass (under the founding lock), kept between passes.
    private UInt128[]? _evictKeys;
    private UInt128[]? _evictScratch;

    /// <summary>Creates an empty index.</summary>
    /// <param name="options">The parameters; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (see <see cref="TemplateIndexOptions.Validate"/>).</exception>
    public TemplateIndex(TemplateIndexOptions? options = null)
    {
        _options = options ?? new TemplateIndexOptions();
        _options.Validate();
        _hasher = new MinHasher(new MinHashOptions
        {
            HashCount = _options.HashCount,
            ShingleSize = _options.ShingleSize,
            Seed = _options.Seed,
            Normalization = NormalizationOptions.MaskNumbers,
        });
        _segments = new TemplateSegmentTable(_options.MaxSegments);
        _templates = new ConcurrentDictionary<long, TemplateState>(Environment.ProcessorCount, Math.Min(_options.MaxTemplates, 4096));
        if (_options.NearDuplicateCapacity > 0)
        {
            _nearDuplicates = new TemplateNearDuplicates(_options.NearDuplicateCapacity, _options.HashCount, _options.NearDuplicateThreshold, _options.Seed,
                TemplateNearDuplicates.FounderBanding(_options.NearDuplicateThreshold, _options.HashCount));
            _segmentSketches = new TemplateNearDuplicates(SegmentSketchCapacity(_options), SegmentSketchHashes, SegmentSketchThreshold, _options.Seed ^ 0x5E6, SegmentSketchBanding);
        }
    }

    /// <summary>The parameters of this index.</summary>
    public TemplateIndexOptions Options => _options;

    /// <summary>
    /// The MinHasher whose signatures <see cref="Assign(ReadOnlySpan{char}, ReadOnlySpan{uint})"/> expects
    /// (<see cref="TemplateIndexOptions.HashCount"/> values, numbers masked). Thread-safe.
    /// </summary>
    public MinHasher Hasher => _hasher;

    /// <summary>Templates currently kept. O(1).</summary>
    public int TemplateCount => Volatile.Read(ref _templateCount);

    /// <summary>Segments currently tracked. O(64).</summary>
    public int SegmentCount => _segments.Count;

    /// <summary>Prompts assigned so far (including those merged in). O(1).</summary>
    public long AssignmentCount => Interlocked.Read(ref _order);

    /// <summary>
    /// Assigns a prompt to its template group and returns the group's id (positive).
    /// </summary>
    /// <param name="prompt">The raw prompt; any UTF-16, any length (only the first and last
    /// <see cref="TemplateIndexOptions.SegmentsPerEnd"/> segments are fingerprinted as segments).</param>
    /// <returns>The template id.</returns>
    /// <remarks>Thread-safe; see the type's remarks for the rule and the cost. Never throws for any input.</remarks>
    [SkipLocalsInit]
    public long Assign(ReadOnlySpan<char> prompt)
    {
        // The whole-prompt signature is computed only if the prompt reaches the near-duplicate lookup or founds a
        // template: about half the prompts join a template on their segments alone.
        Span<uint> scratch = stackalloc uint[_options.HashCount];
        return AssignCore(prompt, signature: default, scratch);
    }

    /// <summary>
    /// Assigns a prompt whose whole-prompt signature the caller already computed with <see cref="Hasher"/>.
    /// </summary>
    /// <param name="prompt">The raw prompt.</param>
    /// <param name="signature">Its signature from <see cref="Hasher"/> (<see cref="TemplateIndexOptions.HashCount"/> values).</param>
    /// <returns>The template id.</returns>
    /// <exception cref="ArgumentException">The signature length differs from <see cref="TemplateIndexOptions.HashCount"/>.</exception>
    public long Assign(ReadOnlySpan<char> prompt, ReadOnlySpan<uint> signature)
    {
        if (signature.Length != _options.HashCount) TemplateThrow.SignatureLength(signature.Length, _options.HashCount, nameof(signature));
        return AssignCore(prompt, signature, scratch: default);
    }

    /// <summary>Looks up one template.</summary>
    /// <param name="id">A template id returned by <see cref="Assign(ReadOnlySpan{char})"/>.</param>
    /// <param name="info">Its snapshot when found.</param>
    /// <returns><see langword="false"/> when the id is unknown or was evicted.</returns>
    public bool TryGetTemplate(long id, out TemplateInfo info)
    {
        if (_templates.TryGetValue(id, out TemplateState? state))
        {
            info = state.ToInfo();
            return true;
        }
        info = default;
        return false;
    }

    /// <summary>
    /// The id prompts of template <paramref name="id"/> go to now: <paramref name="id"/> itself, or the
    /// template it was folded into (following at most 8 links), or <paramref name="id"/> when unknown. O(1).
    /// </summary>
    /// <param name="id">A template id returned earlier by <see cref="Assign(ReadOnlySpan{char})"/>.</param>
    /// <returns>The id of the group the template now belongs to.</returns>
    public long Resolve(long id) => _templates.TryGetValue(id, out TemplateState? state) ? ResolveState(state).Id : id;

    /// <summary>
    /// Snapshots every template, largest count first (ties: earliest first assignment, then id).
    /// O(t log t) for t templates; allocates the list.
    /// </summary>
    /// <param name="minCount">Only templates with at least this many prompts.</param>
    public IReadOnlyList<TemplateInfo> GetTemplates(long minCount = 1)
    {
        var list = new List<TemplateInfo>();
        foreach (KeyValuePair<long, TemplateState> pair in _templates)
        {
            TemplateInfo info = pair.Value.ToInfo();
            if (info.Count >= minCount) list.Add(info);
        }
        list.Sort(static (a, b) =>
        {
            int c = b.Count.CompareTo(a.Count);
            if (c != 0) return c;
            c = a.FirstAssignment.CompareTo(b.FirstAssignment);
            return c != 0 ? c : a.Id.CompareTo(b.Id);
        });
        return list;
    }

    /// <summary>Assigns a prompt (see <see cref="Assign(ReadOnlySpan{char})"/>).</summary>
    /// <param name="prompt">The raw prompt.</param>
    /// <param name="signature">The prompt's signature, or empty: then it is computed into <paramref name="scratch"/> when first needed.</param>
    /// <param name="scratch">Room for the signature when <paramref name="signature"/> is empty.</param>
    [SkipLocalsInit]
    private long AssignCore(ReadOnlySpan<char> prompt, ReadOnlySpan<uint> signature, Span<uint> scratch)
    {
        TemplateIndexOptions options = _options;
        int perEnd = options.SegmentsPerEnd;
        Span<Range> ranges = stackalloc Range[2 * perEnd];
        int rangeCount = PromptSegmenter.Split(prompt, perEnd, ranges, out _);

        Span<ulong> keys = stackalloc ulong[rangeCount];
        Span<int> words = stackalloc int[rangeCount];
        Span<int> origin = stackalloc int[rangeCount];
        Span<char> normalized = stackalloc char[PromptNormalizer.GetMaxNormalizedLength(MaxSegmentChars)];
        // The normalized text of the segments that may be sketched (the first and last SketchEnds kept ones):
        // kept from this pass so the sketch steps need not normalize them again. -1: not kept (longer than
        // a slot, or too few words to be sketched).
        Span<char> outerText = stackalloc char[OuterSlots * MaxSegmentChars];
        Span<int> outerLength = stackalloc int[OuterSlots];
        int count = 0;
        int promptWords = 0;
        for (int r = 0; r < rangeCount; r++)
        {
            int length = NormalizeSegment(prompt[ranges[r]], normalized);
            ReadOnlySpan<char> text = normalized[..length];
            int w = CountWords(text);
            promptWords += w;
            // Segments of one or two words ("Hi", "Thanks!", "### Response") carry no template evidence.
            if (w < MinSegmentWords) continue;
            ulong key = TemplateSegmentTable.Fix(XxHash3.HashToUInt64(MemoryMarshal.AsBytes(text), options.Seed));
            if (keys[..count].Contains(key)) continue;
            keys[count] = key;
            words[count] = w;
            origin[count] = r;
            // Slot of kept segment c: the first SketchEnds own slots 0..SketchEnds-1, later ones a ring in the
            // other SketchEnds slots, so when the pass ends every outer segment (i < SketchEnds or
            // i >= count - SketchEnds) is still in its slot: a later one that reuses it is at least SketchEnds on.
            int slot = OuterSlot(count);
            if (w >= SketchMinWords && length <= MaxSegmentChars)
            {
                text.CopyTo(outerText.Slice(slot * MaxSegmentChars, MaxSegmentChars));
                outerLength[slot] = length;
            }
            else
            {
                outerLength[slot] = -1;
            }
            count++;
        }
        keys = keys[..count];
        words = words[..count];

        // Evidence per candidate template from the prompt's segments that are core for it.
        Span<long> candidates = stackalloc long[count];
        Span<int> evidence = stackalloc int[count];
        Span<byte> state = stackalloc byte[count]; // 0 unknown, 1 core evidence, 2 owner gone, 3 not core for its owner
        Span<long> owners = stackalloc long[count];
        int candidateCount = 0;
        for (int i = 0; i < count; i++)
        {
            state[i] = 0;
            if (!_segments.TryGet(keys[i], out TemplateSegment segment)) continue;
            if (!_templates.TryGetValue(segment.Owner, out TemplateState? owner))
            {
                state[i] = 2;
                continue;
            }
            if (!IsCore(segment, owner))
            {
                if (IsMinorInOwner(segment, owner)) state[i] = 3;
                continue;
            }
            state[i] = 1;
            owners[i] = segment.Owner;
            AddEvidence(candidates, evidence, ref candidateCount, segment.Owner, words[i]);
        }

        TemplateState? chosen = Choose(candidates[..candidateCount], evidence, promptWords, out int chosenEvidence);

        if (chosen is null && _segmentSketches is not null && candidateCount < count)
        {
            // Reworded wrapper sentences: match the prompt's outer segments against established core
            // segments by word-set MinHash, and count a near-duplicate as evidence for that segment's owner.
            Span<uint> sketch = stackalloc uint[SegmentSketchHashes];
            bool found = false;
            for (int i = 0; i < count; i++)
            {
                if (state[i] == 1 || words[i] < SketchMinWords || !IsOuter(i, count)) continue;
                SegmentSketch(OuterSegmentText(prompt, ranges[origin[i]], i, outerText, outerLength, normalized), options.Seed, sketch);
                long match = _segmentSketches.FindTemplate(sketch, exclude: (long)keys[i]);
                if (match == 0) continue;
                if (!_segments.TryGet((ulong)match, out TemplateSegment near)) continue;
                if (!_templates.TryGetValue(near.Owner, out TemplateState? owner) || !IsCore(near, owner)) continue;
                AddEvidence(candidates, evidence, ref candidateCount, near.Owner, words[i]);
                found = true;
            }
            if (found) chosen = Choose(candidates[..candidateCount], evidence, promptWords, out chosenEvidence);
        }

        if (chosen is null && _nearDuplicates is not null)
        {
            signature = Hashed(prompt, signature, scratch);
            long near = _nearDuplicates.FindTemplate(signature);
            if (near != 0) _templates.TryGetValue(near, out chosen);
        }

        if (chosen is not null) chosen = ResolveState(chosen);
        long order = Interlocked.Increment(ref _order);
        bool founded = false;
        if (chosen is null)
        {
            chosen = Found(prompt, Hashed(prompt, signature, scratch), order);
            founded = true;
        }
        else
        {
            Interlocked.Increment(ref chosen.Count);
            chosen.Touch(order);
            if (chosenEvidence > 0)
            {
                Interlocked.Add(ref chosen.EvidenceSum, chosenEvidence);
                Interlocked.Increment(ref chosen.EvidenceJoins);
            }
        }

        long id = chosen.Id;
        Span<uint> promoted = stackalloc uint[SegmentSketchHashes];
        for (int i = 0; i < count; i++)
        {
            // Any prompt takes over a segment whose owner was evicted, counting afresh (see Claim.Afresh).
            // A founding prompt takes over the segments that are not core for their owner: a wrapper sentence
            // first recorded for the wrong template (a young group that a prompt of another wrapper joined) would
            // otherwise stay with it for good, never core, and every prompt of its wrapper would found a template.
            // A core segment whose owner was folded into the chosen template moves with its counts: otherwise every
            // join counts as support elsewhere and the segment stops being core for the group it defines.
            TemplateSegmentTable.Claim claim = state[i] == 2 || (founded && state[i] == 3) ? TemplateSegmentTable.Claim.Afresh
                : state[i] == 1 && owners[i] != id && FoldedInto(owners[i], id) ? TemplateSegmentTable.Claim.Folded
                : TemplateSegmentTable.Claim.None;
            int ownerCount = _segments.Record(keys[i], words[i], id, order, claim);
            if (ownerCount == 2 && _segmentSketches is not null && words[i] >= SketchMinWords && IsOuter(i, count))
            {
                // The segment just became shared within its template: remember its sketch so reworded
                // copies of it can be recognized. Happens once per segment.
                SegmentSketch(OuterSegmentText(prompt, ranges[origin[i]], i, outerText, outerLength, normalized), options.Seed, promoted);
                long match = _segmentSketches.FindTemplate(promoted, exclude: (long)keys[i]);
                if (match != 0) LinkReworded(chosen, (ulong)match);
                lock (_sketchLock) _segmentSketches.Add(promoted, (long)keys[i]);
            }
        }
        return id;
    }

    /// <summary><paramref name="signature"/>, or when it is empty the prompt's signature computed into <paramref name="scratch"/>.</summary>
    private ReadOnlySpan<uint> Hashed(ReadOnlySpan<char> prompt, ReadOnlySpan<uint> signature, Span<uint> scratch)
    {
        if (!signature.IsEmpty) return signature;
        _hasher.Compute(prompt, scratch);
        return scratch;
    }

    private bool FoldedInto(long owner, long id) =>
        _templates.TryGetValue(owner, out TemplateState? state) && ResolveState(state).Id == id;

    /// <summary>Follows the alias chain of a template folded into another (bounded, ignores evicted targets).</summary>
    private TemplateState ResolveState(TemplateState state)
    {
        for (int hop = 0; hop < 8; hop++)
        {
            long alias = Volatile.Read(ref state.AliasOf);
            if (alias == 0 || !_templates.TryGetValue(alias, out TemplateState? target)) return state;
            state = target;
        }
        return state;
    }

    /// <summary>
    /// A segment just shared within <paramref name="template"/> is a reworded copy of an established core
    /// segment of another template: the two groups are one wrapper whose first prompts were reworded
    /// differently. The smaller group (ties: larger id) is folded into the larger one: later prompts that
    /// would join it get the larger one's id; its earlier prompts keep its id.
    /// </summary>
    private void LinkReworded(TemplateState template, ulong matchedKey)
    {
        if (!_segments.TryGet(matchedKey, out TemplateSegment near)) return;
        if (near.Owner == template.Id || near.OwnerCount < SketchMinOwnerCount
            || !_templates.TryGetValue(near.Owner, out TemplateState? other) || !IsCore(near, other)) return;
        TemplateState a = ResolveState(template);
        TemplateState b = ResolveState(other);
        if (ReferenceEquals(a, b)) return;
        long ca = Volatile.Read(ref a.Count);
        long cb = Volatile.Read(ref b.Count);
        (TemplateState from, TemplateState to) = ca < cb || (ca == cb && a.Id > b.Id) ? (a, b) : (b, a);
        Interlocked.CompareExchange(ref from.AliasOf, to.Id, 0);
    }

    private static int NormalizeSegment(ReadOnlySpan<char> segment, Span<char> destination)
    {
        if (segment.Length > MaxSegmentChars) segment = segment[..MaxSegmentChars];
        return PromptNormalizer.Normalize(segment, destination, NormalizationOptions.MaskNumbers);
    }

    private static bool IsOuter(int i, int count) => i < SketchEnds || i >= count - SketchEnds;

    /// <summary>Slots of normalized text kept for the outer segments: SketchEnds at each end.</summary>
    private const int OuterSlots = 2 * SketchEnds;

    private static int OuterSlot(int i) => i < SketchEnds ? i : SketchEnds + ((i - SketchEnds) % SketchEnds);

    /// <summary>
    /// The normalized text of outer kept segment <paramref name="i"/>: from its slot when the first pass kept it,
    /// else normalized again into <paramref name="scratch"/> (a segment that normalizes to more than a slot).
    /// </summary>
    private static ReadOnlySpan<char> OuterSegmentText(ReadOnlySpan<char> prompt, Range range, int i,
        ReadOnlySpan<char> outerText, ReadOnlySpan<int> outerLength, Span<char> scratch)
    {
        int slot = OuterSlot(i);
        int length = outerLength[slot];
        if (length >= 0) return outerText.Slice(slot * MaxSegmentChars, length);
        length = NormalizeSegment(prompt[range], scratch);
        return scratch[..length];
    }

    private static void AddEvidence(Span<long> candidates, Span<int> evidence, ref int candidateCount, long template, int words)
    {
        int c = candidates[..candidateCount].IndexOf(template);
        if (c < 0)
        {
            c = candidateCount++;
            candidates[c] = template;
            evidence[c] = 0;
        }
        evidence[c] += words;
    }

    /// <summary>
    /// Core: enough of the owner's prompts contained the segment (wrapper, not task), and enough of the
    /// prompts containing it are the owner's (concentrated, not a generic sentence spread over many groups).
    /// </summary>
    private bool IsCore(in TemplateSegment segment, TemplateState owner)
    {
        TemplateIndexOptions options = _options;
        return segment.OwnerCount >= options.MinSegmentSupport
            && segment.OwnerCount >= options.CoreFraction * Volatile.Read(ref owner.Count)
            && segment.OwnerCount >= options.CoreFraction * segment.Support;
    }

    /// <summary>
    /// Concentrated in its owner (at least <see cref="TemplateIndexOptions.CoreFraction"/> of the prompts that contained
    /// it are the owner's) but not core there because the owner's other prompts lack it: a wrapper sentence recorded
    /// for a group that mixes wrappers, which a founding template may claim. A generic sentence spread over many
    /// groups fails the first test and stays where it is (its support keeps counting against it).
    /// </summary>
    private bool IsMinorInOwner(in TemplateSegment segment, TemplateState owner) =>
        segment.OwnerCount >= _options.CoreFraction * segment.Support
        && segment.OwnerCount < _options.CoreFraction * Volatile.Read(ref owner.Count);

    /// <summary>The candidate with most evidence (ties: smaller id) that passes <see cref="Joins"/>.</summary>
    private TemplateState? Choose(ReadOnlySpan<long> candidates, ReadOnlySpan<int> evidence, int promptWords, out int chosenEvidence)
    {
        Span<bool> tried = stackalloc bool[candidates.Length];
        tried.Clear();
        for (int round = 0; round < candidates.Length; round++)
        {
            int best = -1;
            for (int c = 0; c < candidates.Length; c++)
            {
                if (tried[c]) continue;
                if (best < 0 || evidence[c] > evidence[best] || (evidence[c] == evidence[best] && candidates[c] < candidates[best])) best = c;
            }
            tried[best] = true;
            if (_templates.TryGetValue(candidates[best], out TemplateState? state) && Joins(state, evidence[best], promptWords))
            {
                chosenEvidence = evidence[best];
                return state;
            }
        }
        chosenEvidence = 0;
        return null;
    }

    private bool Joins(TemplateState state, int evidence, int promptWords)
    {
        TemplateIndexOptions options = _options;
        bool enough = evidence >= options.MinSharedWords
            || (evidence >= 3 && evidence >= options.MinSharedFraction * promptWords);
        if (!enough) return false;
        long joins = Volatile.Read(ref state.EvidenceJoins);
        if (joins < options.MatureCount) return true;
        double mean = (double)Volatile.Read(ref state.EvidenceSum) / joins;
        return evidence >= options.MinContainment * mean;
    }

    [SkipLocalsInit]
    private TemplateState Found(ReadOnlySpan<char> prompt, ReadOnlySpan<uint> signature, long order)
    {
        long id = TemplateIdOf(signature, _options.Seed);
        // Allocated and hashed before the lock, which then covers only the lookup, the insert and the ring add.
        var state = new TemplateState(id, Truncate(prompt, _options.ExampleLength), order) { Count = 1 };
        TemplateNearDuplicates? memory = _nearDuplicates;
        Span<uint> keys = stackalloc uint[memory is null ? 0 : memory.Banding.Bands];
        memory?.ComputeKeys(signature, keys);
        lock (_foundLock)
        {
            if (_templates.TryGetValue(id, out TemplateState? existing))
            {
                // The same founding fingerprint again (a copy whose founder left the near-duplicate memory).
                Interlocked.Increment(ref existing.Count);
                existing.Touch(order);
                return existing;
            }
            if (_templateCount >= _options.MaxTemplates) EvictTemplates();
            _templates[id] = state;
            _templateCount++;
            AddLive(state);
            memory?.Add(signature, id, keys);
            return state;
        }
    }

    /// <summary>
    /// Drops the eighth of the templates with the lowest (count, last assignment). Caller holds the founding lock.
    /// </summary>
    /// <remarks>
    /// O(t) for t templates, not a sort: one pass over the flat array of kept templates snapshots each one's (count,
    /// last assignment) as one 128-bit key, a selection (Hoare's FIND, CACM 1961) finds the key at the eighth's
    /// boundary, and a second pass drops the templates below it (and as many at it as the eighth still needs: ties
    /// go in founding order, where the sort this replaced broke them arbitrarily) and compacts the array. Scratch
    /// arrays are kept for the next pass, so a steady-state pass allocates nothing.
    /// </remarks>
    private void EvictTemplates()
    {
        TemplateState[] live = _live;
        int n = _liveCount;
        if (n == 0) return;
        if (_evictKeys is null || _evictKeys.Length < n)
        {
            _evictKeys = new UInt128[live.Length];
            _evictScratch = new UInt128[live.Length];
        }
        // Snapshot the keys once: joins keep counting without the lock, and the pass must drop exactly the eighth.
        UInt128[] keys = _evictKeys;
        for (int i = 0; i < n; i++) keys[i] = EvictionKey(live[i]);
        int drop = Math.Max(1, n / 8);
        Span<UInt128> scratch = _evictScratch.AsSpan(0, n);
        keys.AsSpan(0, n).CopyTo(scratch);
        UInt128 boundary = SelectSmallest(scratch, drop - 1);
        int atBoundary = drop;
        for (int i = 0; i < n; i++)
        {
            if (keys[i] < boundary) atBoundary--;
        }
        int kept = 0;
        for (int i = 0; i < n; i++)
        {
            TemplateState state = live[i];
            UInt128 key = keys[i];
            bool evict = key < boundary || (key == boundary && atBoundary-- > 0);
            if (!evict)
            {
                live[kept++] = state;
                continue;
            }
            if (_templates.TryRemove(state.Id, out _)) _templateCount--;
        }
        Array.Clear(live, kept, n - kept);
        _liveCount = kept;
        // After the removals: a reader that saw the previous count checked templates no later pass has removed.
        Interlocked.Increment(ref _evictionPasses);
    }

    private int _evictionPasses;

    /// <summary>
    /// Eviction passes so far (increased after each pass's removals): a template <see cref="IsAlive"/> found present
    /// while this read some value is still present while it reads the same value (a caller can cache the check).
    /// </summary>
    internal int EvictionPasses => Volatile.Read(ref _evictionPasses);

    /// <summary>Records a template just added to the dictionary in the flat array. Caller holds the founding lock (or owns the index).</summary>
    private void AddLive(TemplateState state)
    {
        if (_liveCount == _live.Length)
        {
            int grown = (int)Math.Min(Math.Max(16L, 2L * _live.Length), Math.Max(_options.MaxTemplates + 1L, _live.Length + 1L));
            Array.Resize(ref _live, grown);
        }
        _live[_liveCount++] = state;
    }

    /// <summary>(count, last assignment) as one key that orders like the pair.</summary>
    private static UInt128 EvictionKey(TemplateState state) =>
        new((ulong)Math.Max(0, Volatile.Read(ref state.Count)), (ulong)Math.Max(0, Volatile.Read(ref state.Last)));

    /// <summary>
    /// The <paramref name="k"/>-th smallest key (0-based) of <paramref name="keys"/>, which it reorders: Hoare's FIND
    /// (quickselect) with a median-of-three pivot, expected O(n).
    /// </summary>
    internal static T SelectSmallest<T>(Span<T> keys, int k)
        where T : IComparisonOperators<T, T, bool>
    {
        int lo = 0;
        int hi = keys.Length - 1;
        while (lo < hi)
        {
            T a = keys[lo];
            T b = keys[lo + ((hi - lo) >> 1)];
            T c = keys[hi];
            T pivot = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
            int i = lo;
            int j = hi;
            while (i <= j)
            {
                while (keys[i] < pivot) i++;
                while (keys[j] > pivot) j--;
                if (i <= j)
                {
                    (keys[i], keys[j]) = (keys[j], keys[i]);
                    i++;
                    j--;
                }
            }
            // Now keys[lo..j] <= pivot <= keys[i..hi], and every key strictly between j and i equals the pivot.
            if (k <= j) hi = j;
            else if (k >= i) lo = i;
            else return pivot;
        }
        return keys[k];
    }

    /// <summary>Established segments remembered for near-duplicate matching: MaxSegments / 16, 64 to 65,536.</summary>
    internal static int SegmentSketchCapacity(TemplateIndexOptions options) => Math.Clamp(options.MaxSegments / 16, 64, 65_536);

    internal bool IsAlive(long id) => _templates.ContainsKey(id);

    internal static long TemplateIdOf(ReadOnlySpan<uint> signature, long seed)
    {
        ulong h = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(signature), seed ^ 0x7E3B_1A7E);
        long id = (long)(h & long.MaxValue);
        return id == 0 ? 1 : id;
    }

    internal static string Truncate(ReadOnlySpan<char> prompt, int length)
    {
        if (prompt.Length <= length) return prompt.ToString();
        ReadOnlySpan<char> head = prompt[..length];
        if (char.IsHighSurrogate(head[^1])) head = head[..^1];
        return head.ToString();
    }

    private static bool IsWordChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || (c > 0x7F && !char.IsWhiteSpace(c) && !char.IsPunctuation(c) && !char.IsSymbol(c));

    /// <summary>Words = maximal runs of letters or digits (the placeholder of a masked number counts as one).</summary>
    internal static int CountWords(ReadOnlySpan<char> text)
    {
        int words = 0;
        bool inWord = false;
        foreach (char c in text)
        {
            bool letter = IsWordChar(c);
            if (letter && !inWord) words++;
            inWord = letter;
        }
        return words;
    }
}
