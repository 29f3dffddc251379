namespace DistillDetect.Fingerprints;

/// <summary>
/// A snapshot of one template group of a <see cref="TemplateIndex"/>.
/// </summary>
/// <param name="Id">The template id <see cref="TemplateIndex.Assign(ReadOnlySpan{char})"/> returns; positive,
/// derived from the founding prompt's fingerprint, so the same founding prompt gives the same id on every
/// machine with the same seed.</param>
/// <param name="Count">Prompts assigned to the template.</param>
/// <param name="Example">The founding prompt, truncated to <see cref="TemplateIndexOptions.ExampleLength"/> characters.</param>
/// <param name="FirstAssignment">Sequence number (1-based, in the index's assignment order) of the first prompt assigned.</param>
/// <param name="LastAssignment">Sequence number of the latest prompt assigned.</param>
public readonly record struct TemplateInfo(long Id, long Count, string Example, long FirstAssignment, long LastAssignment);
