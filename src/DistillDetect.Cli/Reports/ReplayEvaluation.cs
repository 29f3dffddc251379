namespace DistillDetect.Cli.Reports;

/// <summary>Replay figures of an <see cref="EvaluationResult"/> (definitions in <see cref="ReplaySummary"/>).</summary>
internal sealed record ReplayEvaluation
{
    /// <summary>First exchange (UTC) of any campaign account; replay start when activity is not listed.</summary>
    public DateTimeOffset CampaignStart { get; init; }

    /// <summary>Earliest time (UTC) a true campaign account was flagged; null when none was.</summary>
    public DateTimeOffset? FirstCampaignAlert { get; init; }

    /// <summary>Hours from <see cref="CampaignStart"/> to <see cref="FirstCampaignAlert"/>; null when no alert.</summary>
    public double? TimeToFirstAlertHours { get; init; }

    /// <summary>Exchanges sent by campaign accounts (from the replay activity).</summary>
    public long CampaignExchanges { get; init; }

    /// <summary>Of those, exchanges served before their account was flagged (all of a never-flagged account's).</summary>
    public long CampaignExchangesBeforeFlagged { get; init; }

    /// <summary><see cref="CampaignExchangesBeforeFlagged"/> / <see cref="CampaignExchanges"/>; null without activity.</summary>
    public double? ShareServedBeforeFlagged { get; init; }
}
