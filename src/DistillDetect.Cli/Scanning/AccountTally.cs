namespace DistillDetect.Cli.Scanning;

/// <summary>
/// What <c>scan</c> itself counts per account, beside the detector: exchanges, first and last time, arrivals
/// out of time order, and (replay) when the account was first flagged. 48 bytes, stored inline in
/// <see cref="AccountTable"/>.
/// </summary>
internal struct AccountTally
{
    /// <summary>Sentinel of <see cref="FirstFlaggedTicks"/> while the account has not been flagged.</summary>
    public const long NotFlagged = long.MinValue;

    /// <summary>Exchanges of the account in the input.</summary>
    public long Exchanges;

    /// <summary>UTC ticks of the earliest exchange.</summary>
    public long FirstTicks;

    /// <summary>UTC ticks of the latest exchange.</summary>
    public long LastTicks;

    /// <summary>Exchanges that arrived earlier (in input order) than an exchange of the same account already seen.</summary>
    public long OutOfOrder;

    /// <summary>Replay: UTC ticks at which the account was first flagged, or <see cref="NotFlagged"/>.</summary>
    public long FirstFlaggedTicks;

    /// <summary>Replay: exchanges of the account served before <see cref="FirstFlaggedTicks"/>.</summary>
    public long ExchangesBeforeFlagged;
}
