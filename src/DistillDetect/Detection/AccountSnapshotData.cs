using DistillDetect.Accounts;

namespace DistillDetect.Detection;

/// <summary>A private copy of one account's state, taken under its gate, that analysis, saving and merging work on.</summary>
internal sealed class AccountSnapshotData
{
    public required string Name { get; init; }

    /// <summary>A copy of the profile.</summary>
    public required AccountProfile Profile { get; init; }

    public long Exchanges { get; init; }
    public long LastSeenTicks { get; init; }
    public long CampaignHits { get; init; }
    public long GapCount { get; init; }
    public double GapMean { get; init; }
    public double GapM2 { get; init; }
    public long PreviousTicks { get; init; }
    public int CampaignId { get; init; }
    public FlagReason Reason { get; init; }
    public double Score { get; init; }
    public double CampaignShare { get; init; }
    public double Cohesion { get; init; }
    public long FirstFlaggedTicks { get; init; }
    public long ExchangesBeforeFlagged { get; init; }

    public double MeanGapSeconds => GapCount == 0 ? double.NaN : GapMean;

    public double Burstiness
    {
        get
        {
            if (GapCount < 2) return double.NaN;
            double s = Math.Sqrt(Math.Max(0, GapM2) / (GapCount - 1));
            return s + GapMean == 0 ? -1 : (s - GapMean) / (s + GapMean);
        }
    }
}
