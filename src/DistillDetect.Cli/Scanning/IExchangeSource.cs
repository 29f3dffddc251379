namespace DistillDetect.Cli.Scanning;

/// <summary>
/// A forward-only stream of exchanges read as spans (valid until the next <see cref="MoveNext"/>): a log file
/// (<see cref="Input.ExchangeReader"/>) or the simulator (<see cref="SimulatedSource"/>). <see cref="ParallelScanner"/>
/// reads either.
/// </summary>
internal interface IExchangeSource
{
    /// <summary>Advances to the next exchange; false at the end.</summary>
    bool MoveNext();

    /// <summary>The current exchange's account id.</summary>
    ReadOnlySpan<char> Account { get; }

    /// <summary>The current exchange's time.</summary>
    DateTimeOffset Timestamp { get; }

    /// <summary>The current exchange's prompt.</summary>
    ReadOnlySpan<char> Prompt { get; }
}
