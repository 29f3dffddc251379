namespace DistillDetect.Cli.Input;

/// <summary>One well-formed exchange read by <see cref="ExchangeReader"/>.</summary>
/// <param name="Line">1-based line number where the record starts in the input.</param>
/// <param name="Id">The <c>id</c> field (a JSON number keeps its text form), or null when absent or not asked for.</param>
/// <param name="Account">The <c>account</c> field, or null when absent or not asked for.</param>
/// <param name="Timestamp">The <c>timestamp</c> converted to UTC (offset zero); default when <paramref name="HasTimestamp"/> is false.</param>
/// <param name="HasTimestamp">Whether the record had a valid <c>timestamp</c> (and it was asked for).</param>
/// <param name="Prompt">The <c>prompt</c> field, or null when absent or not asked for.</param>
internal readonly record struct ExchangeRecord(
    long Line,
    string? Id,
    string? Account,
    DateTimeOffset Timestamp,
    bool HasTimestamp,
    string? Prompt);
