namespace DistillDetect.Detection;

/// <summary>
/// What <see cref="DistillationDetector.Observe(ReadOnlySpan{char}, DateTimeOffset, ReadOnlySpan{char})"/> knows about
/// one request the moment it is observed. A small immutable value (32 bytes); producing it allocates nothing.
/// </summary>
/// <param name="TemplateId">Template group of the prompt (from <see cref="Fingerprints.TemplateIndex"/>, positive).</param>
/// <param name="IsCampaignTemplate">True when the template is tied to a campaign found by the last <see cref="DistillationDetector.Analyze"/>.</param>
/// <param name="CampaignId">The campaign the account is flagged for, else the campaign of the template, else 0.</param>
/// <param name="IsAccountFlagged">True when the account is flagged as part of a campaign (by an earlier analysis, or linked by this or an earlier request).</param>
/// <param name="Score">Suspicion in [0, 1]: the account's score when flagged; for an unflagged account on a campaign
/// template, the campaign's score scaled by how far the account is towards being linked; else 0.</param>
public readonly record struct RequestVerdict(long TemplateId, bool IsCampaignTemplate, int CampaignId, bool IsAccountFlagged, double Score);
