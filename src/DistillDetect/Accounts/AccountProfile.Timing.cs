using DistillDetect.RatePatterns;
using DistillDetect.Serialization;

namespace DistillDetect.Accounts;

// The timing part of the profile is the RatePatterns per-account state (gaps and hour-of-week activity).
public sealed partial class AccountProfile
{
    private AccountTiming _timing = null!;

    /// <summary>
    /// The account's timing state from RatePatterns (inter-arrival statistics with a 1-second reorder
    /// window, hour-of-week histogram, active days); call <see cref="AccountTiming.GetSummary"/> for every
    /// timing figure. Read it only: updating it directly would desynchronise it from the rest of the profile.
    /// </summary>
    public AccountTiming Timing => _timing;

    private void InitializeTiming() => _timing = new AccountTiming();

    private void ObserveTiming(long utcTicks) => _timing.Add(utcTicks);

    private void MergeTiming(AccountProfile other) => _timing.Merge(other._timing);

    internal double MeanGapSeconds => _timing.Gaps.MeanGapSeconds;

    /// <summary>Mean gap (NaN below 2 exchanges) and burstiness (NaN below 3) from the gap moments, without copying the gap state.</summary>
    internal void GetRateFeatures(out double meanGapSeconds, out double burstiness)
    {
        GapMoments s = _timing.Gaps.State.FlushedMoments();
        meanGapSeconds = s.Count >= 2 ? s.Mean : double.NaN;
        if (s.Count < 3)
        {
            burstiness = double.NaN;
            return;
        }
        double sd = Math.Sqrt(Math.Max(0, s.M2 / (s.Gaps - 1)));
        burstiness = sd + s.Mean <= 0 ? 0.0 : (sd - s.Mean) / (sd + s.Mean);
    }

    /// <summary>
    /// Largest share of the gaps (those in time order, not the up to 8 pending reordering) within three adjacent
    /// octaves (<see cref="TimingMath.RegularGapShare"/>), NaN with no gap; <paramref name="gaps"/> gets how many gaps that is.
    /// </summary>
    internal double GetRegularGapShare(out long gaps) => TimingMath.RegularGapShare(_timing.Gaps.State.Bins, out gaps);

    /// <summary>Burstiness (s - m)/(s + m) of the gaps with the sample standard deviation; NaN below 3 exchanges.</summary>
    internal double GapBurstiness
    {
        get
        {
            GetRateFeatures(out _, out double burstiness);
            return burstiness;
        }
    }

    internal double HourOfDayEntropyBits => _timing.Activity.HourOfDayEntropyBits;

    internal void GetHourOfWeek(Span<double> destination)
    {
        Span<long> counts = stackalloc long[ActivityHistogram.HoursPerWeek];
        _timing.Activity.CopyHourOfWeekCounts(counts);
        for (int i = 0; i < counts.Length; i++) destination[i] = counts[i];
    }

    internal void GetHourOfWeek(Span<long> destination) => _timing.Activity.CopyHourOfWeekCounts(destination);

    private void WriteTiming(StateWriter w) => w.WriteBytes(_timing.ToBytes());

    private void ReadTiming(ref StateReader r, long volume)
    {
        _timing = AccountTiming.FromBytes(r.ReadBytes(1 << 20));
        if (_timing.Count + _timing.Gaps.DroppedOutOfOrder + _timing.Gaps.DroppedInvalid != volume)
            throw new InvalidDataException($"{What}: the timing state counts {_timing.Count} exchanges (plus drops), the profile {volume}.");
    }
}
