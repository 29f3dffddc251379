using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace DistillDetect.RatePatterns;

/// <summary>
/// Summary-time arithmetic shared by the streaming state and the exact one-shot path: octave binning of
/// gaps, Shannon entropy, corrected conditional entropy and the dominant-interval periodicity estimate.
/// None of it runs per exchange except <see cref="GapBin"/>.
/// </summary>
internal static class TimingMath
{
    /// <summary>Number of octave bins of gap lengths.</summary>
    internal const int GapBinCount = 32;

    internal const long TicksPerMillisecond = TimeSpan.TicksPerMillisecond;
    internal const double SecondsPerTick = 1e-7;

    /// <summary>Longest pattern the corrected conditional entropy considers (5 bits per symbol, 40 bits).</summary>
    internal const int MaxPatternLength = 8;

    /// <summary>Gaps shorter than this cannot start a period window: sub-second spacing is a burst, not a schedule.</summary>
    internal const long MinPeriodWindowStartTicks = TimeSpan.TicksPerSecond / 2;

    /// <summary>
    /// Largest share of exponential (Poisson) gaps any window [g, 3g] holds: at g = mean*ln(3)/2 it is
    /// 3^(-1/2) - 3^(-3/2) = 2/(3*sqrt(3)) = 0.3849. The period strength is measured above this baseline.
    /// </summary>
    internal static readonly double PoissonWindowShare = 2.0 / (3.0 * Math.Sqrt(3.0));

    /// <summary>
    /// Octave bin of a gap: 0 for gaps under 1 ms (duplicates included), else 1 + floor(log2(milliseconds)),
    /// capped at 31 (2^30 ms, about 12.4 days, and longer). Branch-light; a division by a constant.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int GapBin(long gapTicks)
    {
        ulong ms = (ulong)gapTicks / TicksPerMillisecond;
        // 64 - LeadingZeroCount(ms) is ms's bit length: 0 for 0, 1 + floor(log2 ms) otherwise.
        int bin = 64 - BitOperations.LeadingZeroCount(ms);
        return bin > GapBinCount - 1 ? GapBinCount - 1 : bin;
    }

    /// <summary>
    /// Largest share of the counts that <paramref name="width"/> adjacent bins hold, and the total; NaN when all are
    /// zero. Over octave gap bins with width 3 it measures regularity that a schedule's pauses do not hide: gaps
    /// within a factor of 3 of each other (a fixed interval with +-50 % jitter) span at most 3 octave bins, so such an
    /// account scores 1 less its pauses (one night in a day of 20 gaps: 0.95), while exponential (Poisson) gaps score at
    /// most e^(-u) - e^(-8u) at u = ln(8)/7, 0.65, and log-normal gaps with log-sd s about 2 Phi(1.04 / s) - 1 (0.86 at s = 0.7).
    /// </summary>
    internal static double DensestShare(ReadOnlySpan<uint> counts, int width, out long total)
    {
        total = 0;
        foreach (uint c in counts) total += c;
        if (total == 0) return double.NaN;
        long window = 0, best = 0;
        for (int i = 0; i < counts.Length; i++)
        {
            window += counts[i];
            if (i >= width) window -= counts[i - width];
            if (window > best) best = window;
        }
        return (double)best / total;
    }

    /// <summary>The regular-gap share: <see cref="DensestShare"/> over three adjacent octave gap bins (what a +-50 % jitter spans).</summary>
    internal static double RegularGapShare(ReadOnlySpan<uint> octaveBins, out long total) => DensestShare(octaveBins, 3, out total);

    /// <summary>Shannon entropy in bits of counts (their proportions); NaN when all are zero.</summary>
    internal static double EntropyBits(ReadOnlySpan<uint> counts)
    {
        double total = 0;
        foreach (uint c in counts) total += c;
        if (total == 0) return double.NaN;
        double h = 0;
        foreach (uint c in counts)
        {
            if (c == 0) continue;
            double p = c / total;
            h -= p * Math.Log2(p);
        }
        return h;
    }

