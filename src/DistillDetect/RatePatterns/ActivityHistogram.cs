using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using DistillDetect.Serialization;

namespace DistillDetect.RatePatterns;

/// <summary>
/// When an account is active: request counts per UTC hour of the week (168 bins, Monday 00:00 UTC = bin 0;
/// hour-of-day counts are their sums over the 7 days), Shannon entropies of both, and the number of
/// distinct active UTC days. People sleep and keep weekends; scripts run around the clock; an operator's
/// shift in a distant time zone shows as a block of hours. Timestamps may arrive in any order.
/// </summary>
/// <remarks>
/// <para>Memory: 408 bytes, one object (168 16-bit counters, a 256-day bit set, a few fields).</para>
/// <para>Counters are 16-bit: when one would pass 65,535, every counter is halved (integer division)
/// and <see cref="Scale"/> doubles; from then on one request in every <see cref="Scale"/> (a systematic
/// sample by arrival) is added. Entropies depend only on proportions, so they stay accurate (about
/// 1/32,768 per halving on each proportion, plus the sampling); hour counts and merges are exact until the
/// first halving, i.e. while no hour of the week has 65,535 requests.</para>
/// <para>Active days: a bit per day over a window of 256 days ending at the newest active day. Days that
/// slide out of the window are kept as a count; a timestamp more than 256 days older than the newest
/// active day no longer adds a day (it still counts in the hour bins). Exact for any arrival order while
/// an account's activity spans at most 256 days.</para>
/// <para>Not thread-safe: one writer at a time (shard by account). Update: O(1), no allocation.</para>
/// </remarks>
public sealed class ActivityHistogram
{
    /// <summary>Number of hour-of-week bins (7 x 24).</summary>
    public const int HoursPerWeek = 168;

    /// <summary>Days the active-day bit set spans.</summary>
    public const int DayWindow = 256;

    internal const string Magic = "DDAH";
    // Version 2 stores the hour counters in 16 bits (version 1: 32 bits each, 336 bytes more); both are read.
    internal const ushort FormatVersion = 2;

    private HourOfWeekCounts _hours;
    private DayBits _days;
    private long _count;
    // Day numbers (days since 0001-01-01, at most 3,652,058) and day counts fit in 32 bits, the scale in 8:
    // with them the object takes 408 bytes instead of 424.
    private int _baseDay = -1;
    private int _retiredDays;
    private int _lastDay = -1; // a cache of the last day marked, not state: never serialized
    private byte _scaleShift;

    /// <summary>Timestamps counted (exact, not scaled).</summary>
    public long Count => _count;

    /// <summary>Each stored hour counter represents this many requests (1 until a counter overflowed, then 2, 4, ...).</summary>
    public long Scale => 1L << _scaleShift;

    /// <summary>Distinct UTC calendar days with at least one request (see the remarks for the bound).</summary>
    public long ActiveDays
    {
        get
        {
            long days = _retiredDays;
            ReadOnlySpan<ulong> bits = _days;
            foreach (ulong w in bits) days += BitOperations.PopCount(w);
            return days;
        }
    }

    /// <summary>Counts one request at <paramref name="utcTicks"/> (UTC <see cref="DateTime.Ticks"/>). Values outside the
    /// DateTime range are ignored. O(1), no allocation, never throws.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(long utcTicks)
    {
        if ((ulong)utcTicks > InterArrivalState.MaxTicks) return;
        // Non-negative from here, so unsigned division by constants (a multiply and a shift each).
        ulong hours = (ulong)utcTicks / TimeSpan.TicksPerHour;
        ulong day = hours / 24;
        // 0001-01-01 was a Monday, so day % 7 is the ISO weekday index (Monday = 0).
        int bin = (int)(day - day / 7 * 7) * 24 + (int)(hours - day * 24);
        // After k halvings a counter unit is 2^k requests: count a systematic 1-in-2^k sample of requests,
        // which keeps the proportions (all that entropy needs) unbiased.
        if ((_count & ((1L << _scaleShift) - 1)) == 0) Increment(bin, 1);
        _count++;
        // Most requests fall on the same day as the previous one.
        if ((long)day != _lastDay) MarkDay((long)day);
    }

    /// <summary>Counts one request at <paramref name="timestamp"/> (converted to UTC).</summary>
    public void Add(DateTimeOffset timestamp) => Add(timestamp.UtcTicks);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Increment(int bin, int amount)
    {
        Span<ushort> hours = _hours;
        int value = hours[bin] + amount;
        while (value > ushort.MaxValue)
        {
            // At the doubled scale the addition is worth half as much (rounded up, so no request vanishes).
            Halve();
            amount = (amount + 1) >> 1;
            value = hours[bin] + amount;
        }
        hours[bin] = (ushort)value;
    }

