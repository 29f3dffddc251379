namespace DistillDetect.Detection;

/// <summary>A template tied to a campaign, with an example prompt. Immutable.</summary>
/// <param name="TemplateId">The template id (from <see cref="Fingerprints.TemplateIndex"/>).</param>
/// <param name="Accounts">Campaign accounts that have the template among their most used ones.</param>
/// <param name="Exchanges">Exchanges of those accounts on it (upper bound from Space-Saving counters).</param>
/// <param name="Example">A representative prompt of the template (truncated; empty when the template index evicted it).</param>
public sealed record CampaignTemplate(long TemplateId, int Accounts, long Exchanges, string Example);
