namespace DistillDetect.Accounts;

/// <summary>One of an account's most used templates.</summary>
/// <param name="TemplateId">The template id (from the template index).</param>
/// <param name="Count">Exchanges on the template: an upper bound (Space-Saving), exact while the account has used no more distinct templates than it keeps counters for.</param>
public readonly record struct TemplateUsage(long TemplateId, long Count);
