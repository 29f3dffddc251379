namespace DistillDetect.Cli.Reports;

/// <summary>One account's traffic during a replay (flagged or not).</summary>
internal sealed record AccountActivity
{
    /// <summary>The account identifier.</summary>
    public string Account { get; init; } = "";

    /// <summary>Exchanges the account sent.</summary>
    public long Exchanges { get; init; }

    /// <summary>Time (UTC) of the account's first exchange.</summary>
    public DateTimeOffset FirstSeen { get; init; }

    /// <summary>Time (UTC) of the account's last exchange.</summary>
    public DateTimeOffset LastSeen { get; init; }
}
