using System.Collections;

namespace DistillDetect.Cli.Simulation;

/// <summary>
/// Deterministic traffic simulator for the case in DESIGN.md: distillation campaigns hidden among ordinary
/// users and three hard-negative groups. Enumerating yields exchanges in nondecreasing timestamp order (ties
/// by account) as a lazy stream: a heap of per-account generators keyed by their next time, about 140 bytes
/// per account, never the traffic itself. Same seed and options give the same stream on every machine
/// (own PRNG and own log/exp; no culture-dependent text).
/// </summary>
/// <remarks>
/// Construction draws the campaigns and their accounts (O(campaign accounts)) and fixes the exact exchange
/// counts (<see cref="Counts"/>) and the ground truth (<see cref="Truth"/>) without generating traffic. Each
/// enumeration restarts the same stream: O(accounts) set-up, then O(log accounts + prompt length) per
/// exchange. Instances are immutable after construction; separate enumerations may run on separate threads.
/// </remarks>
internal sealed partial class TrafficSimulator : IEnumerable<SimulatedExchange>
{
    /// <summary>The case (scale 1, six weeks): campaign accounts.</summary>
    public const int CaseCampaignAccounts = 25_000;

    /// <summary>The case (scale 1, six weeks): campaign exchanges.</summary>
    public const long CaseCampaignExchanges = 28_800_000;

    /// <summary>Legitimate exchanges per campaign exchange.</summary>
    public const int LegitimateToCampaignRatio = 10;

    /// <summary>The case (scale 1): ordinary users.</summary>
    public const int CaseOrdinaryAccounts = 2_200_000;

    /// <summary>The case (scale 1): heavy coders, each about <see cref="HeavyCoderMeanExchanges"/> exchanges in six weeks.</summary>
    public const int CaseHeavyCoderAccounts = 2_000;

    /// <summary>The case (scale 1): service keys of the batch company, each about <see cref="ServiceKeyMeanExchanges"/> exchanges.</summary>
    public const int CaseServiceKeyAccounts = 6_000;

    /// <summary>The case (scale 1): users who paste a popular prompt, each about <see cref="PopularPromptMeanExchanges"/> exchanges.</summary>
    public const int CasePopularPromptAccounts = 60_000;

    /// <summary>Mean six-week volume of a heavy coder (about 100 prompts a day).</summary>
    public const int HeavyCoderMeanExchanges = 4_000;

    /// <summary>Mean six-week volume of a service key.</summary>
    public const int ServiceKeyMeanExchanges = 2_000;

    /// <summary>Mean six-week volume of a popular-prompt paster (like an ordinary user).</summary>
    public const int PopularPromptMeanExchanges = 120;

    private const string NameAlphabet = "0123456789abcdefghjkmnpqrstvwxyz";
    private const long HourMs = 3_600_000L;

    private readonly ulong _accountSeed;
    private readonly string[] _specialNames;

    /// <summary>Plans the simulation; throws what <see cref="SimulationOptions.Validate"/> throws.</summary>
    public TrafficSimulator(SimulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        WindowMs = (long)options.Duration.TotalMilliseconds;
        DateTime startUtc = options.Start.UtcDateTime;
        DayZeroMs = -(long)startUtc.TimeOfDay.TotalMilliseconds;
        DayZeroDow = (int)startUtc.DayOfWeek;
        _accountSeed = SplitMix64.Derive((ulong)options.Seed, 0xACC);
        var master = new SplitMix64(SplitMix64.Derive((ulong)options.Seed, 1));
        int campaignCount = 2 + master.NextInt(3);
        Counts = ComputeCounts(options, campaignCount);

        CampaignStart = 0;
        HeavyCoderStart = (int)Counts.CampaignAccounts;
        ServiceKeyStart = HeavyCoderStart + (int)Counts.HeavyCoderAccounts;
        PopularPromptStart = ServiceKeyStart + (int)Counts.ServiceKeyAccounts;
        OrdinaryStart = PopularPromptStart + (int)Counts.PopularPromptAccounts;
        AccountCount = OrdinaryStart + (int)Counts.OrdinaryAccounts;

        (Campaigns, CampaignAccounts) = PlanCampaigns(ref master, campaignCount);
        ServiceTzMs = (int)(new[] { -8, -5, -5, 0, 1 }[master.NextInt(5)] * HourMs);

        (CampaignTasks, HeavyCoderTasks) = SplitTasks(options.TaskPrompts);

        _specialNames = new string[OrdinaryStart];
        for (int i = 0; i < OrdinaryStart; i++)
        {
            _specialNames[i] = FormatName(i);
        }
        Truth = BuildTruth();
    }

    /// <summary>The options this simulator was built with.</summary>
    public SimulationOptions Options { get; }

    /// <summary>Which accounts are campaign accounts (and of which campaign) and which belong to hard-negative groups.</summary>
    public SimulationTruth Truth { get; }

    /// <summary>The exact numbers of accounts and exchanges enumeration yields.</summary>
    public SimulationCounts Counts { get; }

    /// <summary>The campaigns' fixed choices.</summary>
    internal CampaignPlan[] Campaigns { get; }

    /// <summary>Every campaign account's plan, by account index.</summary>
    internal CampaignAccountPlan[] CampaignAccounts { get; }

    internal long WindowMs { get; }

    internal long DayZeroMs { get; }

    internal int DayZeroDow { get; }

    internal int ServiceTzMs { get; }

    internal int CampaignStart { get; }

    internal int HeavyCoderStart { get; }

    internal int ServiceKeyStart { get; }

    internal int PopularPromptStart { get; }

    internal int OrdinaryStart { get; }

    internal int AccountCount { get; }

    internal IReadOnlyList<string>? CampaignTasks { get; }

