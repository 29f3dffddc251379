namespace DistillDetect.Accounts;

/// <summary>A template many members of a cohort used (from their most-used-template counters).</summary>
/// <param name="TemplateId">The template id (look its example up in the template index).</param>
/// <param name="Accounts">Members that have it among their most used templates.</param>
/// <param name="Exchanges">Their exchanges on it (sum of Space-Saving counts, an upper bound).</param>
public readonly record struct SharedTemplate(long TemplateId, int Accounts, long Exchanges);