    private void Halve()
    {
        Span<ushort> hours = _hours;
        for (int i = 0; i < hours.Length; i++) hours[i] >>= 1;
        _scaleShift++;
    }

    private void MarkDay(long day)
    {
        _lastDay = (int)day;
        Span<ulong> bits = _days;
        if (_baseDay < 0)
        {
            _baseDay = (int)day;
        }
        long offset = day - _baseDay;
        if (offset >= DayWindow)
        {
            ShiftWindowForward(offset - DayWindow + 1);
            offset = DayWindow - 1;
        }
        else if (offset < 0)
        {
            int highest = HighestDay();
            if (highest - offset >= DayWindow) return; // too old for the window: the remarks document this
            ShiftWindowBack(-offset);
            offset = 0;
        }
        bits[(int)(offset >> 6)] |= 1UL << (int)(offset & 63);
    }

    private int HighestDay()
    {
        ReadOnlySpan<ulong> bits = _days;
        for (int w = bits.Length - 1; w >= 0; w--)
        {
            if (bits[w] != 0) return w * 64 + 63 - BitOperations.LeadingZeroCount(bits[w]);
        }
        return -1;
    }

    private void ShiftWindowForward(long by)
    {
        Span<ulong> bits = _days;
        if (by >= DayWindow)
        {
            foreach (ulong w in bits) _retiredDays += BitOperations.PopCount(w);
            bits.Clear();
        }
        else
        {
            for (int d = 0; d < by; d++)
            {
                if ((bits[d >> 6] >> (d & 63) & 1) != 0) _retiredDays++;
            }
            ShiftBits(bits, -(int)by);
        }
        _baseDay = (int)(_baseDay + by);
    }

    private void ShiftWindowBack(long by)
    {
        ShiftBits(_days, (int)by);
        _baseDay = (int)(_baseDay - by);
    }

    // Shifts the 256-bit set towards higher days (by > 0) or lower days (by < 0); bits shifted out are lost.
    private static void ShiftBits(Span<ulong> bits, int by)
    {
        Span<ulong> copy = stackalloc ulong[DayWindow / 64];
        bits.CopyTo(copy);
        bits.Clear();
        for (int d = 0; d < DayWindow; d++)
        {
            if ((copy[d >> 6] >> (d & 63) & 1) == 0) continue;
            int to = d + by;
            if ((uint)to < DayWindow) bits[to >> 6] |= 1UL << (to & 63);
        }
    }

    /// <summary>Copies the 168 hour-of-week counts (scaled by <see cref="Scale"/> to request units) into
    /// <paramref name="destination"/>, which must hold at least 168 values.</summary>
    /// <exception cref="ArgumentException">The destination is shorter than 168.</exception>
    public void CopyHourOfWeekCounts(Span<long> destination)
    {
        if (destination.Length < HoursPerWeek) ThrowHelper.DestinationTooShort(nameof(destination), HoursPerWeek);
        ReadOnlySpan<ushort> hours = _hours;
        for (int i = 0; i < HoursPerWeek; i++) destination[i] = (long)hours[i] << _scaleShift;
    }

    /// <summary>Copies the 24 hour-of-day counts (UTC; scaled to request units) into <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException">The destination is shorter than 24.</exception>
    public void CopyHourOfDayCounts(Span<long> destination)
    {
        if (destination.Length < 24) ThrowHelper.DestinationTooShort(nameof(destination), 24);
        ReadOnlySpan<ushort> hours = _hours;
        destination[..24].Clear();
        for (int i = 0; i < HoursPerWeek; i++) destination[i % 24] += (long)hours[i] << _scaleShift;
    }

    /// <summary>Shannon entropy (bits, 0 to log2(24) = 4.585) of the hour-of-day distribution; NaN when empty.</summary>
    public double HourOfDayEntropyBits
    {
        get
        {
            Span<uint> day = stackalloc uint[24];
            ReadOnlySpan<ushort> hours = _hours;
            for (int i = 0; i < HoursPerWeek; i++) day[i % 24] += hours[i];
            return TimingMath.EntropyBits(day);
        }
    }

    /// <summary>Shannon entropy (bits, 0 to log2(168) = 7.392) of the hour-of-week distribution; NaN when empty.</summary>
    public double HourOfWeekEntropyBits
    {
        get
        {
            Span<uint> week = stackalloc uint[HoursPerWeek];
            ReadOnlySpan<ushort> hours = _hours;
            for (int i = 0; i < HoursPerWeek; i++) week[i] = hours[i];
            return TimingMath.EntropyBits(week);
        }
    }

