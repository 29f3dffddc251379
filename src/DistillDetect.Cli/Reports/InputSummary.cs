namespace DistillDetect.Cli.Reports;

/// <summary>The <c>input</c> object of a report: what the command read.</summary>
internal sealed record InputSummary
{
    /// <summary>The input as given on the command line (a path, or <c>-</c> for stdin).</summary>
    public string? Source { get; init; }

    /// <summary>The input format that was read: <c>jsonl</c> or <c>csv</c>.</summary>
    public string? Format { get; init; }

    /// <summary>Bytes read (after decompression).</summary>
    public long Bytes { get; init; }

    /// <summary>Well-formed exchanges processed.</summary>
    public long Exchanges { get; init; }

    /// <summary>Distinct accounts among the exchanges.</summary>
    public long Accounts { get; init; }

    /// <summary>Malformed lines (records) skipped.</summary>
    public long Malformed { get; init; }
}
