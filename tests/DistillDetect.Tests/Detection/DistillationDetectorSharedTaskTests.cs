using DistillDetect.Detection;

namespace DistillDetect.Tests.Detection;

/// <summary>
/// A campaign whose every prompt has a wrapper of its own around a task from the campaign's list: its prompts group
/// by task, so each account spreads over dozens of templates and no template is shared by a quarter of the
/// accounts, the situation the shared-task rule is for. Heavy coders work through the same task list with human
/// timing over the whole span; they must stay unflagged.
/// </summary>
public sealed class DistillationDetectorSharedTaskTests
{
    private const int CampaignAccounts = 40;
    private const int Waves = 4;
    private const int Exchanges = 80;
    private const int Tasks = 300;
    private const int HeavyCoders = 8;
    private const int Days = 14;
    private const int OrdinaryUsers = 6000;

    /// <summary>Days over which the campaign's waves start (its accounts live about two days).</summary>
    private const int CampaignDays = 9;

    /// <summary>Exchanges of a campaign account that runs in an 8-hour daily shift: 96 to 192 a shift, so it lives more than a day.</summary>
    private const int ShiftExchanges = 240;

    /// <summary>Exchanges of a campaign account of the young campaign: 60-120 s apart, so about four hours of life.</summary>
    private const int YoungExchanges = 150;

    /// <summary>When every account of the young campaign starts (within the hour after).</summary>
    private static readonly DateTimeOffset YoungStart = SyntheticTraffic.Start + TimeSpan.FromDays(2) + TimeSpan.FromHours(9);

    private static readonly Lazy<List<SyntheticExchange>> Traffic = new(() => Build(CampaignTiming.Interval));
    private static readonly Lazy<DetectionReport> Report = new(() => DetectionWorld.Replay(Traffic.Value).Analyze());
    private static readonly Lazy<List<SyntheticExchange>> ShiftTraffic = new(() => Build(CampaignTiming.Shifts));
    private static readonly Lazy<List<SyntheticExchange>> YoungTraffic = new(() => Build(CampaignTiming.Young));
    private static readonly Lazy<List<SyntheticExchange>> PeopleTraffic = new(() => Build(CampaignTiming.SomeLikePeople));
    private static readonly Lazy<List<SyntheticExchange>> SlowYoungTraffic = new(() => Build(CampaignTiming.SlowYoung));

    private enum CampaignTiming
    {
        /// <summary>Waves of accounts living about two days, a 25-50 minute interval +-50 % round the clock.</summary>
        Interval,

        /// <summary>The same waves, a 2.5-5 minute interval +-50 % from 08:00 to 16:00 only.</summary>
        Shifts,

        /// <summary>Every account starts within one hour, a 1-2 minute interval +-50 %.</summary>
        Young,

        /// <summary>The <see cref="Interval"/> waves, but every fifth account (<see cref="IsImitator"/>) times like a person.</summary>
        SomeLikePeople,

        /// <summary>Every account starts within one hour (as <see cref="Young"/>), a 4-8 minute interval +-50 %: six hours in, 37 to 90 gaps each.</summary>
        SlowYoung,
    }

    /// <summary>The accounts of <see cref="CampaignTiming.SomeLikePeople"/> that time like people: two in each wave.</summary>
    private static bool IsImitator(int account) => account % 5 == 0;

    [Fact]
    public void Analyze_CampaignWithOneWrapperPerPrompt_FlagsItsAccountsForSharedTasks()
    {
        HashSet<string> campaign = Accounts(Population.Campaign);
        List<AccountFinding> found = Report.Value.Accounts.Where(a => campaign.Contains(a.Account)).ToList();
        TestContext.Current.TestOutputHelper?.WriteLine($"campaign accounts flagged {found.Count}/{campaign.Count}, reasons {string.Join(", ", found.GroupBy(a => a.Signals.Reason).Select(g => g.Key + " " + g.Count()))}");
        // Each account sends 80 prompts drawn from 300 tasks, so two accounts share about 21 tasks (80 * 80 / 300), each
        // task is used by about 9 of the 40 accounts (narrow), and every account reaches 6 shared tasks with many others.
        Assert.Equal(campaign.Count, found.Count);
        Assert.Contains(found, a => a.Signals.Reason == FlagReason.SharedTasks);
        // The cohort finder's template-set similarity (about 0.15 here) is below its pairing threshold: nothing else finds them.
        Assert.DoesNotContain(found, a => a.Signals.Reason == FlagReason.Cohort);
        Assert.All(found, a => Assert.InRange(a.Signals.CampaignTemplateShare, 0.5, 1.0));
        Assert.All(found, a => Assert.InRange(a.Score, 0.0, 1.0));
        CampaignFinding finding = Assert.Single(Report.Value.Campaigns);
        Assert.NotEmpty(finding.Templates);
        Assert.All(finding.Templates, t => Assert.InRange(t.Accounts, 1, CampaignAccounts));
    }

