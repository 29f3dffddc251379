namespace DistillDetect.Detection;

/// <summary>One campaign: its accounts, volume, score and evidence. Immutable.</summary>
/// <param name="Id">Campaign id (positive; stable across analyses and kept by save/load).</param>
/// <param name="Score">Campaign score in [0, 1]: the cohort score (<see cref="Accounts.Cohort.Score"/>: cohesion times campaign likeness) of its best cohort.</param>
/// <param name="Accounts">Flagged accounts, ordinal order.</param>
/// <param name="Exchanges">Exchanges sent by those accounts (as tracked).</param>
/// <param name="Templates">Templates tied to the campaign, most widely used first, with examples.</param>
/// <param name="Timing">Timing evidence.</param>
/// <param name="MedianCampaignTemplateShare">Median share of an account's exchanges on the campaign's templates (the concentration test).</param>
/// <param name="FirstSeen">Earliest exchange of any of its accounts (UTC).</param>
/// <param name="LastSeen">Latest exchange of any of its accounts (UTC).</param>
public sealed record CampaignFinding(
    int Id,
    double Score,
    IReadOnlyList<string> Accounts,
    long Exchanges,
    IReadOnlyList<CampaignTemplate> Templates,
    CampaignTiming Timing,
    double MedianCampaignTemplateShare,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen);
