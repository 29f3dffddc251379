namespace DistillDetect.Cli.Reports;

/// <summary>One detected campaign in a <see cref="ScanReport"/>.</summary>
internal sealed record CampaignEntry
{
    /// <summary>The campaign's identifier, unique within the report.</summary>
    public string Id { get; init; } = "";

    /// <summary>The campaign score in [0, 1]; higher is more certain.</summary>
    public double Score { get; init; }

    /// <summary>The campaign's accounts.</summary>
    public IReadOnlyList<string> Accounts { get; init; } = [];

    /// <summary>Exchanges sent by the campaign's accounts.</summary>
    public long Exchanges { get; init; }

    /// <summary>The prompt templates the campaign's accounts share, most used first.</summary>
    public IReadOnlyList<CampaignTemplate> Templates { get; init; } = [];

    /// <summary>Named evidence figures (content, cohort, timing signals), each documented by the detector.</summary>
    public IReadOnlyDictionary<string, double> Signals { get; init; } = new Dictionary<string, double>();

    /// <summary>Time (UTC) of the campaign's first exchange, when known.</summary>
    public DateTimeOffset? FirstSeen { get; init; }

    /// <summary>Time (UTC) of the campaign's last exchange, when known.</summary>
    public DateTimeOffset? LastSeen { get; init; }
}
