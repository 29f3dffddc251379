using DistillDetect.Accounts;
using DistillDetect.Fingerprints;

namespace DistillDetect.Detection;

/// <summary>
/// Parameters of a <see cref="DistillationDetector"/>. Immutable, thread-safe; <see cref="Validate"/> checks them
/// (the detector's constructor calls it). Two detectors can be merged only when their options are equal.
/// </summary>
/// <remarks>
/// <para><b>The campaign rule</b> (applied by <see cref="DistillationDetector.Analyze"/>; see its remarks):
/// a cohort is a campaign when the cohort finder flags it (shared templates, synchronized activity,
/// alike hours, rates and lifetimes, and not a service fleet) AND its accounts concentrate their traffic on
/// the shared templates (median share at least <see cref="MinCohortConcentration"/>) AND it shows machine
/// timing (at least <see cref="MachineTimingShare"/> of its accounts with burstiness at most
/// <see cref="MachineBurstiness"/> or regular gaps, see <see cref="AccountSignals.RegularGapShare"/>) over at least two campaign templates, or rotating, wave-like lifetimes
/// (at least <see cref="RotatingAccountShare"/> of its accounts abandoned after a short life). A company's service keys
/// run one batch template on long-lived keys, so machine timing alone does not make them a campaign.</para>
/// <para><b>Memory.</b> Each tracked account costs about 2.4 KB (2,384 B measured) with the default profile options (the
/// profile, about 2 KB, plus the detector's per-account state, the dictionary entry and the key string; see
/// the README for the measured figure), so the default <see cref="MaxAccounts"/> of 1,000,000 bounds the
/// accounts at about 2.4 GB; <see cref="DistillationDetector.Analyze"/> adds its copy of each account it analyzes (about
/// 3.2 KB for each account with at least <see cref="LinkAfterExchanges"/> exchanges, plus about 56 B per candidate
/// pair; see its remarks), kept between analyses so that each analysis recopies only the accounts that changed; the template index is bounded by <see cref="TemplateIndexOptions.MaxTemplates"/>
/// and <see cref="TemplateIndexOptions.MaxSegments"/> (58.8 MB allocated when it is created with its defaults, about 95 MB when full, estimated), and the narrow-template
/// user lists by about twice <see cref="TemplateIndexOptions.MaxTemplates"/> entries (about 64 B each, plus 12 *
/// <see cref="NarrowTemplateMaxAccounts"/> + 16 B for a template with two users or more: at most about 61 MB at the
/// defaults, 80 MB while the tables have room to grow).</para>
/// <para><b>The shared-task rule</b> (<see cref="FlagReason.SharedTasks"/>) finds campaigns whose reworded wrappers leave
/// their prompts grouped by task: machine-timed accounts (regular gaps, or low burstiness over a day) sharing at least <see cref="MinSharedNarrowTemplates"/>
/// narrow templates (see <see cref="NarrowTemplateMaxAccounts"/>), with abandoned accounts attached, and accounts timed like
/// people that sent mostly the campaign's tasks and have lived no longer than its finished accounts.</para>
/// </remarks>
public sealed record DetectionOptions
{
    /// <summary>
    /// The detector's default cohort finding: <see cref="CohortFinderOptions.Default"/> except
    /// <see cref="CohortFinderOptions.MinCohortSize"/> = 2, so that a campaign's first wave (two or three
    /// accounts in its first hours) can be a cohort at once; the campaign rule, not the cohort size, keeps
    /// small groups of unrelated accounts out (see <see cref="DetectionOptions"/>'s remarks).
    /// </summary>
    // Declared before Default: static initializers run in order and Default's Cohorts reads this.
    public static CohortFinderOptions DefaultCohorts { get; } = CohortFinderOptions.Default with { MinCohortSize = 2 };

    /// <summary>Shared default instance.</summary>
    public static DetectionOptions Default { get; } = new();

    /// <summary>Template grouping of prompts (its seed should be secret per deployment).</summary>
    public TemplateIndexOptions Templates { get; init; } = new();

    /// <summary>Per-account profiles.</summary>
    public AccountProfileOptions Profiles { get; init; } = AccountProfileOptions.Default;

    /// <summary>Cohort finding (candidate pairs, similarity weights, the service-fleet rule); default <see cref="DefaultCohorts"/>.</summary>
    public CohortFinderOptions Cohorts { get; init; } = DefaultCohorts;

    /// <summary>
    /// Most accounts tracked (1,024 to 2^27, default 1,000,000). When a new account would exceed it, the
    /// least recently seen sixteenth of the unflagged accounts is evicted (by the time of their latest
    /// exchange); flagged accounts, the campaign evidence, are evicted only when every tracked account is flagged.
    /// </summary>
    public int MaxAccounts { get; init; } = 1_000_000;

    /// <summary>
    /// k, the request-path link rule (1 to 1,000, default 3): an unflagged account is linked to a known
    /// campaign on the request at which it has sent k exchanges on that campaign's templates, provided they are
    /// at least <see cref="AccountConcentration"/> of its exchanges. A brand-new account of a known campaign is
    /// thus linked at its k-th request (at its first requests that fall on the campaign's templates).
    /// </summary>
    public int LinkAfterExchanges { get; init; } = 3;

