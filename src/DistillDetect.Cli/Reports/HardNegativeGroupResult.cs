namespace DistillDetect.Cli.Reports;

/// <summary>One hard-negative group in an <see cref="EvaluationResult"/>.</summary>
internal sealed record HardNegativeGroupResult
{
    /// <summary>The group's kind as named in the truth file.</summary>
    public string Kind { get; init; } = "";

    /// <summary>Distinct accounts in the group.</summary>
    public long Accounts { get; init; }

    /// <summary>Of those, how many the report flags.</summary>
    public long Flagged { get; init; }
}
