namespace DistillDetect.RatePatterns;

/// <summary>
/// Every timing figure of one account: what the <c>timing</c> command writes. Gaps are the differences of
/// the account's sorted timestamps, in seconds.
/// </summary>
/// <remarks>
/// <para>Undefined figures are <see cref="double.NaN"/> (the command line writes <c>null</c> for them):
/// with fewer than 3 exchanges every figure that describes the spread, shape or order of gaps is NaN
/// (standard deviation, CV, burstiness, memory, entropies of gaps, regular-gap share, period, KS, dispersion);
/// <see cref="MeanGapSeconds"/> and <see cref="MinGapSeconds"/> need 2 exchanges; the hour entropies
/// need 1. Beyond that a figure is NaN when its formula is 0/0: e.g. the memory coefficient of a perfectly
/// regular sequence (no variance), or KS when every gap is 0 (an exponential needs a positive mean).</para>
/// <para>KS, Lilliefors, conditional entropy and period use <see cref="TestSampleSize"/> gaps: every gap for
/// <see cref="FromTimestamps(ReadOnlySpan{long})"/> and for a streaming state with at most 33 exchanges
/// (exact), else the most recent 32 gaps of the stream.</para>
/// </remarks>
/// <param name="Count">Exchanges counted (accepted timestamps).</param>
/// <param name="First">Earliest timestamp (UTC), null when <paramref name="Count"/> is 0.</param>
/// <param name="Last">Latest timestamp (UTC), null when <paramref name="Count"/> is 0.</param>
/// <param name="DroppedOutOfOrder">Timestamps dropped because they arrived later than the reorder window allows.</param>
/// <param name="MeanGapSeconds">Mean gap m, seconds.</param>
/// <param name="GapStandardDeviationSeconds">Sample standard deviation s of gaps (n - 1 denominator), seconds.</param>
/// <param name="CoefficientOfVariation">s / m (dimensionless): about 0 for a fixed interval, 1 for Poisson, above 1 for bursts.</param>
/// <param name="Burstiness">B = (s - m) / (s + m) in [-1, 1] (Goh and Barabasi 2008): -1 regular, 0 Poisson, toward 1 bursty.</param>
/// <param name="BurstinessCorrected">Kim and Jo (2016) finite-size form A_n = (sqrt(n+1) r - sqrt(n-1)) / ((sqrt(n+1) - 2) r + sqrt(n-1)), n = number of gaps, r = population s / m; in [-1, 1].</param>
/// <param name="Memory">Memory coefficient M in [-1, 1]: Pearson correlation of consecutive gaps (tau_i, tau_i+1) (Goh and Barabasi 2008).</param>
/// <param name="MinGapSeconds">Shortest gap, seconds (0 for duplicate timestamps).</param>
/// <param name="GapEntropyBits">Shannon entropy (bits) of the gaps' octave bins (bin 0: under 1 ms; bin k: [2^(k-1), 2^k) ms; 32 bins), over all gaps.</param>
/// <param name="RegularGapShare">Largest share of the gaps within three adjacent octave bins (the bins of <paramref name="GapEntropyBits"/>), in [0, 1], over all gaps: 1 for a fixed interval with up to +-50 % jitter (less only by its pauses), at most 0.650 for Poisson gaps, about 0.86 for log-normal think times with a log-sd of 0.7. The detector counts 0.95 or more over 100 gaps as machine timing.</param>
/// <param name="ConditionalEntropyBits">Corrected conditional entropy (bits) of the sequence of gap octave bins (Porta et al. 1998; Chu et al. 2012), minimum over pattern lengths 1 to 8: low for machine-regular sequences.</param>
/// <param name="PeriodSeconds">Dominant interval, seconds: the median gap of the window [g, 3g] (g at least 0.5 s) holding the most gaps, so a fixed interval with +-50 % jitter is found.</param>
/// <param name="PeriodStrength">Share of gaps in that window above the Poisson baseline 0.385, rescaled to [0, 1]: 1 for a jittered fixed interval, about 0.1 to 0.2 for Poisson.</param>
/// <param name="TestSampleSize">Gaps used by the KS test, conditional entropy and period (see remarks).</param>
/// <param name="KsExponentialD">Kolmogorov-Smirnov D of the gaps against an exponential with the gaps' own mean.</param>
/// <param name="KsExponentialP">Plain KS p-value of D (exact distribution, as scipy.stats.kstest(gaps, 'expon', args=(0, mean)) computes it); too large, since the mean is estimated.</param>
/// <param name="KsLillieforsP">Lilliefors p-value of D for the estimated mean (fixed-seed Monte Carlo with 1,000 replicates, resolution 1/1001).</param>
/// <param name="DispersionIndex">Index of dispersion of counts in 1-hour UTC bins from the first to the last hour (zeros included): sample variance (n - 1) / mean; 1 for Poisson, below 1 regular, above 1 clustered.</param>
/// <param name="DispersionPValue">Upper-tail chi-square p-value of (H - 1) * DispersionIndex with H - 1 degrees of freedom (small: over-dispersed); needs at least 2 hour bins.</param>
/// <param name="HourBins">H, the number of 1-hour bins from the first to the last hour.</param>
/// <param name="HourOfDayEntropyBits">Shannon entropy (bits) of requests over the 24 UTC hours of the day; max log2(24) = 4.585.</param>
/// <param name="HourOfWeekEntropyBits">Shannon entropy (bits) of requests over the 168 UTC hours of the week; max log2(168) = 7.392.</param>
/// <param name="ActiveDays">Distinct UTC calendar days with a request.</param>
public readonly record struct TimingSummary(
    long Count,
    DateTimeOffset? First,
    DateTimeOffset? Last,
    long DroppedOutOfOrder,
    double MeanGapSeconds,
    double GapStandardDeviationSeconds,
    double CoefficientOfVariation,
    double Burstiness,
    double BurstinessCorrected,
    double Memory,
    double MinGapSeconds,
    double GapEntropyBits,
    double RegularGapShare,
    double ConditionalEntropyBits,
    double PeriodSeconds,
    double PeriodStrength,
    int TestSampleSize,
    double KsExponentialD,
    double KsExponentialP,
    double KsLillieforsP,
    double DispersionIndex,
    double DispersionPValue,
    long HourBins,
    double HourOfDayEntropyBits,
    double HourOfWeekEntropyBits,
    long ActiveDays)
{
    /// <summary>
    /// Exact figures from a complete set of timestamps (UTC <see cref="DateTime.Ticks"/>, any order; values
    /// outside the DateTime range are ignored): every gap is used for every figure. Allocates O(n);
    /// O(n log n) time. Thread-safe (no shared state).
    /// </summary>
    public static TimingSummary FromTimestamps(ReadOnlySpan<long> utcTicks) => AccountTiming.SummarizeExact(utcTicks);

    /// <summary>Exact figures from a complete set of timestamps (converted to UTC); see <see cref="FromTimestamps(ReadOnlySpan{long})"/>.</summary>
    public static TimingSummary FromTimestamps(ReadOnlySpan<DateTimeOffset> timestamps)
    {
        var ticks = new long[timestamps.Length];
        for (int i = 0; i < ticks.Length; i++) ticks[i] = timestamps[i].UtcTicks;
        return AccountTiming.SummarizeExact(ticks);
    }
}
