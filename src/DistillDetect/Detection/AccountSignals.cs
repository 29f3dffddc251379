namespace DistillDetect.Detection;

/// <summary>
/// The per-account evidence behind a flag, so a report explains every flagged account.
/// </summary>
/// <param name="Exchanges">Exchanges observed from the account.</param>
/// <param name="DistinctTemplates">Estimated distinct templates the account used (HyperLogLog).</param>
/// <param name="CampaignTemplateShare">Share of the account's exchanges on its campaign's templates, in [0, 1]
/// (from its most-used-template counters; the concentration test); for <see cref="FlagReason.CampaignTemplates"/>, the
/// share that rule reads (the larger of what the counters guarantee and the usage-weighted MinHash estimate: counters
/// overstate once an account has used more templates than it has counters); for <see cref="FlagReason.SharedTasks"/>,
/// the larger of the counters' share and the share of its narrow templates that another member of its shared-task
/// cohort also used (for an account timed like a person: that two or more of its machine-timed members used).</param>
/// <param name="TopTemplateShare">Share of its exchanges on its single most used template, in [0, 1].</param>
/// <param name="MeanGapSeconds">Mean time between consecutive exchanges, seconds (NaN below 2 exchanges).</param>
/// <param name="Burstiness">Goh-Barabasi burstiness (s - m) / (s + m) of the gaps, in [-1, 1]: -1 a fixed interval,
/// 0 a Poisson stream, towards 1 human sessions (NaN below 3 exchanges).</param>
/// <param name="RegularGapShare">Largest share of the gaps within three adjacent octaves (a factor of 8), in [0, 1]: 1 for
/// a fixed interval with up to +-50 % jitter, less only by its pauses (a shift's nights); at most 0.65 for a Poisson
/// stream, about 0.86 for log-normal think times with a log-sd of 0.7 (NaN while no gap is counted). At least 0.95 over 100
/// gaps or more counts as machine-like timing (<see cref="DetectionOptions.MachineBurstiness"/>).</param>
/// <param name="LifetimeHours">Hours from the first to the last exchange.</param>
/// <param name="CohortCohesion">Mean pairwise similarity inside the account's cohort, in [0, 1]; NaN when the
/// account was not found in a cohort by the analysis that flagged it; for <see cref="FlagReason.SharedTasks"/>, the share
/// of its narrow templates that another member of its shared-task cohort also used (for an account timed like a person:
/// that two or more of its machine-timed members used).</param>
/// <param name="Reason">Why the account was flagged.</param>
public readonly record struct AccountSignals(
    long Exchanges,
    double DistinctTemplates,
    double CampaignTemplateShare,
    double TopTemplateShare,
    double MeanGapSeconds,
    double Burstiness,
    double RegularGapShare,
    double LifetimeHours,
    double CohortCohesion,
    FlagReason Reason);
