using DistillDetect.Serialization;

namespace DistillDetect.RatePatterns;

/// <summary>
/// Whether an account's requests come at a steady rate inside its active stretches: the index of dispersion
/// (variance / mean) of its request counts over <em>interior</em> clock hours, hours whose previous and next
/// hours also had requests, and how many of them an active day has. Streaming, 40 bytes, O(1) per request.
/// </summary>
/// <remarks>
/// <para><b>Why.</b> The gap burstiness of a whole life (<c>(s - m) / (s + m)</c>) tells a machine running round the
/// clock from a person, but not a machine that runs only in an operator's shift: the nightly pause makes its
/// gaps as bursty as a person's. Inside the shift, though, a machine's hourly counts are Poisson (dispersion about
/// 1) or steadier (a jittered fixed interval: near 0), while a person's come in sittings of several requests
/// with pauses between them, so that the hours of a stretch hold very different counts (dispersion well above 1:
/// 2.3 to 14 for the simulator's heavy coders). Only interior hours count: the first and last hour of a stretch
/// are partial, and would make even a machine's counts uneven. A shift of 8 to 10 hours gives 6 to 8 interior hours
/// a day, a machine running round the clock 22 to 24; a person's days seldom hold more than one or two (a run of
/// active hours needs sittings in neighbouring hours), and the few there are can look even by chance, so
/// <see cref="IsSteady"/> also asks for a number of interior hours per active day.</para>
/// <para><b>Test.</b> For k interior hours of Poisson counts, (k - 1) D follows about a chi-square with k - 1
/// degrees of freedom: D has mean 1 and standard deviation sqrt(2 / (k - 1)). <see cref="IsSteady"/> accepts D up
/// to three standard deviations above 1 (one-sided, about 0.1 % of steady machines rejected by chance for large
/// k, a little more for small k, where the chi-square is skewed).</para>
/// <para><b>Order.</b> Requests are expected in time order, as a gateway sees them. One that arrives for an
/// hour before the current one is counted in the current hour (a reordering of seconds moves a request across
/// at most one hour boundary).</para>
/// <para><b>Merge.</b> <see cref="Merge"/> adds the other's interior hours and active days and keeps the later open
/// hour: exact when the two streams are at least a calendar day apart (a day both touch is counted twice, which
/// only lowers the interior hours per day); when two gateways each see part of every hour, each part of a Poisson
/// stream is Poisson too, so the pooled dispersion still tests the same thing.</para>
/// </remarks>
internal struct SteadyHours
{
    private long _hour;          // open hour index + 1 (ticks / ticks per hour + 1); 0 before the first request
    private int _openCount;      // requests in the open hour
    private bool _openFollows;   // the hour before the open one had requests
    private int _days;           // calendar days (UTC) with requests
    private int _hours;          // interior hours closed so far
    private long _sum;           // their requests
    private double _sumSquares;  // sum of their squared counts

    /// <summary>Interior hours counted so far.</summary>
    public readonly int InteriorHours => _hours;

    /// <summary>Calendar days (UTC) with requests.</summary>
    public readonly int ActiveDays => _days;

    /// <summary>Index of dispersion (sample variance / mean) of the interior hours' counts; NaN below 2 hours.</summary>
    public readonly double Dispersion
    {
        get
        {
            if (_hours < 2 || _sum == 0) return double.NaN;
            double mean = (double)_sum / _hours;
            double variance = Math.Max(0, _sumSquares - ((double)_sum * _sum / _hours)) / (_hours - 1);
            return variance / mean;
        }
    }

    /// <summary>
    /// True when at least <paramref name="minHours"/> interior hours were seen, at least
    /// <paramref name="minHoursPerDay"/> per active day, and their dispersion is within three standard deviations of
    /// Poisson's (D &lt;= 1 + 3 sqrt(2 / (k - 1))).
    /// </summary>
    public readonly bool IsSteady(int minHours, double minHoursPerDay)
    {
        int k = _hours;
        if (k < Math.Max(2, minHours) || k < minHoursPerDay * _days) return false;
        double d = Dispersion;
        return d <= 1 + (3 * Math.Sqrt(2.0 / (k - 1)));
    }

    /// <summary>Counts a request at <paramref name="ticks"/> (UTC ticks, non-negative).</summary>
    public void Add(long ticks)
    {
        long hour = (ticks / TimeSpan.TicksPerHour) + 1;
        if (hour <= _hour)
        {
            _openCount++;
            return;
        }
        bool follows = _hour != 0 && hour == _hour + 1;
        if (_hour == 0 || (hour - 1) / 24 != (_hour - 1) / 24) _days++;
        // The open hour is interior when the hours on both sides of it had requests.
        if (follows && _openFollows)
        {
            _hours++;
            _sum += _openCount;
            _sumSquares += (double)_openCount * _openCount;
        }
        _openFollows = follows;
        _hour = hour;
        _openCount = 1;
    }

    /// <summary>Adds another account state's hours (see the remarks for what is exact).</summary>
    public void Merge(in SteadyHours other)
    {
        _hours += other._hours;
        _days += other._days;
        _sum += other._sum;
        _sumSquares += other._sumSquares;
        if (other._hour > _hour)
        {
            _hour = other._hour;
            _openCount = other._openCount;
            _openFollows = other._openFollows;
        }
        else if (other._hour == _hour && _hour != 0)
        {
            _openCount += other._openCount;
            _openFollows |= other._openFollows;
        }
    }

    public readonly void Write(StateWriter w)
    {
        w.WriteInt64(_hour);
        w.WriteInt32(_openCount);
        w.WriteBool(_openFollows);
        w.WriteInt32(_days);
        w.WriteInt32(_hours);
        w.WriteInt64(_sum);
        w.WriteDouble(_sumSquares);
    }

    /// <summary>Reads what <see cref="Write"/> wrote (check <see cref="IsConsistent"/> before use).</summary>
    public static SteadyHours Read(ref StateReader r) => new()
    {
        _hour = r.ReadInt64(),
        _openCount = r.ReadInt32(),
        _openFollows = r.ReadBool(),
        _days = r.ReadInt32(),
        _hours = r.ReadInt32(),
        _sum = r.ReadInt64(),
        _sumSquares = r.ReadDouble(),
    };

    /// <summary>
    /// False for counts no stream gives (a corrupt state): a day holds at most 24 interior hours, each interior hour
    /// at least one request, so its squared count is at least the count, and the sum of squares is at most the
    /// square of the sum.
    /// </summary>
    public readonly bool IsConsistent =>
        _hour >= 0 && _openCount >= 0 && (_hour == 0) == (_openCount == 0) && (_hour == 0) == (_days == 0) && _days >= 0
        && _hours >= 0 && _hours <= 24L * _days && _sum >= _hours
        && double.IsFinite(_sumSquares) && _sumSquares >= _sum && _sumSquares <= (double)_sum * _sum;
}
