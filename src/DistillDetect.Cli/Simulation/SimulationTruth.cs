namespace DistillDetect.Cli.Simulation;

/// <summary>
/// The simulation's ground truth: campaign accounts by campaign and the hard-negative groups by kind. Lists
/// are sorted by ordinal account id; lookups are O(1). Immutable, thread-safe.
/// </summary>
internal sealed class SimulationTruth
{
    private readonly Dictionary<string, string> _campaignOf = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _groupOf = new(StringComparer.Ordinal);

    /// <summary>Builds the truth; account lists are copied and sorted.</summary>
    /// <param name="campaigns">Campaign id and its accounts.</param>
    /// <param name="hardNegativeGroups">Hard-negative kind (see <see cref="HardNegativeKind"/>) and its accounts.</param>
    /// <exception cref="ArgumentException">An account appears twice.</exception>
    public SimulationTruth(IEnumerable<KeyValuePair<string, IReadOnlyList<string>>> campaigns, IEnumerable<KeyValuePair<string, IReadOnlyList<string>>> hardNegativeGroups)
    {
        ArgumentNullException.ThrowIfNull(campaigns);
        ArgumentNullException.ThrowIfNull(hardNegativeGroups);
        Campaigns = Collect(campaigns, _campaignOf);
        HardNegativeGroups = Collect(hardNegativeGroups, _groupOf);
        var all = new List<string>(_campaignOf.Keys);
        all.Sort(StringComparer.Ordinal);
        CampaignAccounts = all;
        foreach (string account in _groupOf.Keys)
        {
            if (_campaignOf.ContainsKey(account))
            {
                throw new ArgumentException($"Account '{account}' is both a campaign account and a hard negative.", nameof(hardNegativeGroups));
            }
        }
    }

    /// <summary>Every campaign account, sorted.</summary>
    public IReadOnlyList<string> CampaignAccounts { get; }

    /// <summary>Campaign id (sorted ordinally) to its accounts (sorted).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Campaigns { get; }

    /// <summary>Hard-negative kind (sorted ordinally) to its accounts (sorted).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> HardNegativeGroups { get; }

    /// <summary>The campaign id of <paramref name="account"/>, or <see langword="null"/> when it is not a campaign account.</summary>
    public string? CampaignOf(string account) => _campaignOf.GetValueOrDefault(account);

    /// <summary>The hard-negative kind of <paramref name="account"/>, or <see langword="null"/>.</summary>
    public string? HardNegativeGroupOf(string account) => _groupOf.GetValueOrDefault(account);

    /// <summary>Whether <paramref name="account"/> belongs to a campaign.</summary>
    public bool IsCampaignAccount(string account) => _campaignOf.ContainsKey(account);

    private static SortedDictionary<string, IReadOnlyList<string>> Collect(IEnumerable<KeyValuePair<string, IReadOnlyList<string>>> groups, Dictionary<string, string> index)
    {
        var result = new SortedDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (id, accounts) in groups)
        {
            var sorted = new List<string>(accounts);
            sorted.Sort(StringComparer.Ordinal);
            foreach (string account in sorted)
            {
                if (!index.TryAdd(account, id))
                {
                    throw new ArgumentException($"Account '{account}' appears in two groups.", nameof(groups));
                }
            }
            if (!result.TryAdd(id, sorted))
            {
                throw new ArgumentException($"Group '{id}' appears twice.", nameof(groups));
            }
        }
        return result;
    }
}