    [Fact]
    public void Analyze_HeavyCodersSharingTheTaskList_AreNotFlagged()
    {
        HashSet<string> coders = Accounts(Population.HeavyCoder);
        Assert.Equal(HeavyCoders, coders.Count);
        foreach (AccountFinding a in Report.Value.Accounts.Where(a => coders.Contains(a.Account))) TestContext.Current.TestOutputHelper?.WriteLine($"{a.Account} {a.Signals} {a.FirstFlagged}");
        foreach (CampaignFinding c in Report.Value.Campaigns) TestContext.Current.TestOutputHelper?.WriteLine($"campaign {c.Id} {c.Accounts.Count} templates {c.Templates.Count}: {string.Join(" | ", c.Templates.Take(5).Select(t => t.Accounts + " " + t.Example[..Math.Min(60, t.Example.Length)]))}");
        Assert.DoesNotContain(Report.Value.Accounts, a => coders.Contains(a.Account));
        Assert.DoesNotContain(Report.Value.Accounts, a => Accounts(Population.Ordinary).Contains(a.Account));
    }

    [Fact]
    public void Analyze_CampaignRunInShifts_IsMachineTimedByItsRegularGaps()
    {
        // The same campaign, but each account sends its jittered interval only from 08:00 to 16:00: the nightly pause
        // makes its gaps bursty (B about 0.75, over MachineBurstiness), so before the regular-gap test no account took
        // part in the rule (none is abandoned long enough either) and nothing was flagged.
        DetectionReport report = DetectionWorld.Replay(ShiftTraffic.Value).Analyze();
        HashSet<string> campaign = ShiftTraffic.Value.Where(e => e.Population == Population.Campaign).Select(e => e.Account).ToHashSet(StringComparer.Ordinal);
        List<AccountFinding> found = report.Accounts.Where(a => campaign.Contains(a.Account)).ToList();
        TestContext.Current.TestOutputHelper?.WriteLine($"flagged {found.Count}/{campaign.Count}; burstiness {found.Min(a => a.Signals.Burstiness):F2}-{found.Max(a => a.Signals.Burstiness):F2}, regular gap share {found.Min(a => a.Signals.RegularGapShare):F3}-{found.Max(a => a.Signals.RegularGapShare):F3}");
        Assert.Equal(campaign.Count, found.Count);
        Assert.All(found, a => Assert.Equal(FlagReason.SharedTasks, a.Signals.Reason));
        Assert.All(found, a => Assert.True(a.Signals.Burstiness > DetectionOptions.Default.MachineBurstiness, $"{a.Account}: burstiness {a.Signals.Burstiness}"));
        // 239 gaps with one to three nightly pauses among them (96 to 192 exchanges a shift): the rest within three octaves.
        Assert.All(found, a => Assert.InRange(a.Signals.RegularGapShare, (ShiftExchanges - 4.0) / (ShiftExchanges - 1), 1.0));
        // The heavy coders (sessions of 20-320 s gaps: about 0.6 of them in three octaves) stay unflagged.
        Assert.DoesNotContain(report.Accounts, a => !campaign.Contains(a.Account));
    }

    [Fact]
    public void Analyze_SixHoursIntoACampaignWithRegularGaps_FlagsItsAccountsBeforeTheyLiveADay()
    {
        // Regular gaps need no day of life (people's think times stay under the bar however short the stretch); low
        // burstiness alone does, so before the regular-gap test none of these accounts, four hours old, took part.
        List<AccountFinding> found = FlaggedSixHoursIn(YoungTraffic.Value);
        TestContext.Current.TestOutputHelper?.WriteLine($"lifetime {found.Min(a => a.Signals.LifetimeHours):F1}-{found.Max(a => a.Signals.LifetimeHours):F1} h, regular gap share {found.Min(a => a.Signals.RegularGapShare):F3}");
        Assert.All(found, a => Assert.InRange(a.Signals.LifetimeHours, 0, 6));
        Assert.All(found, a => Assert.Equal(1.0, a.Signals.RegularGapShare));
    }

