namespace DistillDetect.Cli.Reports;

/// <summary>One flagged account in a <see cref="ScanReport"/>: every listed account counts as flagged.</summary>
internal sealed record AccountEntry
{
    /// <summary>The account identifier as it appeared in the input.</summary>
    public string Account { get; init; } = "";

    /// <summary>The account's score in [0, 1]; higher is more certain.</summary>
    public double Score { get; init; }

    /// <summary>The <see cref="CampaignEntry.Id"/> the account belongs to, if any.</summary>
    public string? Campaign { get; init; }

    /// <summary>Exchanges the account sent in the whole input.</summary>
    public long Exchanges { get; init; }

    /// <summary>Named evidence figures behind the score.</summary>
    public IReadOnlyDictionary<string, double> Signals { get; init; } = new Dictionary<string, double>();

    /// <summary>Replay only: the simulated time (UTC) of the analysis that first flagged the account.</summary>
    public DateTimeOffset? FirstFlagged { get; init; }

    /// <summary>Replay only: the account's exchanges served before <see cref="FirstFlagged"/>.</summary>
    public long? ExchangesBeforeFlagged { get; init; }
}
