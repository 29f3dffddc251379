namespace DistillDetect.Cli.Reports;

/// <summary>
/// What <c>distilldetect evaluate</c> computes (and prints with <c>--json</c>): account-level detection
/// quality of a <see cref="ScanReport"/> against a <see cref="GroundTruth"/>. A ratio whose denominator is
/// zero is null (JSON <c>null</c>, printed <c>n/a</c>), never a made-up 0 or 1.
/// </summary>
internal sealed record EvaluationResult
{
    /// <summary>Distinct accounts the report flags.</summary>
    public long FlaggedAccounts { get; init; }

    /// <summary>Distinct campaign accounts in the truth.</summary>
    public long CampaignAccounts { get; init; }

    /// <summary>Flagged accounts that are campaign accounts.</summary>
    public long TruePositives { get; init; }

    /// <summary>Flagged accounts that are not campaign accounts.</summary>
    public long FalsePositives { get; init; }

    /// <summary>Campaign accounts not flagged.</summary>
    public long FalseNegatives { get; init; }

    /// <summary>TP / (TP + FP); null when nothing is flagged.</summary>
    public double? Precision { get; init; }

    /// <summary>TP / (TP + FN); null when the truth has no campaign account.</summary>
    public double? Recall { get; init; }

    /// <summary>2PR / (P + R) (0 when P + R = 0); null when P or R is null.</summary>
    public double? F1 { get; init; }

    /// <summary>Truth campaigns (from <c>campaigns</c>) with at least one flagged account.</summary>
    public long CampaignsDetected { get; init; }

    /// <summary>Truth campaigns listed in <c>campaigns</c> (0 when the truth file has none).</summary>
    public long CampaignsTotal { get; init; }

    /// <summary>Distinct hard-negative accounts in the truth.</summary>
    public long HardNegativeAccounts { get; init; }

    /// <summary>Hard-negative accounts the report flags.</summary>
    public long HardNegativeAccountsFlagged { get; init; }

    /// <summary>Per hard-negative group: size and how many of its accounts are flagged.</summary>
    public IReadOnlyList<HardNegativeGroupResult> HardNegativeGroups { get; init; } = [];

    /// <summary>Hard-negative groups with at least one flagged account.</summary>
    public long HardNegativeGroupsFlagged { get; init; }

    /// <summary>Replay figures; null unless the report came from <c>scan --replay</c>.</summary>
    public ReplayEvaluation? Replay { get; init; }
}
