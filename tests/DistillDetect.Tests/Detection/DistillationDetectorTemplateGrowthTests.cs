using DistillDetect.Detection;

namespace DistillDetect.Tests.Detection;

/// <summary>
/// A campaign spread over many wrapper variants, the situation of reworded wrappers at larger scales: besides two main
/// wrappers every account uses, each account sends two of sixteen variant wrappers, so each variant is used by an
/// eighth of the campaign, under the quarter of a cohort that makes a template shared. "Core" accounts send mostly
/// the main wrappers and are flagged with their cohort; "spread" accounts send mostly variants, so their share on the
/// shared templates is 0.3, under the 0.6 an account needs. The campaign's templates must grow by the variants its
/// flagged accounts hold (each variant is among the most-used templates of six core accounts), and the spread
/// accounts must then be flagged for their share on the grown set.
/// </summary>
public sealed class DistillationDetectorTemplateGrowthTests
{
    private const int Variants = 16;
    private const int CoreAccounts = 48;
    private const int SpreadAccounts = 16;
    private const int Exchanges = 60;
    private const int OrdinaryUsers = 400;
    private const int Days = 14;
    private const int Waves = 4;

    private static readonly Lazy<World> Shared = new(() => new World());

    [Fact]
    public void Analyze_SpreadAccounts_AreFlaggedOnTheVariantsTheFlaggedAccountsHold()
    {
        World world = Shared.Value;
        DetectionReport report = world.Report;
        foreach (CampaignFinding c in report.Campaigns)
            TestContext.Current.TestOutputHelper?.WriteLine($"campaign {c.Id}: {c.Accounts.Count} accounts, {c.Templates.Count} templates: {string.Join(", ", c.Templates.Select(t => t.Accounts))}");
        foreach (AccountFinding a in report.Accounts.Where(IsSpread).Take(5))
            TestContext.Current.TestOutputHelper?.WriteLine($"{a.Account} {a.Signals}");

        CampaignFinding campaign = Assert.Single(report.Campaigns);
        Assert.Equal(world.Campaign, new HashSet<string>(campaign.Accounts, StringComparer.Ordinal));
        Assert.Equal(world.Campaign.Count, report.Accounts.Count);
        Assert.All(report.Accounts.Where(IsSpread), a => Assert.InRange(a.Signals.CampaignTemplateShare, 0.6, 1.0));

        // The grown set is in the evidence: variant templates, each held by fewer than a quarter of the campaign's accounts.
        int quarter = (int)Math.Ceiling(0.25 * world.Campaign.Count);
        int variantsReported = campaign.Templates.Count(t => t.Accounts < quarter);
        Assert.True(variantsReported >= Variants / 2, $"{variantsReported} templates used by fewer than {quarter} accounts");
    }

    [Fact]
    public void Analyze_WithoutTheGrowth_MissesTheSpreadAccounts()
    {
        // The growth, not something else, is what finds them: the same traffic with step 4c switched off. This also
        // checks that a cohort member is flagged on its own share: the cohort rule once took the median of the members'
        // shares by sorting them in place and then read "member m's share" from the sorted array, which flagged 15 of
        // these 16 spread accounts (share 0.3) in place of core accounts.
        World world = Shared.Value;
        DetectionReport without = world.Analyze(grow: false);
        int spreadWithout = without.Accounts.Count(IsSpread);
        TestContext.Current.TestOutputHelper?.WriteLine($"spread accounts flagged: {world.Report.Accounts.Count(IsSpread)} with the growth, {spreadWithout} without; core accounts flagged without it: {without.Accounts.Count(a => !IsSpread(a))}");
        Assert.Equal(SpreadAccounts, world.Report.Accounts.Count(IsSpread));
        Assert.Equal(0, spreadWithout);
        // The campaign itself is still found. A core account sends 70 % of its 60 exchanges on the main wrappers (sd 0.06),
        // so about 4.5 % of them (two of 48) fall under 0.6 by chance and are found only through the grown set.
        Assert.Single(without.Campaigns);
        Assert.InRange(without.Accounts.Count(a => a.Account.StartsWith("core", StringComparison.Ordinal)), CoreAccounts - 6, CoreAccounts);
    }

