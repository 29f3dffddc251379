namespace DistillDetect.Cli.Simulation;

/// <summary>
/// What to simulate. The defaults model the case in DESIGN.md (six weeks from 22 April 2026) at
/// <see cref="DefaultScale"/>; at <see cref="Scale"/> 1 the run has about 25,000 campaign accounts and 28.8 M
/// campaign exchanges among ten times as much legitimate traffic. Account counts and exchange counts scale
/// linearly with <see cref="Scale"/>; exchange counts also scale with <see cref="Duration"/> / 6 weeks.
/// </summary>
internal sealed record SimulationOptions
{
    /// <summary>
    /// The default scale: about 950,000 exchanges from 6,900 accounts (75 campaign accounts), a few seconds to
    /// generate on one core; chosen so that the no-argument demo (hourly analyses included) runs in under a
    /// minute on a 2-core machine (0.005 took 70 s there on 2026-11-27).
    /// </summary>
    public const double DefaultScale = 0.003;

    /// <summary>Largest accepted scale (scale 1 is already 317 M exchanges).</summary>
    public const double MaxScale = 20.0;

    /// <summary>Highest evasion level.</summary>
    public const int MaxEvasion = 3;

    /// <summary>The case's window start, 2026-04-22T00:00Z.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2026, 4, 22, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The case's window length, six weeks.</summary>
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromDays(42);

    /// <summary>Seed of every random choice; the same seed and options give byte-identical traffic on every machine.</summary>
    public long Seed { get; init; } = 1;

    /// <summary>Size relative to the case (1 = 25,000 campaign accounts, 28.8 M campaign exchanges); in (0, <see cref="MaxScale"/>].</summary>
    public double Scale { get; init; } = DefaultScale;

    /// <summary>Campaign disguise, 0 to 3: 0 none; 1 homoglyphs, zero-width characters, whitespace; 2 adds synonyms, openers,
    /// reordering; 3 adds paraphrased wrappers, 20 % legitimate-looking prompts and human-like timing for part of the accounts.</summary>
    public int Evasion { get; init; }

    /// <summary>Start of the traffic window (converted to UTC; whole milliseconds).</summary>
    public DateTimeOffset Start { get; init; } = DefaultStart;

    /// <summary>Length of the traffic window; 2 to 366 days.</summary>
    public TimeSpan Duration { get; init; } = DefaultDuration;

    /// <summary>Task prompts (e.g. real coding and agentic tasks) that replace the built-in task grammar; <see langword="null"/> for the grammar.</summary>
    public IReadOnlyList<string>? TaskPrompts { get; init; }

    /// <summary>Legitimate prompts that replace the built-in everyday and coding-request grammar; <see langword="null"/> for the grammar.</summary>
    public IReadOnlyList<string>? LegitPrompts { get; init; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> (or <see cref="ArgumentException"/> for empty lists) when an option is out of range.</summary>
    public void Validate()
    {
        if (!(Scale > 0.0) || Scale > MaxScale)
        {
            throw new ArgumentOutOfRangeException(nameof(Scale), Scale, $"Scale must be in (0, {MaxScale}].");
        }
        if (Evasion is < 0 or > MaxEvasion)
        {
            throw new ArgumentOutOfRangeException(nameof(Evasion), Evasion, $"Evasion must be 0 to {MaxEvasion}.");
        }
        if (Duration < TimeSpan.FromDays(2) || Duration > TimeSpan.FromDays(366))
        {
            throw new ArgumentOutOfRangeException(nameof(Duration), Duration, "Duration must be 2 to 366 days.");
        }
        if (Start.UtcTicks % TimeSpan.TicksPerMillisecond != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Start), Start, "Start must be a whole millisecond.");
        }
        if (Start.UtcDateTime.Year < 1970 || Start.UtcDateTime.Year > 9000)
        {
            throw new ArgumentOutOfRangeException(nameof(Start), Start, "Start must be between 1970 and 9000.");
        }
        if (TaskPrompts is { Count: 0 })
        {
            throw new ArgumentException("The task prompt list is empty.", nameof(TaskPrompts));
        }
        if (LegitPrompts is { Count: 0 })
        {
            throw new ArgumentException("The legitimate prompt list is empty.", nameof(LegitPrompts));
        }
    }
}
