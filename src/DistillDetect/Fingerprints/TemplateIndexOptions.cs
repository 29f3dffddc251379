namespace DistillDetect.Fingerprints;

/// <summary>
/// Parameters of a <see cref="TemplateIndex"/>. Immutable; two indexes can be merged only when their
/// options are equal. Call <see cref="Validate"/> (the index constructor does) to check the ranges.
/// </summary>
/// <remarks>
/// The grouping rule these parameters drive (see <see cref="TemplateIndex"/> for the full statement):
/// a prompt joins a template when the segments it shares with that template's core cover at least
/// <see cref="MinSharedWords"/> words (or <see cref="MinSharedFraction"/> of a short prompt), and, once
/// the template has <see cref="MatureCount"/> members, at least <see cref="MinContainment"/> of the words
/// its members usually share with it; else when its whole-prompt MinHash has Jaccard at least
/// <see cref="NearDuplicateThreshold"/> with a template's founding prompt; else it founds a template.
/// Segments of fewer than 3 words are ignored. Memory: about 48 B per tracked segment (<see cref="MaxSegments"/>), 2 * <see cref="ExampleLength"/> + 120 B
/// per template (<see cref="MaxTemplates"/>) and 5 * <see cref="HashCount"/> + 16 B plus 28 B per LSH band per
/// near-duplicate slot (<see cref="NearDuplicateCapacity"/>; 21 bands and 924 B per slot at the defaults, allocated
/// when the index is created), and a segment-sketch memory of <see cref="MaxSegments"/> / 16 slots of 456 B. The
/// defaults allocate 58.8 MB when the index is created (measured with <c>GC.GetTotalMemory</c>, 2026-11-28) and reach
/// about 95 MB when <see cref="MaxTemplates"/> templates are kept (estimated).
/// </remarks>
public sealed record TemplateIndexOptions
{
    /// <summary>The default seed of every hash the index computes. Set a secret one per deployment.</summary>
    public const long DefaultSeed = 0x5D15_711D_E7EC_7001;

    /// <summary>
    /// Whole-prompt Jaccard similarity (0 &lt; J &lt;= 1) at or above which a prompt with too little
    /// segment overlap still joins the template of a near-duplicate founding prompt. Default 0.5.
    /// </summary>
    public double NearDuplicateThreshold { get; init; } = 0.5;

    /// <summary>Length of the whole-prompt MinHash signature (16 to 1,024). Default 64.</summary>
    public int HashCount { get; init; } = 64;

    /// <summary>Word shingle size of the whole-prompt MinHash (1 to 16). Default 3.</summary>
    public int ShingleSize { get; init; } = 3;

    /// <summary>Seed of the segment hashes, the MinHash and the LSH band keys.</summary>
    public long Seed { get; init; } = DefaultSeed;

    /// <summary>
    /// How many earlier prompts of a template must contain a segment before it counts as evidence
    /// for that template (1 to 1,000,000). Default 1: two prompts sharing a long segment are a template.
    /// </summary>
    public int MinSegmentSupport { get; init; } = 1;

    /// <summary>
    /// A segment is part of a template's core when at least this share of the template's prompts
    /// contained it, and at least this share of all prompts that contained it belong to the template
    /// (0 &lt; f &lt;= 1). Default 0.5: wrapper sentences stay core; task sentences that a few prompts of the
    /// template repeat do not, and neither does a generic sentence spread over many unrelated groups
    /// (an IDF-like test: support across distinct groups counts against a segment).
    /// </summary>
    public double CoreFraction { get; init; } = 0.5;

    /// <summary>
    /// Words of core segments a prompt must share with a template to join it (1 to 10,000).
    /// Default 10: generic sentences such as "Can you help me with this?" (6 words) or "Write a Python
    /// function that does the following." (9) never glue unrelated prompts on their own.
    /// </summary>
    public int MinSharedWords { get; init; } = 10;

    /// <summary>
    /// Alternative for short prompts: the shared core segments cover at least this share of the
    /// prompt's words (0 &lt; f &lt;= 1, and at least 3 words). Default 0.6.
    /// </summary>
    public double MinSharedFraction { get; init; } = 0.6;

