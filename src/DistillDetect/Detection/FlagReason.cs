namespace DistillDetect.Detection;

/// <summary>Why an account was flagged as part of a campaign.</summary>
public enum FlagReason
{
    /// <summary>Not flagged.</summary>
    None = 0,

    /// <summary>
    /// A member of a cohort (<see cref="Accounts.CohortFinder"/>) that passed the campaign rule, and most of the
    /// account's exchanges are on the campaign's templates.
    /// </summary>
    Cohort = 1,

    /// <summary>
    /// Not (yet) in a cohort, but enough of its exchanges are on templates tied to a known campaign
    /// (found by <see cref="DistillationDetector.Analyze"/>): at least <see cref="DetectionOptions.AccountConcentration"/>
    /// of them, or three quarters of that for an account with enough exchanges for its share to be read from a full
    /// sample, two thirds once such an account was abandoned (a campaign account that mixed other prompts in).
    /// </summary>
    CampaignTemplates = 2,

    /// <summary>
    /// Linked on the request path: its first requests (at least <see cref="DetectionOptions.LinkAfterExchanges"/>)
    /// concentrated on templates tied to a known campaign (<see cref="DistillationDetector.Observe(ReadOnlySpan{char}, DateTimeOffset, ReadOnlySpan{char})"/>).
    /// </summary>
    RequestPath = 3,

    /// <summary>
    /// A member of a shared-task cohort: machine-timed accounts that keep sending the same payloads as one another,
    /// each spread over many templates (a campaign whose wrappers are reworded, so that its prompts group by task),
    /// joined when they share at least <see cref="DetectionOptions.MinSharedNarrowTemplates"/> narrow templates
    /// (<see cref="DetectionOptions.NarrowTemplateMaxAccounts"/>); abandoned accounts and accounts timed like people
    /// that sent mostly the cohort's tasks join it.
    /// </summary>
    SharedTasks = 4,
}
