namespace DistillDetect.Accounts;

/// <summary>
/// Parameters of an <see cref="AccountProfile"/>. Profiles can be merged and compared only when their
/// options are equal (record equality). With the defaults a profile takes 2,024 B in memory and at most 2,019 B
/// serialized, of which 1,072 B in memory is the RatePatterns timing state (see
/// <see cref="AccountProfile.ApproximateMemoryBytes"/> for the breakdown). Immutable, thread-safe.
/// </summary>
public sealed record AccountProfileOptions
{
    /// <summary>Default seed of the profile hashes. Set your own per deployment: an attacker who knows the seed can aim collisions.</summary>
    public const long DefaultSeed = 0x5DEECE66DL;

    /// <summary>Shared default instance.</summary>
    public static AccountProfileOptions Default { get; } = new();

    /// <summary>Bins of the one-permutation MinHash over the set of template ids (8 to 512, default 32: 128 B; Jaccard standard error about sqrt(J(1-J)/32), 0.09 at J = 0.5; the usage-weighted sketch carries the similarity, this one the set view and containment).</summary>
    public int TemplateHashCount { get; init; } = 32;

    /// <summary>
    /// Bins of the usage-weighted MinHash (8 to 512, default 64): the k-th exchange on a template inserts
    /// the element (template, k), so its Jaccard estimate is the multiset (weighted) Jaccard
    /// sum min(count_a, count_b) / sum max(count_a, count_b) over templates. Unlike the set Jaccard it is not
    /// diluted by the long tail of one-off templates (camouflage, prompts the template index could not group).
    /// </summary>
    public int UsageHashCount { get; init; } = 64;

    /// <summary>Counters per row of the two-row count-min sketch (conservative update, Estan and Varghese 2002) that numbers each template's exchanges for the usage-weighted MinHash (16 to 4096, default 32: 128 B of 16-bit counters).</summary>
    public int UsageCounterWidth { get; init; } = 32;

    /// <summary>Bins of the one-permutation MinHash over (template id, time window) pairs used for synchronized activity (8 to 512, default 32: 128 B plus 64 B of window numbers).</summary>
    public int SynchronizationHashCount { get; init; } = 32;

    /// <summary>Width of the time windows of synchronized activity (default 1 hour; 1 minute to 7 days). Two actions on the same template in the same window count as synchronized (SynchroTrap, Cao et al. 2014).</summary>
    public TimeSpan SynchronizationWindow { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Number of most-used template ids kept per account (Space-Saving counters, 1 to 64, default 6); they name the shared templates in cohort evidence.</summary>
    public int TopTemplateCount { get; init; } = 6;

    /// <summary>Precision p of the HyperLogLog distinct-template counter (4 to 16, default 6: 64 one-byte registers, standard error 1.04/sqrt(64) = 13 %, and linear counting, more accurate, below about 160 distinct templates).</summary>
    public int DistinctTemplatePrecision { get; init; } = 6;

    /// <summary>Seed of every hash in the profile.</summary>
    public long Seed { get; init; } = DefaultSeed;

    /// <summary>Checks every parameter.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is outside its documented range.</exception>
    public void Validate()
    {
        if (TemplateHashCount is < 8 or > 512) OptionGuard.OutOfRange(nameof(TemplateHashCount), TemplateHashCount, "8 to 512");
        if (UsageHashCount is < 8 or > 512) OptionGuard.OutOfRange(nameof(UsageHashCount), UsageHashCount, "8 to 512");
        if (UsageCounterWidth is < 16 or > 4096) OptionGuard.OutOfRange(nameof(UsageCounterWidth), UsageCounterWidth, "16 to 4096");
        if (SynchronizationHashCount is < 8 or > 512) OptionGuard.OutOfRange(nameof(SynchronizationHashCount), SynchronizationHashCount, "8 to 512");
        if (SynchronizationWindow < TimeSpan.FromMinutes(1) || SynchronizationWindow > TimeSpan.FromDays(7)) OptionGuard.OutOfRange(nameof(SynchronizationWindow), SynchronizationWindow, "1 minute to 7 days");
        if (DistinctTemplatePrecision is < 4 or > 16) OptionGuard.OutOfRange(nameof(DistinctTemplatePrecision), DistinctTemplatePrecision, "4 to 16");
        if (TopTemplateCount is < 1 or > 64) OptionGuard.OutOfRange(nameof(TopTemplateCount), TopTemplateCount, "1 to 64");
    }
}
