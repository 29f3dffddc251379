namespace DistillDetect.Cli.Reports;

/// <summary>
/// The JSON report of <c>distilldetect scan</c> (snake_case names through <see cref="ReportJsonContext"/>):
/// <c>{"input": {...}, "campaigns": [...], "accounts": [...], "replay": {...} | null}</c>.
/// Missing collections read as empty, so hand-written or older reports still load.
/// </summary>
internal sealed record ScanReport
{
    /// <summary>What was read: exchanges, distinct accounts, malformed lines.</summary>
    public InputSummary Input { get; init; } = new();

    /// <summary>Detected campaigns, highest score first.</summary>
    public IReadOnlyList<CampaignEntry> Campaigns { get; init; } = [];

    /// <summary>Every account flagged as part of a campaign, highest score first.</summary>
    public IReadOnlyList<AccountEntry> Accounts { get; init; } = [];

    /// <summary>Present only for <c>scan --replay</c>: the replay's clock and per-account activity.</summary>
    public ReplaySummary? Replay { get; init; }
}