    /// <summary>
    /// Smallest share of an account's exchanges on its campaign's templates for the account to be flagged
    /// (0 to 1, default 0.6). A popular prompt pasted once among a person's varied prompts fails it. The analysis's
    /// rule for accounts it did not flag with a cohort asks three quarters of it of accounts with at least
    /// <see cref="AccountProfileOptions.UsageHashCount"/> exchanges, and two thirds of those abandoned (silent for
    /// <see cref="AbandonedAfter"/>): campaign accounts that mixed other prompts in.
    /// </summary>
    public double AccountConcentration { get; init; } = 0.6;

    /// <summary>Smallest median share of the members' exchanges on a cohort's shared templates for the cohort to be a campaign (0 to 1, default 0.5).</summary>
    public double MinCohortConcentration { get; init; } = 0.5;

    /// <summary>
    /// A shared template is tied to a campaign only when at least this share of all accounts that use it
    /// (among their most used templates) are the campaign's (0 to 1, default 0.5): a popular prompt that
    /// thousands of unrelated people paste never becomes a campaign template.
    /// </summary>
    public double MinTemplatePurity { get; init; } = 0.5;

    /// <summary>
    /// An account's timing counts as machine-like when its gap burstiness is at most this (-1 to 1, default 0.25; Poisson
    /// streams score 0, fixed intervals below 0, human sessions well above), or when, over at least 100 gaps, at least
    /// 95 % of them lie within three adjacent octaves (<see cref="AccountSignals.RegularGapShare"/>: a jittered fixed
    /// interval run only in an operator's shift, whose nightly pauses make it bursty). The shared-task rule trusts this
    /// bound only over a day of life (a person's first sittings can read as low), except for a fixed interval: a
    /// coefficient of variation of at most 0.4 over 30 gaps or more (burstiness at most -0.43).
    /// </summary>
    public double MachineBurstiness { get; init; } = 0.25;

    /// <summary>Share of a cohort's accounts with machine-like timing that counts as machine timing (0 to 1, default 0.5).</summary>
    public double MachineTimingShare { get; init; } = 0.5;

    /// <summary>
    /// A cohort rotates (accounts arrive and are abandoned in waves) when at least this share of its members were
    /// abandoned: silent for <see cref="AbandonedAfter"/> after living less than half of the cohort's span (0 to 1, default 0.3).
    /// </summary>
    public double RotatingAccountShare { get; init; } = 0.3;

    /// <summary>
    /// Silence after which an account counts as abandoned (exchange time; 1 hour to 365 days, default 4 days:
    /// longer than a weekend, so business-hours keys are not abandoned every Friday).
    /// </summary>
    public TimeSpan AbandonedAfter { get; init; } = TimeSpan.FromDays(4);

    /// <summary>
    /// A template used by at most this many distinct accounts is narrow (2 to 1,024, default 32): the detector keeps,
    /// per template, the accounts that used it while it stays narrow, and the shared-task rule pairs accounts on the
    /// narrow templates they share (<see cref="FlagReason.SharedTasks"/>). A popular prompt many people paste grows
    /// wide and stops counting. Memory: up to 12 B per listed account (a reference and an account number), so at most
    /// 12 * this + 16 B per template kept (<see cref="TemplateIndexOptions.MaxTemplates"/>).
    /// </summary>
    public int NarrowTemplateMaxAccounts { get; init; } = 32;

    /// <summary>
    /// Narrow templates two accounts must share for the shared-task rule to join them (1 to 1,000, default 6).
    /// </summary>
    public int MinSharedNarrowTemplates { get; init; } = 6;

    /// <summary>Checks every parameter and the nested options.</summary>
    /// <exception cref="ArgumentNullException">A nested option is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is outside its documented range.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Templates);
        ArgumentNullException.ThrowIfNull(Profiles);
        ArgumentNullException.ThrowIfNull(Cohorts);
        Templates.Validate();
        Profiles.Validate();
        Cohorts.Validate();
        if (MaxAccounts is < 1024 or > 1 << 27) OptionGuard.OutOfRange(nameof(MaxAccounts), MaxAccounts, "1,024 to 2^27");
        if (LinkAfterExchanges is < 1 or > 1000) OptionGuard.OutOfRange(nameof(LinkAfterExchanges), LinkAfterExchanges, "1 to 1,000");
        CheckShare(AccountConcentration, nameof(AccountConcentration));
        CheckShare(MinCohortConcentration, nameof(MinCohortConcentration));
        CheckShare(MinTemplatePurity, nameof(MinTemplatePurity));
        CheckShare(MachineTimingShare, nameof(MachineTimingShare));
        CheckShare(RotatingAccountShare, nameof(RotatingAccountShare));
        if (AbandonedAfter < TimeSpan.FromHours(1) || AbandonedAfter > TimeSpan.FromDays(365)) OptionGuard.OutOfRange(nameof(AbandonedAfter), AbandonedAfter, "1 hour to 365 days");
        if (NarrowTemplateMaxAccounts is < 2 or > 1024) OptionGuard.OutOfRange(nameof(NarrowTemplateMaxAccounts), NarrowTemplateMaxAccounts, "2 to 1,024");
        if (MinSharedNarrowTemplates is < 1 or > 1000) OptionGuard.OutOfRange(nameof(MinSharedNarrowTemplates), MinSharedNarrowTemplates, "1 to 1,000");
        if (!(MachineBurstiness is >= -1 and <= 1)) OptionGuard.OutOfRange(nameof(MachineBurstiness), MachineBurstiness, "[-1, 1]");
    }

    private static void CheckShare(double value, string name)
    {
        if (!(value is >= 0 and <= 1)) OptionGuard.OutOfRange(name, value, "[0, 1]");
    }
}
