namespace DistillDetect.Cli.Simulation;

/// <summary>One campaign account's life, volume, timing and disguise (drawn when the simulator is built).</summary>
internal sealed class CampaignAccountPlan
{
    /// <summary>Index of the campaign in <see cref="TrafficSimulator.Campaigns"/>.</summary>
    public int Campaign { get; init; }

    /// <summary>Wave number within the campaign (0 = first).</summary>
    public int Wave { get; init; }

    /// <summary>First possible request, ms from the window start.</summary>
    public long StartMs { get; init; }

    /// <summary>Abandoned at (exclusive), ms from the window start.</summary>
    public long EndMs { get; init; }

    /// <summary>Exact number of exchanges the account sends.</summary>
    public int Count { get; set; }

    /// <summary>Relative volume weight (log-normal factor times life in days) used to allocate <see cref="Count"/>.</summary>
    public double Weight { get; init; }

    /// <summary>Arrival process.</summary>
    public ArrivalProcess Process { get; init; }

    /// <summary>Whether the account runs only in the operators' shift (otherwise round the clock, unless <see cref="Process"/> is sessions).</summary>
    public bool OnShift { get; init; }

    /// <summary>Level 3: whether 20 % of its prompts are legitimate-looking.</summary>
    public bool MixesLegitimate { get; init; }

    /// <summary>Level 1+: probability a letter with a look-alike is swapped.</summary>
    public double HomoglyphRate { get; init; }

    /// <summary>Level 1+: probability of a zero-width character after each character.</summary>
    public double ZeroWidthRate { get; init; }

    /// <summary>Level 1+: probability a space is distorted.</summary>
    public double WhitespaceRate { get; init; }

    /// <summary>Level 2+: probability a wrapper word with synonyms is replaced.</summary>
    public double SynonymRate { get; init; }

    /// <summary>Level 2+: probability of an opener.</summary>
    public double OpenerRate { get; init; }

    /// <summary>Level 2+: probability the wrapper is reordered.</summary>
    public double ReorderRate { get; init; }
}
