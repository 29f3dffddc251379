namespace DistillDetect.Cli.Simulation;

/// <summary>
/// The whole per-account generator state while traffic streams (about 120 bytes): the account's random
/// stream, its activity timeline and where its arrival process stands. Everything else about the account is
/// recomputed from its index. Mutable struct kept in an array and updated by reference.
/// </summary>
internal struct AccountState
{
    /// <summary>The account's own random stream (timing and prompt text).</summary>
    public SplitMix64 Rng;

    /// <summary>When the account can be active.</summary>
    public ActivityTimeline Timeline;

    /// <summary>Time of the last scheduled exchange, ms from the window start.</summary>
    public long LastMs;

    /// <summary>Poisson and sessions: last uniform order statistic in [0, 1). Interval: active ms per exchange.</summary>
    public double Position;

    /// <summary>Exchanges in the account's life.</summary>
    public int Count;

    /// <summary>Exchanges not yet emitted (the scheduled one included).</summary>
    public int Remaining;

    /// <summary>Sessions not yet started.</summary>
    public int SessionsLeft;

    /// <summary>Exchanges left in the current session after the scheduled one.</summary>
    public int InSessionLeft;

    /// <summary>Median pause between requests in a session, seconds.</summary>
    public float GapMedianSeconds;

    /// <summary>Ordinary users: probability that a prompt is a coding request.</summary>
    public float CodeShare;

    /// <summary>Campaign accounts: index of their <see cref="CampaignAccountPlan"/>; pasters: which popular prompt.</summary>
    public int Plan;

    /// <summary>Pasters: popular-prompt pastes still to send.</summary>
    public short PastesLeft;

    /// <summary>The account's population.</summary>
    public AccountRole Role;

    /// <summary>The account's arrival process.</summary>
    public ArrivalProcess Process;
}