    /// <summary>
    /// Members a template needs before <see cref="MinContainment"/> applies (1 to 1,000,000). Default 4.
    /// </summary>
    public int MatureCount { get; init; } = 4;

    /// <summary>
    /// For a mature template, a prompt must share at least this share of the mean number of words the
    /// template's members share with it (0 &lt;= f &lt;= 1). Default 0.5: a legitimate prompt that
    /// happens to contain one sentence of a three-sentence wrapper does not join the campaign.
    /// </summary>
    public double MinContainment { get; init; } = 0.5;

    /// <summary>Segments fingerprinted at each end of a prompt (1 to 256). Default 8: a wrapper surrounds its task, and the bound keeps the per-prompt cost flat.</summary>
    public int SegmentsPerEnd { get; init; } = 8;

    /// <summary>Most templates kept (16 to 2^26); beyond it the least-used are evicted. Default 65,536.</summary>
    public int MaxTemplates { get; init; } = 65_536;

    /// <summary>
    /// Most segments tracked (1,024 to 2^28); beyond it the least-used (lowest support, then oldest) are evicted.
    /// Default 262,144 (about 21 MB). A new wrapper's segments must recur before roughly MaxSegments / 4 new
    /// segments arrive (about 4,000 unrelated 2 KB prompts at the default) to build up support and survive.
    /// </summary>
    public int MaxSegments { get; init; } = 262_144;

    /// <summary>
    /// Founding prompts remembered for near-duplicate matching (0 to 2^24; 0 disables it); the oldest
    /// is forgotten first. Default 32,768.
    /// </summary>
    public int NearDuplicateCapacity { get; init; } = 32_768;

    /// <summary>Characters kept of a template's representative example (16 to 65,536). Default 200.</summary>
    public int ExampleLength { get; init; } = 200;

    /// <summary>Checks every parameter's range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of its documented range.</exception>
    public void Validate()
    {
        Check(NearDuplicateThreshold is > 0 and <= 1, nameof(NearDuplicateThreshold), "must be in (0, 1]");
        Check(HashCount is >= 16 and <= 1024, nameof(HashCount), "must be in [16, 1024]");
        Check(ShingleSize is >= 1 and <= 16, nameof(ShingleSize), "must be in [1, 16]");
        Check(MinSegmentSupport is >= 1 and <= 1_000_000, nameof(MinSegmentSupport), "must be in [1, 1000000]");
        Check(CoreFraction is > 0 and <= 1, nameof(CoreFraction), "must be in (0, 1]");
        Check(MinSharedWords is >= 1 and <= 10_000, nameof(MinSharedWords), "must be in [1, 10000]");
        Check(MinSharedFraction is > 0 and <= 1, nameof(MinSharedFraction), "must be in (0, 1]");
        Check(MatureCount is >= 1 and <= 1_000_000, nameof(MatureCount), "must be in [1, 1000000]");
        Check(MinContainment is >= 0 and <= 1, nameof(MinContainment), "must be in [0, 1]");
        Check(SegmentsPerEnd is >= 1 and <= 256, nameof(SegmentsPerEnd), "must be in [1, 256]");
        Check(MaxTemplates is >= 16 and <= 1 << 26, nameof(MaxTemplates), "must be in [16, 2^26]");
        Check(MaxSegments is >= 1024 and <= 1 << 28, nameof(MaxSegments), "must be in [1024, 2^28]");
        Check(NearDuplicateCapacity is >= 0 and <= 1 << 24, nameof(NearDuplicateCapacity), "must be in [0, 2^24]");
        Check(ExampleLength is >= 16 and <= 65_536, nameof(ExampleLength), "must be in [16, 65536]");
        Check((long)NearDuplicateCapacity * HashCount <= 1 << 28, nameof(NearDuplicateCapacity), "times HashCount must be at most 2^28 (1 GB of signatures)");
    }

    private static void Check(bool ok, string name, string rule)
    {
        if (!ok) TemplateThrow.OptionOutOfRange(name, rule);
    }
}
