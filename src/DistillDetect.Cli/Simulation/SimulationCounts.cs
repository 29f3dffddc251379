namespace DistillDetect.Cli.Simulation;

/// <summary>
/// How many accounts and exchanges a simulation produces, per population. The simulator allocates exchanges
/// to accounts exactly, so these are the counts the traffic will have, known before generating it.
/// </summary>
/// <param name="CampaignAccounts">Accounts run by distillation campaigns.</param>
/// <param name="CampaignExchanges">Exchanges sent by campaign accounts (including level-3 mixed-in legitimate-looking prompts).</param>
/// <param name="OrdinaryAccounts">Ordinary users.</param>
/// <param name="OrdinaryExchanges">Exchanges of ordinary users.</param>
/// <param name="HeavyCoderAccounts">Hard negative: heavy individual coders.</param>
/// <param name="HeavyCoderExchanges">Exchanges of heavy coders.</param>
/// <param name="ServiceKeyAccounts">Hard negative: one company's service keys running a batch template.</param>
/// <param name="ServiceKeyExchanges">Exchanges of the service keys.</param>
/// <param name="PopularPromptAccounts">Hard negative: unrelated users who paste a popular prompt.</param>
/// <param name="PopularPromptExchanges">All exchanges of those users (the pasted prompts and their other prompts).</param>
internal readonly record struct SimulationCounts(
    long CampaignAccounts,
    long CampaignExchanges,
    long OrdinaryAccounts,
    long OrdinaryExchanges,
    long HeavyCoderAccounts,
    long HeavyCoderExchanges,
    long ServiceKeyAccounts,
    long ServiceKeyExchanges,
    long PopularPromptAccounts,
    long PopularPromptExchanges)
{
    /// <summary>Accounts that are not part of a campaign.</summary>
    public long LegitimateAccounts => OrdinaryAccounts + HeavyCoderAccounts + ServiceKeyAccounts + PopularPromptAccounts;

    /// <summary>Exchanges not sent by campaign accounts.</summary>
    public long LegitimateExchanges => OrdinaryExchanges + HeavyCoderExchanges + ServiceKeyExchanges + PopularPromptExchanges;

    /// <summary>All accounts.</summary>
    public long TotalAccounts => CampaignAccounts + LegitimateAccounts;

    /// <summary>All exchanges.</summary>
    public long TotalExchanges => CampaignExchanges + LegitimateExchanges;
}
