using DistillDetect.Accounts;

namespace DistillDetect.Detection;

/// <summary>
/// The detector's state of one account. Every field is written under <see cref="Gate"/>;
/// <see cref="LastSeenTicks"/> is also read without it by eviction (an aligned 64-bit read is atomic).
/// </summary>
internal sealed class AccountState
{
    public AccountState(string name, AccountProfileOptions options)
    {
        Name = name;
        Profile = new AccountProfile(options);
    }

    public string Name { get; }

    public Lock Gate { get; } = new();

    public AccountProfile Profile { get; private set; }

    /// <summary>Exchanges observed here (equals the profile's volume; kept apart so merges stay exact).</summary>
    public long Exchanges;

    public long LastSeenTicks = long.MinValue;

    /// <summary>Exchanges on templates tied to a campaign at the time of the request.</summary>
    public long CampaignHits;

    // Welford running gap statistics of the account's (sorted-as-arriving) exchanges: mean and M2 (Welford 1962).
    public long GapCount;
    public double GapMean;
    public double GapM2;
    public long PreviousTicks = long.MinValue;

    public int CampaignId;
    public FlagReason Reason;
    public double Score;
    public double CampaignShare;
    public double Cohesion = double.NaN;
    public long FirstFlaggedTicks;
    public long ExchangesBeforeFlagged;

    /// <summary>
    /// Bumped under the gate whenever the traffic state (profile, counters, timing) changes, so an analysis
    /// recopies only the accounts that changed since it last looked. Flag fields do not bump it.
    /// </summary>
    public long Version;

    /// <summary>
    /// A number no other state created in this process has (until 2^32 states have been created), so that the narrow-template
    /// lists can name their users by a 4-byte value read without following a reference (<see cref="NarrowTemplateUsers"/>).
    /// </summary>
    public readonly int Ordinal = Interlocked.Increment(ref s_lastOrdinal);

    private static int s_lastOrdinal;

    /// <summary>The analysis's copy of this account; read and written only under the detector's analysis lock.</summary>
    public AnalyzedAccount? Analysis;

    /// <summary>Set under the gate when the account was evicted; a writer that still holds the state re-adds the account.</summary>
    public bool Evicted;

    public bool IsFlagged => CampaignId != 0;

    public void ObserveTiming(long ticks)
    {
        if (PreviousTicks != long.MinValue)
        {
            // Out-of-order arrivals count as a zero gap; the profile's timing state handles reordering properly.
            double gap = Math.Max(0, ticks - PreviousTicks) / (double)TimeSpan.TicksPerSecond;
            GapCount++;
            double d = gap - GapMean;
            GapMean += d / GapCount;
            GapM2 += d * (gap - GapMean);
        }
        if (ticks > PreviousTicks) PreviousTicks = ticks;
        if (ticks > LastSeenTicks) LastSeenTicks = ticks;
    }

    public double MeanGapSeconds => GapCount == 0 ? double.NaN : GapMean;

    /// <summary>Goh and Barabasi 2008 burstiness (s - m) / (s + m) of the gaps; NaN below 2 gaps.</summary>
    public double Burstiness
    {
        get
        {
            if (GapCount < 2) return double.NaN;
            double s = Math.Sqrt(Math.Max(0, GapM2) / (GapCount - 1));
            double m = GapMean;
            return s + m == 0 ? -1 : (s - m) / (s + m);
        }
    }

    /// <summary>Adds another state's traffic (Chan et al. 1979 parallel variance for the gaps).</summary>
    public void MergeFrom(AccountSnapshotData other)
    {
        Version++;
        Profile.Merge(other.Profile);
        Exchanges += other.Exchanges;
        CampaignHits += other.CampaignHits;
        long n = GapCount + other.GapCount;
        if (n > 0)
        {
            double d = other.GapMean - GapMean;
            GapM2 += other.GapM2 + d * d * GapCount * other.GapCount / n;
            GapMean += d * other.GapCount / n;
            GapCount = n;
        }
        PreviousTicks = Math.Max(PreviousTicks, other.PreviousTicks);
        LastSeenTicks = Math.Max(LastSeenTicks, other.LastSeenTicks);
    }

    /// <summary>Copies the state (a fresh profile) for work outside the gate. Call under the gate.</summary>
    public AccountSnapshotData Copy()
    {
        var profile = new AccountProfile(Profile.Options);
        profile.CopyFrom(Profile);
        return new AccountSnapshotData
        {
            Name = Name,
            Profile = profile,
            Exchanges = Exchanges,
            LastSeenTicks = LastSeenTicks,
            CampaignHits = CampaignHits,
            GapCount = GapCount,
            GapMean = GapMean,
            GapM2 = GapM2,
            PreviousTicks = PreviousTicks,
            CampaignId = CampaignId,
            Reason = Reason,
            Score = Score,
            CampaignShare = CampaignShare,
            Cohesion = Cohesion,
            FirstFlaggedTicks = FirstFlaggedTicks,
            ExchangesBeforeFlagged = ExchangesBeforeFlagged,
        };
    }

    /// <summary>Replaces everything with a loaded state (only while the state is not yet shared).</summary>
    public void LoadFrom(AccountSnapshotData data)
    {
        Version++;
        Profile = data.Profile;
        Exchanges = data.Exchanges;
        LastSeenTicks = data.LastSeenTicks;
        CampaignHits = data.CampaignHits;
        GapCount = data.GapCount;
        GapMean = data.GapMean;
        GapM2 = data.GapM2;
        PreviousTicks = data.PreviousTicks;
        CampaignId = data.CampaignId;
        Reason = data.Reason;
        Score = data.Score;
        CampaignShare = data.CampaignShare;
        Cohesion = data.Cohesion;
        FirstFlaggedTicks = data.FirstFlaggedTicks;
        ExchangesBeforeFlagged = data.ExchangesBeforeFlagged;
    }
}
