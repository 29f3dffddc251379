namespace DistillDetect.Cli.Reports;

/// <summary>
/// The <c>replay</c> object of a <c>scan --replay</c> report: what <c>evaluate</c> needs for the time to the
/// first campaign alert and the share of campaign exchanges served before their account was flagged.
/// </summary>
/// <remarks>
/// <para>Time to first campaign alert = the earliest <see cref="AccountEntry.FirstFlagged"/> among truly
/// campaign accounts minus the earliest <see cref="AccountActivity.FirstSeen"/> among all campaign accounts
/// (falls back to <see cref="Start"/> when <see cref="Activity"/> is empty).</para>
/// <para>Share served before flagging = (sum over campaign accounts of
/// <see cref="AccountEntry.ExchangesBeforeFlagged"/>, or of all their exchanges when never flagged) divided
/// by the campaign accounts' total exchanges from <see cref="Activity"/>. Scan cannot know which accounts
/// are campaign accounts, so <see cref="Activity"/> lists every account seen (about 60 bytes of JSON each).</para>
/// </remarks>
internal sealed record ReplaySummary
{
    /// <summary>Timestamp (UTC) of the first exchange in replay (time) order.</summary>
    public DateTimeOffset Start { get; init; }

    /// <summary>Timestamp (UTC) of the last exchange.</summary>
    public DateTimeOffset End { get; init; }

    /// <summary>Simulated seconds between two analyses (3600 = every simulated hour).</summary>
    public double AnalysisIntervalSeconds { get; init; }

    /// <summary>Number of analyses run during the replay.</summary>
    public long Analyses { get; init; }

    /// <summary>Every account seen in the input with its exchange count and first/last exchange.</summary>
    public IReadOnlyList<AccountActivity> Activity { get; init; } = [];
}
