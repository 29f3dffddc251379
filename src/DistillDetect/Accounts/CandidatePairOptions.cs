namespace DistillDetect.Accounts;

/// <summary>
/// Parameters of <see cref="CandidatePairFinder"/>. Immutable, thread-safe.
/// <para>Memory bound: candidate pairs never exceed n x (template bands + synchronization bands) x
/// max((<see cref="MaxBucketSize"/> - 1) / 2, <see cref="NeighbourWindow"/>) for n accounts, whatever the data
/// (with the defaults 14 + 14 bands x 7.5 = 210 n in the worst case; the scale measurement gave 5 to 6 per account).</para>
/// </summary>
public sealed record CandidatePairOptions
{
    /// <summary>Shared default instance.</summary>
    public static CandidatePairOptions Default { get; } = new();

    /// <summary>Usage-weighted template Jaccard (<see cref="AccountSimilarity.UsageJaccard"/>) at which a pair must become a candidate with probability <see cref="RecallAtThreshold"/> (default 0.4).</summary>
    public double TemplateThreshold { get; init; } = 0.4;

    /// <summary>Synchronized-activity Jaccard at which a pair must become a candidate with probability <see cref="RecallAtThreshold"/> (default 0.4).</summary>
    public double SynchronizationThreshold { get; init; } = 0.4;

    /// <summary>Probability that a pair exactly at a threshold shares at least one LSH bucket (default 0.9); the bands and rows are the cheapest that reach it.</summary>
    public double RecallAtThreshold { get; init; } = 0.9;

    /// <summary>Buckets with at most this many accounts give all their pairs (default 16, at least 2).</summary>
    public int MaxBucketSize { get; init; } = 16;

    /// <summary>
    /// In a larger bucket (a popular template shared by thousands) accounts are ordered by a coarse
    /// lifetime key (first-seen day, ties broken by a per-band hash) and each is paired only with the next
    /// this many (default 4): accounts that arrived in the same wave become candidates, and a bucket of
    /// s accounts gives at most s x window pairs instead of s^2 / 2.
    /// </summary>
    public int NeighbourWindow { get; init; } = 4;

    /// <summary>Granularity of the coarse lifetime key used to order large buckets (default 1 day).</summary>
    public TimeSpan LifetimeKeyGranularity { get; init; } = TimeSpan.FromDays(1);

    /// <summary>Accounts with fewer exchanges are never paired (default 5): one pasted prompt is no behaviour to compare.</summary>
    public long MinimumVolume { get; init; } = 5;

    /// <summary>Seed of the band hashes (set one per deployment).</summary>
    public long Seed { get; init; } = 0x0C0_4087;

    /// <summary>Checks every parameter.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is outside its range.</exception>
    public void Validate()
    {
        if (!(TemplateThreshold is > 0 and < 1)) OptionGuard.OutOfRange(nameof(TemplateThreshold), TemplateThreshold, "(0, 1)");
        if (!(SynchronizationThreshold is > 0 and < 1)) OptionGuard.OutOfRange(nameof(SynchronizationThreshold), SynchronizationThreshold, "(0, 1)");
        if (!(RecallAtThreshold is > 0 and < 1)) OptionGuard.OutOfRange(nameof(RecallAtThreshold), RecallAtThreshold, "(0, 1)");
        if (MaxBucketSize is < 2 or > 4096) OptionGuard.OutOfRange(nameof(MaxBucketSize), MaxBucketSize, "2 to 4096");
        if (NeighbourWindow is < 1 or > 1024) OptionGuard.OutOfRange(nameof(NeighbourWindow), NeighbourWindow, "1 to 1024");
        if (LifetimeKeyGranularity < TimeSpan.FromMinutes(1)) OptionGuard.OutOfRange(nameof(LifetimeKeyGranularity), LifetimeKeyGranularity, "at least 1 minute");
        if (MinimumVolume < 1) OptionGuard.OutOfRange(nameof(MinimumVolume), MinimumVolume, "at least 1");
    }
}
