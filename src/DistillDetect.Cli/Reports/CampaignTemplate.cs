namespace DistillDetect.Cli.Reports;

/// <summary>A prompt template shared by a campaign's accounts.</summary>
internal sealed record CampaignTemplate
{
    /// <summary>The template identifier (as in <c>templates</c> output).</summary>
    public string Id { get; init; } = "";

    /// <summary>Exchanges of the campaign that matched the template.</summary>
    public long Count { get; init; }

    /// <summary>A representative prompt of the template.</summary>
    public string? Example { get; init; }
}
