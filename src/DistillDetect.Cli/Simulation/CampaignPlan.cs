namespace DistillDetect.Cli.Simulation;

/// <summary>One distillation campaign's fixed choices (drawn from the seed when the simulator is built).</summary>
internal sealed class CampaignPlan
{
    /// <summary>Id written to truth.json, <c>campaign-1</c> ... <c>campaign-4</c>.</summary>
    public required string Id { get; init; }

    /// <summary>Indices into <see cref="CampaignWrappers.Pool"/>; disjoint between campaigns.</summary>
    public required int[] Templates { get; init; }

    /// <summary>Share of coding tasks (the rest are agentic tasks).</summary>
    public double CodingShare { get; init; }

    /// <summary>First wave's start, ms from the window start.</summary>
    public long StartMs { get; init; }

    /// <summary>When the campaign stops, ms from the window start.</summary>
    public long EndMs { get; init; }

    /// <summary>Time between waves of new accounts.</summary>
    public long WavePeriodMs { get; init; }

    /// <summary>Median life of an account before it is abandoned.</summary>
    public long LifeMedianMs { get; init; }

    /// <summary>The operators' UTC offset (a distant time zone).</summary>
    public int OperatorTzMs { get; init; }

    /// <summary>Shift start, operator's local time, ms after midnight.</summary>
    public int ShiftLocalStartMs { get; init; }

    /// <summary>Shift length (8 to 10 hours).</summary>
    public int ShiftLengthMs { get; init; }

    /// <summary>Relative frequency of 24/7 jittered-interval accounts.</summary>
    public double IntervalWeight { get; init; }

    /// <summary>Relative frequency of 24/7 Poisson accounts.</summary>
    public double PoissonWeight { get; init; }

    /// <summary>Relative frequency of accounts that run only in the operators' shift.</summary>
    public double ShiftWeight { get; init; }
}