    [Fact]
    public void Analyze_SixHoursIntoACampaignWithAFixedInterval_FlagsItsAccountsBeforeTheyHave100Gaps()
    {
        // A coefficient of variation of at most 0.4 over 30 gaps or more counts as machine timing at any age: these
        // accounts have fewer gaps than the regular-gap test reads and less than a day of life, so before that test none
        // of them took part.
        List<AccountFinding> found = FlaggedSixHoursIn(SlowYoungTraffic.Value);
        TestContext.Current.TestOutputHelper?.WriteLine($"exchanges {found.Min(a => a.Signals.Exchanges)}-{found.Max(a => a.Signals.Exchanges)}, burstiness up to {found.Max(a => a.Signals.Burstiness):F3}");
        Assert.All(found, a => Assert.InRange(a.Signals.Exchanges, DistillationDetector.FixedIntervalMinGaps + 1, DistillationDetector.MachineRegularMinGaps));
        Assert.All(found, a => Assert.InRange(a.Signals.Burstiness, -1, DistillationDetector.FixedIntervalBurstiness));
    }

    /// <summary>
    /// Replays a young campaign's traffic up to six hours after <see cref="YoungStart"/> and checks that every campaign
    /// account, and nobody else, is flagged by the shared-task rule; returns the campaign's findings.
    /// </summary>
    private static List<AccountFinding> FlaggedSixHoursIn(List<SyntheticExchange> traffic)
    {
        DateTimeOffset cut = YoungStart + TimeSpan.FromHours(6);
        DetectionReport report = DetectionWorld.Replay(traffic.Where(e => e.Timestamp < cut).ToList()).Analyze();
        HashSet<string> campaign = traffic.Where(e => e.Population == Population.Campaign).Select(e => e.Account).ToHashSet(StringComparer.Ordinal);
        List<AccountFinding> found = report.Accounts.Where(a => campaign.Contains(a.Account)).ToList();
        TestContext.Current.TestOutputHelper?.WriteLine($"flagged {found.Count}/{campaign.Count}");
        Assert.Equal(campaign.Count, found.Count);
        Assert.All(found, a => Assert.Equal(FlagReason.SharedTasks, a.Signals.Reason));
        Assert.DoesNotContain(report.Accounts, a => !campaign.Contains(a.Account));
        return found;
    }

    [Fact]
    public void Analyze_CampaignAccountsTimedLikePeople_AreFlaggedWhileActiveOnceTheCampaignHasFinishedAccounts()
    {
        // Two accounts of each wave send the campaign's tasks with a person's sessions: neither machine-timed nor
        // abandoned while they send, so before person-timed candidates could join a component they were flagged only
        // once abandoned (four days after their last request), if at all. Those of the last two waves start after the
        // first wave's accounts are finished (abandoned), so they are flagged while still sending; the heavy coders,
        // who send the same tasks but have been sending since the first day (longer than any finished account lived),
        // are not.
        DetectionReport report = DetectionWorld.Replay(PeopleTraffic.Value).Analyze();
        var campaign = PeopleTraffic.Value.Where(e => e.Population == Population.Campaign).Select(e => e.Account).ToHashSet(StringComparer.Ordinal);
        var lateImitators = Enumerable.Range(0, CampaignAccounts).Where(a => IsImitator(a) && a % Waves >= 2).Select(a => $"camp-{a:D3}").ToList();
        Assert.Equal(4, lateImitators.Count);
        List<AccountFinding> found = report.Accounts.Where(a => lateImitators.Contains(a.Account)).ToList();
        foreach (AccountFinding a in found) TestContext.Current.TestOutputHelper?.WriteLine($"{a.Account}: flagged after {a.ExchangesBeforeFlagged} of {a.Signals.Exchanges}; {a.Signals}");
        Assert.Equal(lateImitators.Count, found.Count);
        Assert.All(found, a => Assert.Equal(FlagReason.SharedTasks, a.Signals.Reason));
        Assert.All(found, a => Assert.True(a.Signals.Burstiness > DetectionOptions.Default.MachineBurstiness && a.Signals.RegularGapShare < 0.95, $"{a.Account} times like a machine: {a.Signals}"));
        Assert.All(found, a => Assert.True(a.ExchangesBeforeFlagged < a.Signals.Exchanges, $"{a.Account} was flagged only after its last request"));
        Assert.All(found, a => Assert.InRange(a.Signals.CampaignTemplateShare, 0.5, 1.0));
        Assert.Equal(campaign.Count, report.Accounts.Count(a => campaign.Contains(a.Account)));
        Assert.DoesNotContain(report.Accounts, a => !campaign.Contains(a.Account));
    }

