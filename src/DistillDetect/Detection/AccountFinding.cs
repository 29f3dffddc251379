namespace DistillDetect.Detection;

/// <summary>One account flagged as part of a campaign, with its score and the signals behind it. Immutable.</summary>
/// <param name="Account">The account key as given to <see cref="DistillationDetector.Observe(string, DateTimeOffset, string)"/>.</param>
/// <param name="Score">Suspicion in [0, 1]: the campaign's score times the account's campaign-template share.</param>
/// <param name="CampaignId">The campaign (positive).</param>
/// <param name="Signals">The evidence.</param>
/// <param name="FirstFlagged">Time of the account's latest exchange when it was first flagged (exchange time, UTC).</param>
/// <param name="ExchangesBeforeFlagged">Exchanges the account had sent before the one at which it was first flagged.</param>
public sealed record AccountFinding(
    string Account,
    double Score,
    int CampaignId,
    AccountSignals Signals,
    DateTimeOffset FirstFlagged,
    long ExchangesBeforeFlagged);
