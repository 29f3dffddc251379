namespace DistillDetect.Detection;

/// <summary>
/// The shared-task rule's person-timed accounts (neither machine-timed nor abandoned), checked against the narrow
/// templates of the accounts that take part in the same pass over the lists (<see cref="NarrowTemplateUsers.CopyNarrow"/>):
/// per candidate, how many narrow templates it shares with anyone taking part or with another candidate, and which
/// copied templates it uses that at least two machine-timed accounts use too. Candidates never join accounts to one
/// another, so they add no pairs to the rule's pass; see <see cref="DistillationDetector"/>'s shared-task rule.
/// </summary>
internal sealed class SharedTaskCandidates
{
    private readonly List<bool> _machine;

    /// <param name="accounts">The candidates.</param>
    /// <param name="machine">Per account taking part (same positions): machine-timed.</param>
    public SharedTaskCandidates(List<AccountState> accounts, List<bool> machine)
    {
        Accounts = accounts;
        _machine = machine;
        Narrow = new int[accounts.Count];
    }

    /// <summary>The candidates.</summary>
    public List<AccountState> Accounts { get; }

    /// <summary>Per candidate: its narrow templates with at least one other user taking part or among the candidates.</summary>
    public int[] Narrow { get; }

    /// <summary>Copied templates (indices in the copy's lists) that two or more machine-timed accounts and at least one candidate used.</summary>
    public List<int> Templates { get; } = [];

    /// <summary>Where each of <see cref="Templates"/>' candidates end in <see cref="Users"/>.</summary>
    public List<int> Ends { get; } = [];

    /// <summary>The candidates (positions in <see cref="Accounts"/>) of each of <see cref="Templates"/>.</summary>
    public List<int> Users { get; } = [];

    /// <summary>
    /// One narrow template's users: <paramref name="candidates"/> (positions in <see cref="Accounts"/>) and
    /// <paramref name="takingPart"/>; <paramref name="copied"/> is its index in the copy, -1 when it was not copied.
    /// </summary>
    public void Record(ReadOnlySpan<int> candidates, ReadOnlySpan<int> takingPart, int copied)
    {
        foreach (int c in candidates) Narrow[c]++;
        if (copied < 0) return;
        int machine = 0;
        foreach (int k in takingPart) machine += _machine[k] ? 1 : 0;
        if (machine < 2) return;
        Templates.Add(copied);
        Users.AddRange(candidates);
        Ends.Add(Users.Count);
    }
}
