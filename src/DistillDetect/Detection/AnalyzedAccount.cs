using System.IO.Hashing;
using System.Runtime.InteropServices;
using DistillDetect.Accounts;

namespace DistillDetect.Detection;

/// <summary>
/// What the analysis keeps of one account between analyses: a copy of its traffic state as of
/// <see cref="Version"/> (profile, counters, timing moments) with what is derived from it (most used templates,
/// LSH band keys), plus its flag as of the current analysis. An analysis recopies and rederives only the
/// accounts whose <see cref="AccountState.Version"/> moved since; the flag fields are copied every time (cheap,
/// and written by the analysis itself). Touched only by the analysis, under the detector's analysis lock.
/// </summary>
internal sealed class AnalyzedAccount
{
    private const int NotCopied = -1;

    public AnalyzedAccount(AccountState state, AccountProfileOptions options, CandidateKeys keys, int serial)
    {
        State = state;
        Profile = new AccountProfile(options);
        Keys = keys;
        Serial = serial;
        OrderKey = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(state.Name.AsSpan()));
    }

    /// <summary>
    /// Where the account stands in an analysis: a hash of its name that is the same in every process (the
    /// accounts dictionary's enumeration order is not: string hashing is randomized per process), so the
    /// analysis, whose neighbour pairing in large LSH buckets depends on positions, gives the same report for the
    /// same traffic in every run and after a save and load. Ties (hash collisions) are broken by the name.
    /// </summary>
    public ulong OrderKey { get; }

    /// <summary>The live account this copies.</summary>
    public AccountState State { get; }

    public string Name => State.Name;

    /// <summary>Stable number for the pair-score cache (list positions change between analyses).</summary>
    public int Serial { get; }

    /// <summary>The <see cref="AccountState.Version"/> the traffic fields were copied at.</summary>
    public long Version { get; private set; } = NotCopied;

    /// <summary>True when the last <see cref="CopyFrom"/> recopied the traffic fields (the derived fields must be recomputed).</summary>
    public bool Changed { get; private set; }

    public AccountProfile Profile { get; }

    public CandidateKeys Keys { get; }

    /// <summary>The profile's most used templates, most used first.</summary>
    public TemplateUsage[] Top { get; set; } = [];

    /// <summary>The <see cref="Top"/> the detector's per-template account counts hold for this account (null: none).</summary>
    public TemplateUsage[]? CountedTop { get; set; }

    /// <summary>The analysis that last found this account among its accounts (for the per-template account counts).</summary>
    public int CountedStamp { get; set; }

    public long Exchanges { get; private set; }
    public long LastSeenTicks { get; private set; }
    public double MeanGapSeconds { get; private set; }
    public double Burstiness { get; private set; }

    /// <summary>Gaps behind <see cref="Burstiness"/> and <see cref="MeanGapSeconds"/>.</summary>
    public long Gaps { get; private set; }

    /// <summary>The profile's largest share of gaps within three adjacent octaves (NaN with no gap), and over how many gaps.</summary>
    public double RegularGapShare { get; private set; }

    public long RegularGaps { get; private set; }

    public int CampaignId { get; private set; }
    public FlagReason Reason { get; private set; }
    public double CampaignShare { get; private set; }
    public double Cohesion { get; private set; }
    public long FirstFlaggedTicks { get; private set; }
    public long ExchangesBeforeFlagged { get; private set; }

    /// <summary>Copies the account: traffic fields only when its version moved (or always when <paramref name="force"/>), flag fields always. Call under the account's gate.</summary>
    public void CopyFrom(AccountState s, bool force)
    {
        Changed = force || Version != s.Version;
        if (Changed)
        {
            Version = s.Version;
            Profile.CopyFrom(s.Profile);
            Exchanges = s.Exchanges;
            LastSeenTicks = s.LastSeenTicks;
            MeanGapSeconds = s.MeanGapSeconds;
            Burstiness = s.Burstiness;
            Gaps = s.GapCount;
            RegularGapShare = Profile.GetRegularGapShare(out long gaps);
            RegularGaps = gaps;
        }
        CampaignId = s.CampaignId;
        Reason = s.Reason;
        CampaignShare = s.CampaignShare;
        Cohesion = s.Cohesion;
        FirstFlaggedTicks = s.FirstFlaggedTicks;
        ExchangesBeforeFlagged = s.ExchangesBeforeFlagged;
    }
}