    /// <summary>
    /// Adds <paramref name="other"/>'s requests to this histogram (union of the two streams, in any time
    /// order: hour counts add, active days are the union). <paramref name="other"/> is not changed. O(168 + 256).
    /// </summary>
    public void Merge(ActivityHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        ReadOnlySpan<ushort> theirs = other._hours;
        // Bring both to the coarser scale, then add; Increment halves again if a sum overflows.
        while (_scaleShift < other._scaleShift) Halve();
        int down = _scaleShift - other._scaleShift;
        for (int i = 0; i < HoursPerWeek; i++)
        {
            int add = theirs[i] >> down;
            if (add > 0) Increment(i, add);
        }
        _count += other._count;
        ReadOnlySpan<ulong> bits = other._days;
        if (other._baseDay >= 0)
        {
            for (int d = 0; d < DayWindow; d++)
            {
                if ((bits[d >> 6] >> (d & 63) & 1) != 0) MarkDay(other._baseDay + d);
            }
        }
        _retiredDays = (int)Math.Min(int.MaxValue, (long)_retiredDays + other._retiredDays);
    }

    /// <summary>Makes this histogram an exact copy of <paramref name="source"/> (a field copy, O(1), no allocation).</summary>
    internal void CopyFrom(ActivityHistogram source)
    {
        _hours = source._hours;
        _days = source._days;
        _count = source._count;
        _baseDay = source._baseDay;
        _retiredDays = source._retiredDays;
        _lastDay = source._lastDay;
        _scaleShift = source._scaleShift;
    }

    /// <summary>Serializes the histogram (versioned, checksummed envelope). Allocates the result.</summary>
    public byte[] ToBytes()
    {
        var w = new StateWriter(Magic, FormatVersion);
        Write(w);
        return w.ToArray();
    }

    internal void Write(StateWriter w)
    {
        w.WriteInt64(_count);
        w.WriteInt32(_scaleShift);
        w.WriteInt64(_baseDay);
        w.WriteInt64(_retiredDays);
        Span<byte> counters = stackalloc byte[2 * HoursPerWeek];
        ReadOnlySpan<ushort> hours = _hours;
        for (int i = 0; i < HoursPerWeek; i++) BinaryPrimitives.WriteUInt16LittleEndian(counters[(2 * i)..], hours[i]);
        w.WriteBytes(counters);
        ReadOnlySpan<ulong> bits = _days;
        foreach (ulong b in bits) w.WriteUInt64(b);
    }

    /// <summary>Restores a histogram written by <see cref="ToBytes"/>.</summary>
    /// <exception cref="InvalidDataException">The data is corrupt, truncated, of another type or of a newer format version.</exception>
    public static ActivityHistogram FromBytes(ReadOnlySpan<byte> data)
    {
        var r = new StateReader(data, Magic, FormatVersion, "activity histogram");
        ActivityHistogram h = Read(ref r, r.Version);
        r.EnsureEnd();
        return h;
    }

    /// <summary>Reads the fields <see cref="Write"/> writes; <paramref name="version"/> 1 has 32-bit hour counters.</summary>
    internal static ActivityHistogram Read(ref StateReader r, int version)
    {
        long count = r.ReadInt64();
        int scaleShift = r.ReadInt32();
        long baseDay = r.ReadInt64(), retiredDays = r.ReadInt64();
        if (count < 0 || scaleShift is < 0 or > 62 || baseDay < -1 || baseDay > InterArrivalState.MaxTicks / TimeSpan.TicksPerDay || retiredDays is < 0 or > int.MaxValue)
            throw new InvalidDataException("activity histogram: a header field is out of range.");
        var h = new ActivityHistogram { _count = count, _scaleShift = (byte)scaleShift, _baseDay = (int)baseDay, _retiredDays = (int)retiredDays };
        Span<ushort> hours = h._hours;
        if (version >= 2)
        {
            byte[] counters = r.ReadBytes(2 * HoursPerWeek);
            if (counters.Length != 2 * HoursPerWeek)
                throw new InvalidDataException($"activity histogram: {counters.Length} bytes of hour counters, {2 * HoursPerWeek} expected.");
            for (int i = 0; i < HoursPerWeek; i++) hours[i] = BinaryPrimitives.ReadUInt16LittleEndian(counters.AsSpan(2 * i));
        }
        else
        {
            for (int i = 0; i < HoursPerWeek; i++)
            {
                uint v = r.ReadUInt32();
                if (v > ushort.MaxValue) throw new InvalidDataException($"activity histogram: hour counter {i} is {v}, above 65535.");
                hours[i] = (ushort)v;
            }
        }
        Span<ulong> bits = h._days;
        for (int i = 0; i < bits.Length; i++) bits[i] = r.ReadUInt64();
        if (h._baseDay < 0 && (h._count != 0 || h.ActiveDays != 0))
            throw new InvalidDataException("activity histogram: counts without a base day.");
        return h;
    }
}
