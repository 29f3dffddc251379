using DistillDetect.Accounts;

namespace DistillDetect.Detection;

/// <summary>What the detector remembers of a campaign between analyses (guarded by the analysis lock).</summary>
internal sealed class CampaignRecord(int id)
{
    public int Id { get; } = id;

    public double Score { get; set; }

    public HashSet<long> Templates { get; } = [];

    public IReadOnlyList<SynchronizedWindow> Windows { get; set; } = [];
}