    [Fact]
    public void Analyze_WithMoreSharedTemplatesRequiredThanAnyPairHas_FlagsNothing()
    {
        // The rule, not something else, is what finds them: ask for more shared narrow templates than any pair has.
        DetectionReport report = DetectionWorld.Replay(Traffic.Value, DetectionOptions.Default with { MinSharedNarrowTemplates = Exchanges + 1 }).Analyze();
        Assert.Empty(report.Accounts);
    }

    [Fact]
    public void SaveLoad_KeepsTheTemplateUsers_SoTheLoadedDetectorFindsTheSameAccounts()
    {
        DistillationDetector detector = new();
        List<SyntheticExchange> traffic = Traffic.Value;
        foreach (SyntheticExchange e in traffic) detector.Observe(e.Account, e.Timestamp, e.Prompt);
        DistillationDetector loaded = DistillationDetector.FromBytes(detector.ToBytes());
        Assert.Equal(Flagged(detector.Analyze()), Flagged(loaded.Analyze()));
        Assert.NotEmpty(Flagged(loaded.Analyze()));
    }

    [Fact]
    public void Merge_OfTwoGatewaysEachSeeingHalfOfEveryAccount_FindsTheCampaign()
    {
        // Each gateway sees every other exchange of every account. An account uses about 70 distinct tasks of the 300
        // (300 (1 - e^(-80/300))), so two share about 16; each gateway alone sees about 37 per account and 5 shared per pair.
        // Asking for 12 shared templates, merged lists join the campaign and neither gateway's half does.
        List<SyntheticExchange> traffic = Traffic.Value;
        var options = DetectionOptions.Default with { MinSharedNarrowTemplates = 12 };
        var first = new DistillationDetector(options);
        var second = new DistillationDetector(options);
        for (int i = 0; i < traffic.Count; i++) (i % 2 == 0 ? first : second).Observe(traffic[i].Account, traffic[i].Timestamp, traffic[i].Prompt);
        HashSet<string> campaign = Accounts(Population.Campaign);
        int alone = Math.Max(Flagged(FromBytesCopy(first).Analyze()).Count, Flagged(FromBytesCopy(second).Analyze()).Count);
        first.Merge(second);
        SortedSet<string> merged = Flagged(first.Analyze());
        TestContext.Current.TestOutputHelper?.WriteLine($"one gateway alone flags {alone}; merged {merged.Count} of {campaign.Count}");
        Assert.True(merged.SetEquals(campaign), $"merged flags {merged.Count}, campaign {campaign.Count}");
        Assert.True(alone < campaign.Count, $"one gateway alone already flags {alone}");
    }

    private static DistillationDetector FromBytesCopy(DistillationDetector d) => DistillationDetector.FromBytes(d.ToBytes(), d.Options);

    private static SortedSet<string> Flagged(DetectionReport report) => new(report.Accounts.Select(a => a.Account), StringComparer.Ordinal);

    private static HashSet<string> Accounts(Population population) =>
        Traffic.Value.Where(e => e.Population == population).Select(e => e.Account).ToHashSet(StringComparer.Ordinal);

