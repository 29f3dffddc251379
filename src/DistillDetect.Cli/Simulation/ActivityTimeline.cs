namespace DistillDetect.Cli.Simulation;

/// <summary>
/// The hours in which an account can be active, as one continuous "active time" axis: a daily window
/// (a human's waking hours, an operator's shift, business hours; shorter or absent on weekends) or round
/// the clock, clipped to the account's life. Arrival processes place events on the active axis;
/// <see cref="Map"/> turns an active offset into wall-clock milliseconds. A mutable struct (it walks forward
/// day by day, O(1) amortized per call, offsets must be nondecreasing); about 60 bytes.
/// </summary>
internal struct ActivityTimeline
{
    /// <summary>Milliseconds in a day.</summary>
    public const long DayMs = 86_400_000L;

    private long _lower;
    private long _upper;
    private long _cum;
    private int _offset;
    private int _weekdayLen;
    private int _weekendLen;
    private int _day;
    private int _lastDay;
    private byte _dowDay0;

    /// <summary>Total active milliseconds between the bounds.</summary>
    public long TotalMs { get; private set; }

    /// <summary>Round the clock from <paramref name="lower"/> to <paramref name="upper"/> (ms from the window start).</summary>
    public static ActivityTimeline Continuous(long lower, long upper, long dayZero) =>
        Daily(lower, upper, dayZero, dayZeroDow: 0, localStartMs: 0, tzMs: 0, (int)DayMs, (int)DayMs);

    /// <summary>A daily window, clipped to [<paramref name="lower"/>, <paramref name="upper"/>).</summary>
    /// <param name="lower">Earliest time, ms from the window start.</param>
    /// <param name="upper">End (exclusive), ms from the window start.</param>
    /// <param name="dayZero">Ms from the window start to UTC midnight of the window's first day (&lt;= 0).</param>
    /// <param name="dayZeroDow">Day of week (0 = Sunday) of that UTC date.</param>
    /// <param name="localStartMs">Window start in the account's local time, ms after local midnight.</param>
    /// <param name="tzMs">The account's UTC offset in ms.</param>
    /// <param name="weekdayLenMs">Window length on local Monday to Friday.</param>
    /// <param name="weekendLenMs">Window length on local Saturday and Sunday (0 for none).</param>
    public static ActivityTimeline Daily(long lower, long upper, long dayZero, int dayZeroDow, int localStartMs, int tzMs, int weekdayLenMs, int weekendLenMs)
    {
        long offset = Mod(localStartMs - (long)tzMs, DayMs);
        // The local calendar date of day d's window start is d + floor((offset + tz) / day) after the UTC date of day 0.
        long localShift = FloorDiv(offset + tzMs, DayMs);
        var timeline = new ActivityTimeline
        {
            _lower = lower,
            _upper = upper,
            _offset = (int)offset,
            _weekdayLen = weekdayLenMs,
            _weekendLen = weekendLenMs,
            _dowDay0 = (byte)Mod(dayZeroDow + localShift, 7),
        };
        int first = (int)FloorDiv(lower - dayZero, DayMs) - 1;
        timeline._lastDay = (int)FloorDiv(upper - dayZero, DayMs);
        long total = 0;
        for (int d = first; d <= timeline._lastDay; d++)
        {
            total += timeline.Length(d, dayZero);
        }
        timeline.TotalMs = total;
        timeline._day = first;
        return timeline;
    }

    /// <summary>Wall-clock ms (from the window start) of active offset <paramref name="activeMs"/> in [0, <see cref="TotalMs"/>); calls must not go backwards.</summary>
    public long Map(long activeMs, long dayZero)
    {
        while (_day < _lastDay)
        {
            long len = Length(_day, dayZero);
            if (activeMs < _cum + len)
            {
                break;
            }
            _cum += len;
            _day++;
        }
        return Math.Max(RawStart(_day, dayZero), _lower) + (activeMs - _cum);
    }

    private readonly long RawStart(int day, long dayZero) => dayZero + (day * DayMs) + _offset;

    private readonly long Length(int day, long dayZero)
    {
        long start = RawStart(day, dayZero);
        int dow = (int)Mod(_dowDay0 + (long)day, 7);
        long len = dow is 0 or 6 ? _weekendLen : _weekdayLen;
        long a = Math.Max(start, _lower);
        long b = Math.Min(start + len, _upper);
        return Math.Max(0, b - a);
    }

    private static long Mod(long a, long m)
    {
        long r = a % m;
        return r < 0 ? r + m : r;
    }

    private static long FloorDiv(long a, long m) => (a - Mod(a, m)) / m;
}
