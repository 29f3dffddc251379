using DistillDetect.Detection;

namespace DistillDetect.Cli.Scanning;

/// <summary>
/// Feeds exchanges that arrive in time order into a detector as live traffic would: an analysis runs at every
/// simulated <see cref="Interval"/> boundary (exchange time, counted from the first exchange), and each account
/// records when it was first flagged and how many of its exchanges were served before that.
/// </summary>
/// <remarks>
/// <para>First flagged is the earlier of (a) the time of the request at which the detector's request path
/// reported the account flagged (that request itself counts as not served before the flag), and (b) the
/// boundary time of the first analysis whose report lists the account (every exchange up to the boundary was
/// served before). The detector's own <see cref="AccountFinding.FirstFlagged"/> is the account's latest exchange
/// when flagged, which for analysis flags is earlier than the moment anyone could act on the flag; the replay
/// uses the analysis time instead.</para>
/// <para>An hour without traffic changes nothing, so several empty boundaries in a row cost one analysis.
/// Exchanges must come in non-decreasing time order (an earlier one is still observed, but the analysis clock
/// never goes back). Not thread-safe: one caller.</para>
/// </remarks>
internal sealed class ReplaySession : IExchangeSink
{
    private readonly DistillationDetector _detector;
    private AnalysisClock _clock;
    private bool _started;

    /// <summary>Creates a session over <paramref name="detector"/> analyzing every <paramref name="interval"/>.</summary>
    public ReplaySession(DistillationDetector detector, TimeSpan interval)
    {
        ArgumentNullException.ThrowIfNull(detector);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        _detector = detector;
        _clock = new AnalysisClock(interval.Ticks);
        Interval = interval;
    }

    /// <summary>Time between analyses (exchange time).</summary>
    public TimeSpan Interval { get; }

    /// <summary>Per-account tallies, first flags included.</summary>
    public AccountTable Accounts { get; } = new();

    /// <summary>Analyses run so far (the final one included once <see cref="Finish"/> has run).</summary>
    public long Analyses { get; private set; }

    /// <summary>Total time spent in <see cref="DistillationDetector.Analyze"/>.</summary>
    public TimeSpan AnalysisTime { get; private set; }

    /// <summary>UTC ticks of the first exchange (0 before any).</summary>
    public long StartTicks { get; private set; }

    /// <summary>UTC ticks of the latest exchange (0 before any).</summary>
    public long EndTicks { get; private set; }

    /// <summary>
    /// Optional observer of every analysis: its boundary time (UTC ticks) and report (e.g. for progress or
    /// the time of the first alert).
    /// </summary>
    public Action<long, DetectionReport>? AnalysisCompleted { get; init; }

    /// <inheritdoc/>
    public void Observe(ReadOnlySpan<char> account, long utcTicks, ReadOnlySpan<char> prompt)
    {
        if (!_started)
        {
            _started = true;
            StartTicks = utcTicks;
            EndTicks = utcTicks;
        }
        if (_clock.IsDue(utcTicks))
        {
            RunAnalysis(_clock.LastBoundary);
        }
        if (utcTicks > EndTicks)
        {
            EndTicks = utcTicks;
        }
        ref AccountTally tally = ref Accounts.Record(account, utcTicks);
        RequestVerdict verdict = _detector.Observe(account, new DateTimeOffset(utcTicks, TimeSpan.Zero), prompt);
        if (verdict.IsAccountFlagged && tally.FirstFlaggedTicks == AccountTally.NotFlagged)
        {
            tally.FirstFlaggedTicks = utcTicks;
            tally.ExchangesBeforeFlagged = tally.Exchanges - 1;
        }
    }

    /// <summary>Runs the final analysis at the time of the last exchange and returns its report.</summary>
    public DetectionReport Finish() => RunAnalysis(EndTicks);

    private DetectionReport RunAnalysis(long boundaryTicks)
    {
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        DetectionReport report = _detector.Analyze();
        AnalysisTime += System.Diagnostics.Stopwatch.GetElapsedTime(started);
        Analyses++;
        foreach (AccountFinding finding in report.Accounts)
        {
            ref AccountTally tally = ref Accounts.Find(finding.Account);
            if (!System.Runtime.CompilerServices.Unsafe.IsNullRef(ref tally) && tally.FirstFlaggedTicks == AccountTally.NotFlagged)
            {
                tally.FirstFlaggedTicks = boundaryTicks;
                tally.ExchangesBeforeFlagged = tally.Exchanges;
            }
        }
        AnalysisCompleted?.Invoke(boundaryTicks, report);
        return report;
    }
}
