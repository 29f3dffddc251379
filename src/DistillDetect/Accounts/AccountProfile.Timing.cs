using DistillDetect.Serialization;

namespace DistillDetect.Accounts;

// Timing part of the profile. TEMPORARY self-contained state until the RatePatterns branch lands.
public sealed partial class AccountProfile
{
    private uint[] _hourOfWeek = null!;
    private long _gapCount;
    private double _gapMean;
    private double _gapM2;
    private long _previous;

    private void InitializeTiming()
    {
        _hourOfWeek = new uint[168];
        _previous = long.MinValue;
    }

    private void ObserveTiming(ulong templateHash, long utcTicks)
    {
        _ = templateHash;
        long hour = utcTicks / TimeSpan.TicksPerHour;
        // 1 Jan 0001 was a Monday.
        _hourOfWeek[(int)(((hour % 168) + 168) % 168)]++;
        if (_previous != long.MinValue)
        {
            double gap = Math.Max(0, utcTicks - _previous) / (double)TimeSpan.TicksPerSecond;
            _gapCount++;
            double d = gap - _gapMean;
            _gapMean += d / _gapCount;
            _gapM2 += d * (gap - _gapMean);
        }
        _previous = Math.Max(_previous, utcTicks);
    }

    private void MergeTiming(AccountProfile other)
    {
        for (int i = 0; i < 168; i++) _hourOfWeek[i] += other._hourOfWeek[i];
        long n = _gapCount + other._gapCount;
        if (n > 0)
        {
            double d = other._gapMean - _gapMean;
            _gapM2 += other._gapM2 + d * d * _gapCount * other._gapCount / n;
            _gapMean += d * other._gapCount / n;
            _gapCount = n;
        }
        _previous = Math.Max(_previous, other._previous);
    }


    internal double MeanGapSeconds => _gapCount == 0 ? double.NaN : _gapMean;

    internal double GapBurstiness
    {
        get
        {
            if (_gapCount < 2) return double.NaN;
            double s = Math.Sqrt(_gapM2 / (_gapCount - 1));
            double m = _gapMean;
            return s + m == 0 ? 0 : (s - m) / (s + m);
        }
    }

    internal double HourOfDayEntropyBits
    {
        get
        {
            Span<double> week = stackalloc double[168];
            GetHourOfWeek(week);
            Span<double> day = stackalloc double[24];
            double total = 0;
            for (int i = 0; i < 168; i++)
            {
                day[i % 24] += week[i];
                total += week[i];
            }
            if (total <= 0) return 0;
            double h = 0;
            foreach (double c in day)
            {
                if (c > 0) h -= c / total * Math.Log2(c / total);
            }
            return h;
        }
    }

    internal void GetHourOfWeek(Span<double> destination)
    {
        for (int i = 0; i < 168; i++) destination[i] = _hourOfWeek[i];
    }

    private int ComputeMemoryBytes() => _hourOfWeek.Length * 4;

    private void WriteTiming(StateWriter w)
    {
        foreach (uint c in _hourOfWeek) w.WriteUInt32(c);
        w.WriteInt64(_gapCount);
        w.WriteDouble(_gapMean);
        w.WriteDouble(_gapM2);
        w.WriteInt64(_previous);
    }

    private void ReadTiming(ref StateReader r)
    {
        for (int i = 0; i < 168; i++) _hourOfWeek[i] = r.ReadUInt32();
        _gapCount = r.ReadInt64();
        _gapMean = r.ReadDouble();
        _gapM2 = r.ReadDouble();
        _previous = r.ReadInt64();
    }
}
