namespace DistillDetect.Cli.Scanning;

/// <summary>
/// Says when an analysis is due as exchange time advances: at every interval boundary counted from the first
/// exchange, judged by the latest time seen so far (so an out-of-order exchange never moves the clock back).
/// Several boundaries crossed at once call for one analysis (nothing arrived in between). Not thread-safe.
/// </summary>
internal struct AnalysisClock
{
    private readonly long _interval;
    private long _next;
    private bool _started;

    /// <summary>Creates a clock with <paramref name="intervalTicks"/> between analyses.</summary>
    public AnalysisClock(long intervalTicks)
    {
        _interval = intervalTicks;
    }

    /// <summary>The boundary (UTC ticks) of the analysis that <see cref="IsDue"/> last reported, or 0.</summary>
    public long LastBoundary { get; private set; }

    /// <summary>Whether an analysis is due before the exchange at <paramref name="ticks"/> is observed; advances the clock.</summary>
    public bool IsDue(long ticks)
    {
        if (!_started)
        {
            _started = true;
            _next = ticks + _interval;
            return false;
        }
        if (ticks < _next)
        {
            return false;
        }
        LastBoundary = _next;
        while (_next <= ticks)
        {
            _next += _interval;
        }
        return true;
    }
}