    internal IReadOnlyList<string>? HeavyCoderTasks { get; }

    /// <summary>
    /// The exact counts for <paramref name="options"/>, computed from the options alone (no traffic is generated):
    /// campaign accounts round(25,000 x scale) and exchanges round(28.8 M x scale x duration / 6 weeks), legitimate
    /// exchanges ten times that, split as documented on the <c>Case*</c> constants. O(1).
    /// </summary>
    public static SimulationCounts EstimateCounts(SimulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var master = new SplitMix64(SplitMix64.Derive((ulong)options.Seed, 1));
        return ComputeCounts(options, 2 + master.NextInt(3));
    }

    /// <summary>Starts a fresh, identical enumeration (O(accounts) set-up).</summary>
    public IEnumerator<SimulatedExchange> GetEnumerator() => new TrafficEnumerator(this);

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The account id of account index <paramref name="index"/> (unique within a seed).</summary>
    internal string AccountName(int index) => index < _specialNames.Length ? _specialNames[index] : FormatName(index);

    /// <summary>Population of account index <paramref name="index"/>.</summary>
    internal AccountRole RoleOf(int index) =>
        index < HeavyCoderStart ? AccountRole.Campaign
        : index < ServiceKeyStart ? AccountRole.HeavyCoder
        : index < PopularPromptStart ? AccountRole.ServiceKey
        : index < OrdinaryStart ? AccountRole.PopularPrompt
        : AccountRole.Ordinary;

    /// <summary>The key every per-account random choice derives from; a bijection of the index for a given seed.</summary>
    internal ulong AccountKey(int index) => SplitMix64.Mix((ulong)index + _accountSeed);

    private string FormatName(int index)
    {
        ulong key = SplitMix64.Mix(AccountKey(index) ^ 0x6E616D65UL);
        // Mix is a bijection, so distinct indices give distinct names: 13 base-32 digits hold all 64 bits.
        return string.Create(18, key, static (span, k) =>
        {
            "acct-".AsSpan().CopyTo(span);
            for (int i = 17; i >= 5; i--)
            {
                span[i] = NameAlphabet[(int)(k & 31)];
                k >>= 5;
            }
        });
    }

    private static SimulationCounts ComputeCounts(SimulationOptions options, int campaignCount)
    {
        double s = options.Scale;
        double durationFactor = options.Duration.TotalMilliseconds / SimulationOptions.DefaultDuration.TotalMilliseconds;
        long campaignAccounts = Math.Max(campaignCount, (long)Math.Round(CaseCampaignAccounts * s));
        long campaignExchanges = Math.Max(campaignAccounts, (long)Math.Round(CaseCampaignExchanges * s * durationFactor));
        long heavy = Math.Max(1, (long)Math.Round(CaseHeavyCoderAccounts * s));
        long heavyExchanges = Math.Max(heavy, (long)Math.Round(HeavyCoderMeanExchanges * heavy * durationFactor));
        long service = Math.Max(1, (long)Math.Round(CaseServiceKeyAccounts * s));
        long serviceExchanges = Math.Max(service, (long)Math.Round(ServiceKeyMeanExchanges * service * durationFactor));
        long paste = Math.Max(1, (long)Math.Round(CasePopularPromptAccounts * s));
        long pasteExchanges = Math.Max(paste, (long)Math.Round(PopularPromptMeanExchanges * paste * durationFactor));
        long ordinary = Math.Max(1, (long)Math.Round(CaseOrdinaryAccounts * s));
        long ordinaryExchanges = Math.Max(ordinary, (LegitimateToCampaignRatio * campaignExchanges) - heavyExchanges - serviceExchanges - pasteExchanges);
        return new SimulationCounts(campaignAccounts, campaignExchanges, ordinary, ordinaryExchanges, heavy, heavyExchanges,
            service, serviceExchanges, paste, pasteExchanges);
    }

    private static (IReadOnlyList<string>? Campaign, IReadOnlyList<string>? Heavy) SplitTasks(IReadOnlyList<string>? tasks)
    {
        if (tasks is null || tasks.Count < 4)
        {
            return (tasks, tasks);
        }
        // Heavy coders get every fourth task, campaigns the rest, so a hard negative never sends a campaign's exact task.
        var campaign = new List<string>(tasks.Count);
        var heavy = new List<string>((tasks.Count / 4) + 1);
        for (int i = 0; i < tasks.Count; i++)
        {
            (i % 4 == 3 ? heavy : campaign).Add(tasks[i]);
        }
        return (campaign, heavy);
    }

    private SimulationTruth BuildTruth()
    {
        var campaigns = new List<KeyValuePair<string, IReadOnlyList<string>>>();
        for (int c = 0; c < Campaigns.Length; c++)
        {
            var members = new List<string>();
            for (int i = 0; i < CampaignAccounts.Length; i++)
            {
                if (CampaignAccounts[i].Campaign == c)
                {
                    members.Add(AccountName(CampaignStart + i));
                }
            }
            campaigns.Add(new(Campaigns[c].Id, members));
        }
        List<string> Range(int from, int to)
        {
            var list = new List<string>(to - from);
            for (int i = from; i < to; i++)
            {
                list.Add(AccountName(i));
            }
            return list;
        }
        var groups = new List<KeyValuePair<string, IReadOnlyList<string>>>
        {
            new(HardNegativeKind.HeavyCoders, Range(HeavyCoderStart, ServiceKeyStart)),
            new(HardNegativeKind.ServiceKeys, Range(ServiceKeyStart, PopularPromptStart)),
            new(HardNegativeKind.PopularPrompt, Range(PopularPromptStart, OrdinaryStart)),
        };
        return new SimulationTruth(campaigns, groups);
    }
}