    /// <summary>
    /// Corrected conditional entropy (bits) of the sequence of gap octave bins, minimised over pattern
    /// lengths m = 1..8: CCE(m) = max(0, EN(m) - EN(m-1)) + perc(m) * EN(1), where EN(m) is the plug-in entropy of the
    /// length-m patterns and perc(m) the share of those patterns that occur once (Porta et al. 1998, as used
    /// for bot detection by Chu et al. 2012 and Gianvecchio and Wang 2007). NaN for fewer than 2 gaps.
    /// </summary>
    internal static double CorrectedConditionalEntropy(ReadOnlySpan<long> gapsInTimeOrder)
    {
        int n = gapsInTimeOrder.Length;
        if (n < 2) return double.NaN;
        ulong[]? rented = null;
        ulong[]? rentedPrefix = null;
        Span<ulong> codes = n <= 64 ? stackalloc ulong[64] : (rented = ArrayPool<ulong>.Shared.Rent(n));
        // prefix[i] holds the code of the pattern of length m starting at i, extended by one symbol per m.
        Span<ulong> prefix = n <= 64 ? stackalloc ulong[64] : (rentedPrefix = ArrayPool<ulong>.Shared.Rent(n));
        codes = codes[..n];
        prefix = prefix[..n];
        prefix.Clear();
        try
        {
            double previousEntropy = 0, firstOrderEntropy = 0, best = double.PositiveInfinity;
            int maxM = Math.Min(MaxPatternLength, n);
            for (int m = 1; m <= maxM; m++)
            {
                int windows = n - m + 1;
                for (int i = 0; i < windows; i++)
                {
                    prefix[i] = (prefix[i] << 5) | (uint)GapBin(gapsInTimeOrder[i + m - 1]);
                    codes[i] = prefix[i];
                }
                Span<ulong> w = codes[..windows];
                w.Sort();
                double entropy = 0;
                int singles = 0;
                for (int i = 0; i < windows;)
                {
                    int j = i + 1;
                    while (j < windows && w[j] == w[i]) j++;
                    int run = j - i;
                    if (run == 1) singles++;
                    double p = (double)run / windows;
                    entropy -= p * Math.Log2(p);
                    i = j;
                }
                if (m == 1) firstOrderEntropy = entropy;
                // A conditional entropy is never negative; the plug-in difference can be once few windows remain.
                double cce = Math.Max(0, entropy - previousEntropy) + ((double)singles / windows) * firstOrderEntropy;
                if (cce < best) best = cce;
                previousEntropy = entropy;
            }
            return best;
        }
        finally
        {
            if (rented is not null) ArrayPool<ulong>.Shared.Return(rented);
            if (rentedPrefix is not null) ArrayPool<ulong>.Shared.Return(rentedPrefix);
        }
    }

    /// <summary>
    /// Dominant inter-arrival interval and its strength. Among windows [g, 3g] of gap length (a period p
    /// with +-50 % jitter puts every gap in [p/2, 3p/2], which is such a window with g = p/2), takes the one
    /// holding the most gaps, with g at least 0.5 s; the period is the median gap inside it and the
    /// strength is its share of all gaps above the Poisson baseline, (share - 0.385) / (1 - 0.385), clipped
    /// to [0, 1]. <paramref name="sortedGaps"/> must be ascending. Returns (NaN, NaN) for fewer than 2 gaps
    /// and (NaN, 0) when no gap reaches 0.5 s.
    /// </summary>
    /// <remarks>
    /// Why not the autocorrelation or periodogram of binned counts: uniform jitter of +-50 % of the period
    /// spreads each arrival over exactly one period, and the characteristic function of U(-T/2, T/2) is 0 at
    /// frequency 1/T, so the spectral line at the fundamental vanishes (for the renewal form with gaps
    /// U[T/2, 3T/2] the spectrum at 1/T equals Poisson's and its weak peak sits at 0.67 T). Second-order
    /// statistics of counts cannot find such a period; the gap distribution keeps it.
    /// </remarks>
    internal static (double PeriodSeconds, double Strength) DominantInterval(ReadOnlySpan<long> sortedGaps)
    {
        int n = sortedGaps.Length;
        if (n < 2) return (double.NaN, double.NaN);
        int best = 0, bestLo = -1, bestHi = -1;
        int j = 0;
        for (int i = 0; i < n; i++)
        {
            long lo = sortedGaps[i];
            if (lo < MinPeriodWindowStartTicks) continue;
            if (j < i) j = i;
            // s[j+1] <= 3 * lo written without overflow: ticks are at most 3.2e18, so 2 * lo fits.
            while (j + 1 < n && sortedGaps[j + 1] - lo <= 2 * lo) j++;
            int count = j - i + 1;
            if (count > best)
            {
                best = count;
                bestLo = i;
                bestHi = j;
            }
        }
        if (best == 0) return (double.NaN, 0);
        int mid = bestLo + (bestHi - bestLo) / 2;
        double median = ((bestHi - bestLo) & 1) == 0
            ? sortedGaps[mid] * SecondsPerTick
            : (sortedGaps[mid] * SecondsPerTick + sortedGaps[mid + 1] * SecondsPerTick) / 2;
        double share = (double)best / n;
        double strength = (share - PoissonWindowShare) / (1 - PoissonWindowShare);
        return (median, Math.Clamp(strength, 0, 1));
    }
}
