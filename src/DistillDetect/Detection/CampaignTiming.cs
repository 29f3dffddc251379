using DistillDetect.Accounts;

namespace DistillDetect.Detection;

/// <summary>Timing evidence of a campaign, over its flagged accounts. Immutable.</summary>
/// <param name="MedianMeanGapSeconds">Median over accounts of the mean gap between exchanges, seconds (NaN when no account has 2 exchanges).</param>
/// <param name="MedianBurstiness">Median burstiness (see <see cref="AccountSignals.Burstiness"/>; NaN when no account has 3 exchanges).</param>
/// <param name="MachineTimingShare">Share of accounts (with at least 3 exchanges) whose burstiness is at most
/// <see cref="DetectionOptions.MachineBurstiness"/> (fixed intervals and Poisson streams without human sessions) or whose
/// gaps are regular (see <see cref="AccountSignals.RegularGapShare"/>: fixed intervals run in shifts).</param>
/// <param name="MedianLifetime">Median time from an account's first to last exchange.</param>
/// <param name="LifetimeShare">Median lifetime over the campaign's whole span, in [0, 1]: low when accounts rotate in waves.</param>
/// <param name="ArrivalSpreadDays">Interquartile range of the accounts' first-seen times, days.</param>
/// <param name="SynchronizedWindows">Time windows in which several accounts acted on the same template (from the cohort analysis; may be empty).</param>
public sealed record CampaignTiming(
    double MedianMeanGapSeconds,
    double MedianBurstiness,
    double MachineTimingShare,
    TimeSpan MedianLifetime,
    double LifetimeShare,
    double ArrivalSpreadDays,
    IReadOnlyList<SynchronizedWindow> SynchronizedWindows);
