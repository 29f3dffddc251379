namespace DistillDetect.Cli.Simulation;

/// <summary>One simulated API request: who sent it, when (UTC, whole milliseconds) and the prompt text.</summary>
/// <param name="Account">The account (API key) id, e.g. <c>acct-0q3v9k2m7x1pz</c>; the same format for every population.</param>
/// <param name="Timestamp">When the request arrived, UTC.</param>
/// <param name="Prompt">The prompt text.</param>
internal readonly record struct SimulatedExchange(string Account, DateTimeOffset Timestamp, string Prompt);
