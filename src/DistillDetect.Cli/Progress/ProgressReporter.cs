using System.Globalization;

namespace DistillDetect.Cli.Progress;

/// <summary>
/// Progress of a long input on stderr: lines, MB, MB/s and malformed count, at most once per second and
/// only once reading has taken more than 1.5 s (short runs stay quiet), then one final summary line.
/// Disabled reporters (tests, <see cref="CommandContext.ShowProgress"/> false) print nothing.
/// </summary>
/// <remarks>
/// <see cref="Update"/> costs one timestamp read when nothing is printed; callers call it per buffer refill,
/// not per line. Not thread-safe. On a terminal the line is redrawn in place with a carriage return.
/// </remarks>
internal sealed class ProgressReporter
{
    /// <summary>Reading must have lasted this long before the first progress line.</summary>
    public static readonly TimeSpan QuietPeriod = TimeSpan.FromSeconds(1.5);

    /// <summary>Minimum time between two progress lines.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly TextWriter _error;
    private readonly TimeProvider _time;
    private readonly string _label;
    private readonly bool _redraw;
    private readonly long _start;
    private long _lastPrint;
    private bool _printed;
    private bool _completed;

    /// <summary>Creates a reporter; when <paramref name="enabled"/> is false every call is a no-op.</summary>
    /// <param name="error">Where lines go (stderr).</param>
    /// <param name="time">The clock (a fake one in tests).</param>
    /// <param name="label">The input's name, printed at the start of each line.</param>
    /// <param name="enabled">Whether anything is printed.</param>
    /// <param name="redraw">Whether to redraw one terminal line with '\r' instead of printing new lines.</param>
    public ProgressReporter(TextWriter error, TimeProvider time, string label, bool enabled, bool redraw)
    {
        _error = error;
        _time = time;
        _label = label;
        Enabled = enabled;
        _redraw = redraw;
        _start = time.GetTimestamp();
    }

    /// <summary>A reporter that never prints.</summary>
    public static ProgressReporter Disabled { get; } = new(TextWriter.Null, TimeProvider.System, "", enabled: false, redraw: false);

    /// <summary>Whether this reporter prints.</summary>
    public bool Enabled { get; }

    /// <summary>Progress lines printed so far (not counting the summary).</summary>
    public int LinesPrinted { get; private set; }

    /// <summary>Creates the reporter a command should use for input <paramref name="label"/>.</summary>
    public static ProgressReporter For(CommandContext context, string label) =>
        new(context.Error, context.TimeProvider, label, context.ShowProgress, context.ErrorIsTerminal);

    /// <summary>Reports the current position; prints only when due (see the class remarks).</summary>
    /// <param name="lines">Input lines read so far.</param>
    /// <param name="bytes">Input bytes read so far (after decompression).</param>
    /// <param name="malformed">Malformed lines so far.</param>
    public void Update(long lines, long bytes, long malformed)
    {
        if (!Enabled || _completed)
        {
            return;
        }
        long now = _time.GetTimestamp();
        TimeSpan elapsed = _time.GetElapsedTime(_start, now);
        if (elapsed < QuietPeriod || (_printed && _time.GetElapsedTime(_lastPrint, now) < Interval))
        {
            return;
        }
        _lastPrint = now;
        _printed = true;
        LinesPrinted++;
        string text = Format(lines, bytes, malformed, elapsed);
        if (_redraw)
        {
            _error.Write("\r" + text.PadRight(79));
        }
        else
        {
            _error.WriteLine(text);
        }
        _error.Flush();
    }

    /// <summary>Prints the one-line final summary (once); later calls do nothing.</summary>
    /// <param name="lines">Input lines read.</param>
    /// <param name="records">Well-formed records produced.</param>
    /// <param name="bytes">Input bytes read.</param>
    /// <param name="malformed">Malformed lines skipped.</param>
    public void Complete(long lines, long records, long bytes, long malformed)
    {
        if (!Enabled || _completed)
        {
            return;
        }
        _completed = true;
        TimeSpan elapsed = _time.GetElapsedTime(_start);
        double seconds = Math.Max(elapsed.TotalSeconds, 1e-9);
        string text = string.Create(CultureInfo.InvariantCulture,
            $"{_label}: read {lines:N0} lines ({bytes / 1e6:0.0} MB) in {elapsed.TotalSeconds:0.0} s ({bytes / 1e6 / seconds:0.0} MB/s): {records:N0} records, {malformed:N0} malformed");
        if (_redraw && _printed)
        {
            _error.Write("\r" + new string(' ', 79) + "\r");
        }
        _error.WriteLine(text);
        _error.Flush();
    }

    private string Format(long lines, long bytes, long malformed, TimeSpan elapsed) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{_label}: {lines:N0} lines, {bytes / 1e6:0.0} MB, {bytes / 1e6 / Math.Max(elapsed.TotalSeconds, 1e-9):0.0} MB/s, {malformed:N0} malformed");
}