    private static List<SyntheticExchange> Build(CampaignTiming timing)
    {
        bool shifts = timing == CampaignTiming.Shifts;
        var text = new SyntheticTraffic(5);
        var random = new Random(6);
        string[] tasks = Enumerable.Range(0, Tasks).Select(_ => text.Text(random, 3 + random.Next(3))).ToArray();
        var traffic = new List<SyntheticExchange>();

        // Campaign: four waves of ten accounts, each living about two days (the shared-task rule trusts machine timing
        // over a day or more); a fixed 25-50 minute interval with +-50 % jitter.
        for (int a = 0; a < CampaignAccounts; a++)
        {
            int wave = a % Waves;
            DateTimeOffset t = SyntheticTraffic.Start + TimeSpan.FromDays(wave * (double)CampaignDays / (Waves - 1) + random.NextDouble() * 0.2);
            double interval = timing switch
            {
                CampaignTiming.Shifts => 150 + random.Next(150),
                CampaignTiming.Young => 60 + random.Next(60),
                CampaignTiming.SlowYoung => 240 + random.Next(240),
                _ => 1500 + random.Next(1500),
            };
            if (shifts) t = t.Date + TimeSpan.FromHours(8) + TimeSpan.FromMinutes(random.Next(60));
            if (timing is CampaignTiming.Young or CampaignTiming.SlowYoung) t = YoungStart + TimeSpan.FromMinutes(random.Next(60));
            int exchanges = timing switch { CampaignTiming.Shifts => ShiftExchanges, CampaignTiming.Young or CampaignTiming.SlowYoung => YoungExchanges, _ => Exchanges };
            if (timing == CampaignTiming.SomeLikePeople && IsImitator(a))
            {
                // Sessions of 5-20 prompts 10-320 s apart, 1-3 hours between sessions, from 08:00 to 20:00: the
                // heavy coders' timing (B about 0.5, well under the regular-gap bar), 80 prompts over about two days.
                t = t.Date + TimeSpan.FromHours(8 + random.NextDouble() * 2);
                for (int i = 0; i < exchanges;)
                {
                    for (int session = 5 + random.Next(16); session > 0 && i < exchanges; session--, i++)
                    {
                        traffic.Add(new($"camp-{a:D3}", t, text.Text(random, 1) + "\n\n" + tasks[random.Next(tasks.Length)], Population.Campaign));
                        t += TimeSpan.FromSeconds(10 + random.Next(310));
                    }
                    t += TimeSpan.FromHours(1 + random.NextDouble() * 2);
                    if (t.TimeOfDay >= TimeSpan.FromHours(20)) t = t.Date + TimeSpan.FromHours(32 + random.NextDouble() * 2);
                }
                continue;
            }
            for (int i = 0; i < exchanges; i++)
            {
                string prompt = text.Text(random, 1) + "\n\n" + tasks[random.Next(tasks.Length)];
                traffic.Add(new($"camp-{a:D3}", t, prompt, Population.Campaign));
                t += TimeSpan.FromSeconds(interval * (0.5 + random.NextDouble()));
                // In shifts: past 16:00 the account pauses until 08:00 the next day.
                if (shifts && t.TimeOfDay >= TimeSpan.FromHours(16)) t = t.Date + TimeSpan.FromHours(32) + TimeSpan.FromMinutes(random.Next(10));
            }
        }

        // Heavy coders: sessions of 5-20 prompts a minute or so apart in daytime, every day of the span, from the same list.
        for (int a = 0; a < HeavyCoders; a++)
        {
            for (int day = 0; day < Days; day++)
            {
                DateTimeOffset t = SyntheticTraffic.Start + TimeSpan.FromDays(day) + TimeSpan.FromHours(8 + random.NextDouble() * 10);
                int prompts = 5 + random.Next(16);
                for (int p = 0; p < prompts; p++)
                {
                    traffic.Add(new($"coder-{a:D3}", t, text.Text(random, 1) + "\n\n" + tasks[random.Next(tasks.Length)], Population.HeavyCoder));
                    t += TimeSpan.FromSeconds(20 + random.Next(300));
                }
            }
        }

        // Ordinary users: a handful of varied prompts at random times. Six thousand of them, so that a task used by a
        // dozen accounts is narrow by the rule's relative bound too (0.5 % of the tracked accounts).
        for (int a = 0; a < OrdinaryUsers; a++)
        {
            int count = 1 + random.Next(10);
            for (int i = 0; i < count; i++)
            {
                traffic.Add(new($"user-{a:D4}", SyntheticTraffic.Start + TimeSpan.FromDays(random.NextDouble() * Days), text.Text(random, 1 + random.Next(4)), Population.Ordinary));
            }
        }
        traffic.Sort(static (x, y) => x.Timestamp.CompareTo(y.Timestamp));
        return traffic;
    }
}
