namespace DistillDetect.Accounts;

/// <summary>
/// Parameters of <see cref="CohortFinder"/>. Immutable, thread-safe.
/// <para>The service-fleet rule. One company's service keys running one batch template over varied data
/// look alike in every pairwise respect (same template, same hours, machine timing, same lifetimes), so
/// they form a cohort. What separates them from a distillation campaign is at cohort level: a campaign
/// uses several templates (and evasion splits each into several ids), its accounts arrive in waves and
/// are abandoned (rotation), and each account sends a human-sized volume to stay under per-key limits. A
/// fleet has at most one shared template, keys that live through the whole span and machine-scale volume
/// per key. Each of the three fleet signals lowers the cohort score by a third; all three give 0.</para>
/// </summary>
public sealed record CohortFinderOptions
{
    /// <summary>Shared default instance.</summary>
    public static CohortFinderOptions Default { get; } = new();

    /// <summary>Candidate-pair generation.</summary>
    public CandidatePairOptions Candidates { get; init; } = CandidatePairOptions.Default;

    /// <summary>Weights of the pairwise similarity.</summary>
    public SimilarityWeights Weights { get; init; } = SimilarityWeights.Default;

    /// <summary>Candidate pairs scoring at least this become edges of the similarity graph (default 0.5).</summary>
    public double EdgeThreshold { get; init; } = 0.5;

    /// <summary>Clustering method (default <see cref="CohortClustering.ConnectedComponents"/>, which measured better on the synthetic worlds; see the README).</summary>
    public CohortClustering Clustering { get; init; } = CohortClustering.ConnectedComponents;

    /// <summary>Smallest cohort reported (default 5 accounts).</summary>
    public int MinCohortSize { get; init; } = 5;

    /// <summary>Peeling: smallest density (edge weight per member) of a reported cohort (default 0.5, i.e. a mean weighted degree of 1).</summary>
    public double MinDensity { get; init; } = 0.5;

    /// <summary>Peeling: accounts whose summed edge weight inside the group stays below this are peeled off first (default 1.0: at least two edges of 0.5); one stray edge does not make a member.</summary>
    public double MinCoreDegree { get; init; } = 1.0;

    /// <summary>Cohorts whose score reaches this are flagged (default 0.4).</summary>
    public double FlagThreshold { get; init; } = 0.4;

    /// <summary>A template counts as shared when at least this share of the members use it (default 0.25).</summary>
    public double SharedTemplateShare { get; init; } = 0.25;

    /// <summary>Fleet signal: a median lifetime share at or above this means keys that do not rotate (default 0.8).</summary>
    public double NonRotatingLifetimeShare { get; init; } = 0.8;

    /// <summary>Fleet signal: a median volume per member per day above this is machine scale (default 500 exchanges a day).</summary>
    public double HumanDailyVolume { get; init; } = 500;

    /// <summary>Checks every parameter (and the nested options).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is outside its range.</exception>
    /// <exception cref="ArgumentNullException">A nested option is null.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Candidates);
        ArgumentNullException.ThrowIfNull(Weights);
        Candidates.Validate();
        Weights.Validate();
        if (!(EdgeThreshold is >= 0 and <= 1)) OptionGuard.OutOfRange(nameof(EdgeThreshold), EdgeThreshold, "[0, 1]");
        if (!Enum.IsDefined(Clustering)) OptionGuard.OutOfRange(nameof(Clustering), Clustering, "the defined values");
        if (MinCohortSize < 2) OptionGuard.OutOfRange(nameof(MinCohortSize), MinCohortSize, "at least 2");
        if (!(MinDensity >= 0) || !double.IsFinite(MinDensity)) OptionGuard.OutOfRange(nameof(MinDensity), MinDensity, "[0, infinity)");
        if (!(MinCoreDegree >= 0) || !double.IsFinite(MinCoreDegree)) OptionGuard.OutOfRange(nameof(MinCoreDegree), MinCoreDegree, "[0, infinity)");
        if (!(FlagThreshold is >= 0 and <= 1)) OptionGuard.OutOfRange(nameof(FlagThreshold), FlagThreshold, "[0, 1]");
        if (!(SharedTemplateShare is > 0 and <= 1)) OptionGuard.OutOfRange(nameof(SharedTemplateShare), SharedTemplateShare, "(0, 1]");
        if (!(NonRotatingLifetimeShare is > 0 and <= 1)) OptionGuard.OutOfRange(nameof(NonRotatingLifetimeShare), NonRotatingLifetimeShare, "(0, 1]");
        if (!(HumanDailyVolume > 0) || !double.IsFinite(HumanDailyVolume)) OptionGuard.OutOfRange(nameof(HumanDailyVolume), HumanDailyVolume, "(0, infinity)");
    }
}
