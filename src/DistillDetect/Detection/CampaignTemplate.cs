namespace DistillDetect.Detection;

/// <summary>A template tied to a campaign, with an example prompt. Immutable.</summary>
/// <param name="TemplateId">The template id (from <see cref="Fingerprints.TemplateIndex"/>).</param>
/// <param name="Accounts">Campaign accounts that have the template among their most used ones; for a shared task
/// (<see cref="FlagReason.SharedTasks"/>) among none of their most used ones, the campaign accounts that sent it.</param>
/// <param name="Exchanges">Exchanges of those accounts on it (upper bound from Space-Saving counters); for such a shared
/// task, the number of those accounts (a lower bound: one exchange each).</param>
/// <param name="Example">A representative prompt of the template (truncated; empty when the template index evicted it).</param>
public sealed record CampaignTemplate(long TemplateId, int Accounts, long Exchanges, string Example);
