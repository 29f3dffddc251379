namespace DistillDetect.Detection;

/// <summary>What one <see cref="DistillationDetector.Analyze"/> found. Immutable.</summary>
/// <param name="GeneratedAt">When the analysis ran (from the detector's <see cref="TimeProvider"/>).</param>
/// <param name="Exchanges">Exchanges observed so far (including merged-in and evicted accounts' exchanges).</param>
/// <param name="TrackedAccounts">Accounts tracked at the time of the analysis.</param>
/// <param name="EvictedAccounts">Accounts evicted so far to keep within <see cref="DetectionOptions.MaxAccounts"/>.</param>
/// <param name="AnalyzedAccounts">Accounts with enough exchanges to take part in cohort finding.</param>
/// <param name="Cohorts">Cohorts the cohort finder returned (flagged and unflagged), before the campaign rule.</param>
/// <param name="Campaigns">Campaigns, highest score first.</param>
/// <param name="Accounts">Every flagged account, highest score first.</param>
public sealed record DetectionReport(
    DateTimeOffset GeneratedAt,
    long Exchanges,
    int TrackedAccounts,
    long EvictedAccounts,
    int AnalyzedAccounts,
    int Cohorts,
    IReadOnlyList<CampaignFinding> Campaigns,
    IReadOnlyList<AccountFinding> Accounts);