    private static bool IsSpread(AccountFinding a) => a.Account.StartsWith("spread", StringComparison.Ordinal);

    [Fact]
    public void Analyze_OrdinaryUsers_AreNotFlagged()
    {
        World world = Shared.Value;
        Assert.DoesNotContain(world.Report.Accounts, a => a.Account.StartsWith("user", StringComparison.Ordinal));
    }

    private sealed class World
    {
        public World()
        {
            var text = new SyntheticTraffic(21);
            var random = new Random(22);
            string Wrapper() => text.Text(random, 2) + "\n{0}\n" + text.Text(random, 1);
            string main0 = Wrapper(), main1 = Wrapper();
            string[] variants = Enumerable.Range(0, Variants).Select(_ => Wrapper()).ToArray();
            var traffic = new List<SyntheticExchange>();

            // Campaign accounts in four waves over the first ten days, each living about two days; a 20-40 minute
            // interval with +-50 % jitter (machine timing). Account a = 4k + w (wave w) sends variants (k + 4w) % 16 and
            // (k + 4w + 8) % 16: every variant is then used by two accounts of each wave (an eighth of it) and by eight
            // of the campaign, six core (k < 12) and two spread (k >= 12).
            for (int a = 0; a < CoreAccounts + SpreadAccounts; a++)
            {
                bool core = a < CoreAccounts;
                string name = core ? $"core-{a:D3}" : $"spread-{a:D3}";
                Campaign.Add(name);
                int wave = a % Waves, k = a / Waves;
                string first = variants[(k + (4 * wave)) % Variants], second = variants[(k + (4 * wave) + (Variants / 2)) % Variants];
                DateTimeOffset t = SyntheticTraffic.Start + TimeSpan.FromDays(wave * 10.0 / (Waves - 1) + random.NextDouble() * 0.2);
                double interval = 1200 + random.Next(1200);
                for (int i = 0; i < Exchanges; i++)
                {
                    // Core: 45 % / 25 % main wrappers, 15 % each variant. Spread: 15 % / 15 %, 30 % each variant, 10 % own prompts.
                    double u = random.NextDouble();
                    string task = text.Text(random, 2 + random.Next(3));
                    string prompt = core
                        ? string.Format(u < 0.45 ? main0 : u < 0.70 ? main1 : u < 0.85 ? first : second, task)
                        : u < 0.15 ? string.Format(main0, task) : u < 0.30 ? string.Format(main1, task)
                        : u < 0.60 ? string.Format(first, task) : u < 0.90 ? string.Format(second, task) : task;
                    traffic.Add(new(name, t, prompt, Population.Campaign));
                    t += TimeSpan.FromSeconds(interval * (0.5 + random.NextDouble()));
                }
            }

            // Ordinary users: a handful of varied prompts at random times over the two weeks.
            for (int a = 0; a < OrdinaryUsers; a++)
            {
                int count = 1 + random.Next(12);
                for (int i = 0; i < count; i++)
                    traffic.Add(new($"user-{a:D4}", SyntheticTraffic.Start + TimeSpan.FromDays(random.NextDouble() * Days), text.Text(random, 1 + random.Next(4)), Population.Ordinary));
            }
            traffic.Sort(static (x, y) => x.Timestamp.CompareTo(y.Timestamp));
            _traffic = traffic;
            Report = Analyze(grow: true);
        }

        private readonly List<SyntheticExchange> _traffic;

        /// <summary>
        /// The traffic observed by a new detector, then one analysis. One, so that each rule sees whole accounts: analyses
        /// in between flag some spread accounts early, while a handful of their exchanges happens to fall on the main
        /// wrappers (flags are kept), which would hide what the growth does.
        /// </summary>
        public DetectionReport Analyze(bool grow)
        {
            var detector = new DistillationDetector { GrowCampaignTemplates = grow };
            foreach (SyntheticExchange e in _traffic) detector.Observe(e.Account, e.Timestamp, e.Prompt);
            return detector.Analyze();
        }

        public HashSet<string> Campaign { get; } = new(StringComparer.Ordinal);

        public DetectionReport Report { get; }
    }
}
