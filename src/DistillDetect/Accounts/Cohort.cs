namespace DistillDetect.Accounts;

/// <summary>
/// A group of accounts that behave alike, with its score and evidence. Immutable.
/// <para>Score = <see cref="Cohesion"/> x <see cref="CampaignLikeness"/>. Campaign likeness is
/// 1 - (service-fleet signals) / 3 over three signals that tell one company's service keys from a
/// campaign (see <see cref="CohortFinderOptions"/>): at most one shared template, keys that live through
/// the whole observation span instead of arriving and leaving in waves, and machine-scale volume per key.
/// A cohort with all three is <see cref="LooksLikeServiceFleet"/> and scores 0.</para>
/// </summary>
public sealed class Cohort
{
    internal Cohort(int[] members, double cohesion, double density, int serviceFleetSignals, int sharedTemplateCount,
        SharedTemplate[] sharedTemplates, SynchronizedWindow[] windows, CohortTiming timing, bool flagged)
    {
        Members = members;
        Cohesion = cohesion;
        Density = density;
        ServiceFleetSignals = serviceFleetSignals;
        SharedTemplateCount = sharedTemplateCount;
        SharedTemplates = sharedTemplates;
        SynchronizedWindows = windows;
        Timing = timing;
        IsFlagged = flagged;
    }

    /// <summary>Indices of the member profiles in the list given to <see cref="CohortFinder.Find"/>, ascending.</summary>
    public IReadOnlyList<int> Members { get; }

    /// <summary>Number of members.</summary>
    public int Size => Members.Count;

    /// <summary>Mean combined similarity over the cohort's edges (scored candidate pairs at or above the edge threshold), in [0, 1].</summary>
    public double Cohesion { get; }

    /// <summary>Sum of internal edge weights per member (the peeling objective; half the mean weighted degree).</summary>
    public double Density { get; }

    /// <summary>How many of the three service-fleet signals the cohort shows (0 to 3).</summary>
    public int ServiceFleetSignals { get; }

    /// <summary>1 - <see cref="ServiceFleetSignals"/> / 3, in [0, 1].</summary>
    public double CampaignLikeness => 1.0 - ServiceFleetSignals / 3.0;

    /// <summary>True when all three service-fleet signals are present (the cohort is one company's keys, not a campaign).</summary>
    public bool LooksLikeServiceFleet => ServiceFleetSignals == 3;

    /// <summary>Cohesion x campaign likeness, in [0, 1].</summary>
    public double Score => Cohesion * CampaignLikeness;

    /// <summary>True when <see cref="Score"/> reaches <see cref="CohortFinderOptions.FlagThreshold"/>.</summary>
    public bool IsFlagged { get; }

    /// <summary>Number of templates used by at least <see cref="CohortFinderOptions.SharedTemplateShare"/> of the members.</summary>
    public int SharedTemplateCount { get; }

    /// <summary>Templates most members used, most widely shared first (at most 20).</summary>
    public IReadOnlyList<SharedTemplate> SharedTemplates { get; }

    /// <summary>Time windows of synchronized activity, most members first (at most 10).</summary>
    public IReadOnlyList<SynchronizedWindow> SynchronizedWindows { get; }

    /// <summary>Summary timing statistics of the members.</summary>
    public CohortTiming Timing { get; }
}
