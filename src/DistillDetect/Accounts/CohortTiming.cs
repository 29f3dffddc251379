namespace DistillDetect.Accounts;

/// <summary>Summary timing statistics of a cohort's members (medians over members unless stated).</summary>
/// <param name="FirstSeenUtc">Earliest exchange of any member.</param>
/// <param name="LastSeenUtc">Latest exchange of any member.</param>
/// <param name="Exchanges">Total exchanges of the members.</param>
/// <param name="MedianVolume">Median exchanges per member.</param>
/// <param name="MedianLifetime">Median time from a member's first to last exchange.</param>
/// <param name="LifetimeShare">Median member lifetime over the observation span (first to last exchange of all accounts searched) in [0, 1]: near 1 for long-lived keys that never rotate, small for accounts that arrive and leave in waves.</param>
/// <param name="ArrivalSpreadDays">Interquartile range of the members' first-seen times, in days.</param>
/// <param name="MedianExchangesPerDay">Median of volume / max(1 day, lifetime) per member.</param>
/// <param name="MedianMeanGapSeconds">Median of the members' mean inter-arrival gaps in seconds (NaN when no member has two exchanges).</param>
/// <param name="MedianBurstiness">Median burstiness (sigma - mu)/(sigma + mu) of gaps: -1 periodic, 0 Poisson, 1 bursty (NaN when undefined for all).</param>
/// <param name="MedianHourEntropyBits">Median Shannon entropy of the members' hour-of-day activity, in bits (log2 24 = 4.58 for round-the-clock).</param>
public sealed record CohortTiming(
    DateTime FirstSeenUtc,
    DateTime LastSeenUtc,
    long Exchanges,
    double MedianVolume,
    TimeSpan MedianLifetime,
    double LifetimeShare,
    double ArrivalSpreadDays,
    double MedianExchangesPerDay,
    double MedianMeanGapSeconds,
    double MedianBurstiness,
    double MedianHourEntropyBits);
