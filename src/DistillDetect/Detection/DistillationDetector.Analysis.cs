using DistillDetect.Accounts;
using DistillDetect.Fingerprints;

namespace DistillDetect.Detection;

public sealed partial class DistillationDetector
{
    private const int MaxReportedTemplates = 20;

    private readonly Dictionary<int, CampaignRecord> _campaigns = [];
    private int _nextCampaignId = 1;

    // Analysis state kept between analyses (touched only under the analysis lock): the accounts of the current
    // analysis, the serial numbers handed to AnalyzedAccount, the previous analysis's pair scores and its LSH bands.
    private readonly List<AnalyzedAccount> _analyzed = [];
    private readonly PairScoreCache _pairScores = new();
    private readonly CandidateBuckets _buckets = new();
    private int _nextSerial;

    // Per template, how many of the analyzed accounts hold it among their most used templates (Top), kept between
    // analyses: each analysis subtracts the old Top and adds the new one of the accounts that changed, and subtracts
    // the accounts that left (recounting every account's Top was an eighth of the development run's analysis time).
    private readonly Dictionary<long, int> _accountsUsing = [];
    private readonly List<AnalyzedAccount> _counted = [];
    private int _countStamp;

    /// <summary>
    /// Test hook: when false, every analysis recopies and rederives every account and rescores every pair, as a
    /// detector analyzing for the first time does (the report must be the same either way).
    /// </summary>
    internal bool IncrementalAnalysis { get; set; } = true;

    /// <summary>Test hook: shuffle the analyzed accounts before they are put in order (the report must not change).</summary>
    internal bool ShuffleAnalysisOrder { get; set; }

    /// <summary>Test hook: when false, known campaigns' templates do not grow (step 4c is skipped), so tests can show what the growth adds.</summary>
    internal bool GrowCampaignTemplates { get; set; } = true;

    /// <summary>Test hook: per template, how many of the last analysis's accounts hold it among their most used templates.</summary>
    internal IReadOnlyDictionary<long, int> TemplateHolderCounts => _accountsUsing;

    /// <summary>Test hook: pair scores reused and computed by the last analysis.</summary>
    internal (int Reused, int Computed) LastPairScoring => (_pairScores.Reused, _pairScores.Computed);

    /// <summary>Forgets every account's analysis copy and the pair scores, so serial numbers can start again.</summary>
    private void ResetAnalysisCache()
    {
        foreach (KeyValuePair<string, AccountState> pair in _accounts) pair.Value.Analysis = null;
        _pairScores.Clear();
        _buckets.Clear();
        _nextSerial = 0;
        ForgetTemplateCounts();
    }

    private void ForgetTemplateCounts()
    {
        foreach (AnalyzedAccount a in _counted) a.CountedTop = null;
        _counted.Clear();
        _accountsUsing.Clear();
    }

    /// <summary>
    /// Brings <see cref="_accountsUsing"/> to the Top of exactly <paramref name="snaps"/>: O(changed accounts' Top +
    /// accounts) instead of O(all accounts' Top).
    /// </summary>
    private Dictionary<long, int> CountTemplateHolders(List<AnalyzedAccount> snaps)
    {
        Dictionary<long, int> use = _accountsUsing;
        int stamp = ++_countStamp;
        foreach (AnalyzedAccount snap in snaps)
        {
            snap.CountedStamp = stamp;
            if (ReferenceEquals(snap.CountedTop, snap.Top)) continue;
            if (snap.CountedTop is null) _counted.Add(snap);
            else Count(use, snap.CountedTop, -1);
            Count(use, snap.Top, +1);
            snap.CountedTop = snap.Top;
        }
        _counted.RemoveAll(a =>
        {
            if (a.CountedStamp == stamp) return false;
            Count(use, a.CountedTop!, -1);
            a.CountedTop = null;
            return true;
        });
        return use;

        static void Count(Dictionary<long, int> use, TemplateUsage[] top, int delta)
        {
            foreach (TemplateUsage t in top)
            {
                ref int count = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(use, t.TemplateId, out _);
                count += delta;
                if (count == 0) use.Remove(t.TemplateId);
            }
        }
    }

    /// <summary>
    /// Runs the cohort analysis over every tracked account, flags campaign accounts, updates the
    /// campaign-template map the request path reads, and reports what it found.
    /// </summary>
    /// <returns>The report (campaigns highest score first, flagged accounts highest score first).</returns>
    /// <remarks>
    /// <para><b>The rule.</b> (1) Cohorts come from <see cref="CohortFinder"/> over the accounts with at least
    /// <see cref="CandidatePairOptions.MinimumVolume"/> exchanges (LSH candidate pairs, never all pairs; the cohort
    /// must be flagged there, which already discounts service fleets: one shared template, keys that never rotate,
    /// machine-scale volume per key). (2) Its campaign templates are the shared templates (used by at least
    /// <see cref="CohortFinderOptions.SharedTemplateShare"/> of the members) that are pure: at least
    /// <see cref="DetectionOptions.MinTemplatePurity"/> of all accounts using them are members of this or another flagged
    /// cohort, or flagged already (a popular pasted prompt is used by thousands outside any cohort; two campaigns drawing
    /// on one task set share its task templates). (3) Concentration: the members' median share of exchanges
    /// on those templates reaches <see cref="DetectionOptions.MinCohortConcentration"/>; a member's share is the larger
    /// of what its most-used counters show and what its usage-weighted MinHash shows (<see cref="TemplateSetShare"/>). (4) Timing: at least
    /// <see cref="DetectionOptions.MachineTimingShare"/> of the members have machine-like timing (burstiness at most
    /// <see cref="DetectionOptions.MachineBurstiness"/>, or regular gaps: <see cref="IsMachineTimed"/>) and it has at least two campaign templates, or at least
    /// <see cref="DetectionOptions.RotatingAccountShare"/> of the members were abandoned (silent for
    /// <see cref="DetectionOptions.AbandonedAfter"/>) after living less than half of the cohort's span (waves of
    /// rotating accounts). One company's service keys (one batch template, keys that live through the whole span)
    /// fail (4) even with machine timing.
    /// A cohort passing all four is a campaign (its id is kept across analyses: a cohort sharing templates with a
    /// known campaign is that campaign); members whose own share on its templates reaches
    /// <see cref="DetectionOptions.AccountConcentration"/> are flagged. (5) Every other account with at least
    /// <see cref="DetectionOptions.LinkAfterExchanges"/> exchanges whose share on one campaign's templates reaches
    /// <see cref="DetectionOptions.AccountConcentration"/> (three quarters of it for an account with at least
    /// <see cref="AccountProfileOptions.UsageHashCount"/> exchanges, two thirds once such an account was abandoned:
    /// <see cref="LinkShareBar"/>) is flagged too (accounts too new or too small to be paired, or ones that mixed other
    /// prompts in);
    /// here the share is the larger of the part its Space-Saving counters guarantee (each count less the smallest, once
    /// the account has used more templates than it has counters) and, for an account holding one of the campaign's
    /// templates among its most-used ones, the usage-weighted MinHash estimate. (6) The shared-task rule
    /// (<see cref="FlagReason.SharedTasks"/>). Before (5), each known campaign's templates grow by the pure templates
    /// its flagged accounts use most (<see cref="ExpandCampaignTemplates"/>); (5) and the request path use them.
    /// Flags are kept: a flagged account stays flagged (its score and signals are refreshed).</para>
    /// <para><b>Concurrency.</b> Safe to call while other threads observe: each account is copied under its own
    /// lock (microseconds), then the work runs on the copies; flags are written back under each account's lock and
    /// the new campaign-template map is published with one reference write. Analyses are serialized. Besides the
    /// calling thread, an analysis uses thread-pool threads: the shared-task rule's pass over the narrow-template
    /// lists runs on one while the cohort finder runs, and the cohort finder scores large batches of candidate pairs
    /// in parallel; all of them finish before it returns.</para>
    /// <para><b>Clock.</b> The analysis reads "now" as the latest exchange time of any tracked account, and the
    /// rotation test calls an account abandoned when it has been silent for <see cref="DetectionOptions.AbandonedAfter"/>
    /// before that. So it assumes every account's exchanges up to "now" have been observed, as on live traffic.
    /// A replay that feeds several threads from a log must keep them in step (e.g. let them drain before each
    /// analysis): a thread held back days of log time makes its accounts look abandoned, and a long-lived fleet
    /// of service keys can then pass as rotating campaign accounts.</para>
    /// <para><b>Cost.</b> Incremental: each account keeps the copy the previous analysis took (profile, top templates,
    /// LSH band keys, its entries in the sorted LSH bands, its share of the per-template account counts: about 3.2 KB
    /// with the default options, measured before those counts were kept) and the
    /// previous candidate pairs keep their scores (about 56 B a pair; typically 5 to 6 pairs per account), and an analysis recopies and rederives only the accounts
    /// whose traffic changed since (a version counter bumped under the account's lock) and rescores only the candidate
    /// pairs with a changed account; the report is the one a from-scratch analysis gives. So an analysis costs O(n) cheap
    /// steps for the n accounts with enough exchanges (a lock and a few field reads each, the LSH bucketing, the cohort
    /// rule) plus O(c) copies and similarity scores for the c that changed: in the default demo (11,465 accounts, about
    /// 1,000 changing per simulated hour) a few times cheaper than copying and scoring everything. The first analysis,
    /// and one after a load, does the full work (seconds at 100,000 accounts).</para>
    /// </remarks>
    public DetectionReport Analyze()
    {
        lock (_analysisLock)
        {
            return AnalyzeLocked();
        }
    }

    private DetectionReport AnalyzeLocked()
    {
        DetectionOptions options = _options;
        long minExchanges = Math.Min(options.LinkAfterExchanges, options.Cohorts.Candidates.MinimumVolume);

        // 1. Copies, one account at a time under its own lock; only accounts that changed since the previous
        // analysis are copied and rederived (the flag fields are read every time).
        bool incremental = IncrementalAnalysis;
        if (_nextSerial == int.MaxValue) ResetAnalysisCache();
        List<AnalyzedAccount> snaps = _analyzed;
        snaps.Clear();
        CandidatePairFinder pairFinder = _cohortFinder.Pairs;
        foreach (KeyValuePair<string, AccountState> pair in _accounts)
        {
            AccountState s = pair.Value;
            if (Volatile.Read(ref s.Exchanges) < minExchanges && Volatile.Read(ref s.CampaignId) == 0) continue;
            AnalyzedAccount a = s.Analysis ??= new AnalyzedAccount(s, options.Profiles, pairFinder.CreateKeys(options.Profiles), _nextSerial++);
            lock (s.Gate)
            {
                if (s.Evicted) continue;
                a.CopyFrom(s, force: !incremental);
            }
            snaps.Add(a);
        }
        if (ShuffleAnalysisOrder) new Random(1).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(snaps));
        snaps.Sort(static (a, b) => a.OrderKey != b.OrderKey ? a.OrderKey.CompareTo(b.OrderKey) : string.CompareOrdinal(a.Name, b.Name));
        int n = snaps.Count;
        // "Now" in exchange time: the latest exchange of any account, so replayed logs analyze as live traffic.
        long now = long.MinValue;
        foreach (AnalyzedAccount snap in snaps) now = Math.Max(now, snap.LastSeenTicks);

        var profiles = new AccountProfile[n];
        var keys = new CandidateKeys[n];
        var serials = new int[n];
        var changed = new bool[n];
        Span<TemplateUsage> buffer = stackalloc TemplateUsage[64];
        long minimumVolume = options.Cohorts.Candidates.MinimumVolume;
        int analyzed = 0;
        for (int i = 0; i < n; i++)
        {
            AnalyzedAccount snap = snaps[i];
            if (snap.Changed)
            {
                int count = snap.Profile.GetTopTemplates(buffer);
                snap.Top = buffer[..count].ToArray();
                // Accounts below the pairing volume take no part in candidate pairs: their keys are never read.
                if (snap.Profile.Volume >= minimumVolume) pairFinder.ComputeKeys(snap.Profile, snap.Keys);
            }
            profiles[i] = snap.Profile;
            keys[i] = snap.Keys;
            serials[i] = snap.Serial;
            changed[i] = snap.Changed;
            if (snap.Exchanges >= minimumVolume) analyzed++;
        }
        if (!incremental) ForgetTemplateCounts();
        Dictionary<long, int> accountsUsing = CountTemplateHolders(snaps);

        // 2-4. Cohorts and the campaign rule.
        PairScoreCache? pairScores = null;
        CandidateBuckets? buckets = null;
        if (incremental)
        {
            buckets = _buckets;
            pairScores = _pairScores;
            pairScores.Serials = serials;
            pairScores.Changed = changed;
        }
        // The shared-task rule's components (4b) depend on no campaign state: found on another thread meanwhile.
        Task<SharedTaskComponents?> sharedTaskRun = Task.Run(() => FindSharedTaskComponents(snaps, now));
        IReadOnlyList<Cohort> cohorts;
        try
        {
            cohorts = _cohortFinder.FindWith(profiles, keys, pairScores, buckets);
        }
        catch
        {
            // Not left running past the analysis lock over the lists the next analysis reuses.
            ((IAsyncResult)sharedTaskRun).AsyncWaitHandle.WaitOne();
            throw;
        }
        SharedTaskComponents? sharedTaskComponents = sharedTaskRun.GetAwaiter().GetResult();
        var campaignOf = new int[n];
        var cohesionOf = new double[n];
        Array.Fill(cohesionOf, double.NaN);
        var roundScores = new Dictionary<int, double>();
        Dictionary<long, int> flaggedUsing = FlaggedCohortUse(cohorts, snaps);
        foreach (Cohort cohort in cohorts)
        {
            if (!cohort.IsFlagged) continue;
            HashSet<long>? templates = CampaignTemplates(cohort, accountsUsing, flaggedUsing);
            if (templates is null) continue;
            var shares = new double[cohort.Size];
            int machine = 0, timed = 0;
            TemplateSetShare usage = UsageShareOf(templates, cohort.Members.Select(i => snaps[i].Exchanges).Max());
            for (int m = 0; m < cohort.Size; m++)
            {
                int i = cohort.Members[m];
                shares[m] = Math.Max(Share(snaps[i].Top, templates, snaps[i].Exchanges), usage.Estimate(snaps[i].Profile));
                if (double.IsNaN(snaps[i].Burstiness)) continue;
                timed++;
                if (IsMachineTimed(snaps[i])) machine++;
            }
            double medianShare = Median(shares);
            bool machineTiming = timed > 0 && machine >= options.MachineTimingShare * timed;
            bool rotating = Rotates(cohort.Members, snaps, now);
            // A service fleet (one batch template, long-lived keys) has machine timing too: without rotation,
            // machine timing counts only for a cohort that runs several templates, as campaigns do.
            bool timingEvidence = rotating || (machineTiming && templates.Count >= 2);
            if (medianShare < options.MinCohortConcentration || !timingEvidence) continue;

            CampaignRecord record = Identify(templates, cohort.Members, snaps);
            foreach (long t in templates) record.Templates.Add(t);
            if (cohort.SynchronizedWindows.Count > 0) record.Windows = cohort.SynchronizedWindows;
            double score = Math.Max(roundScores.GetValueOrDefault(record.Id), cohort.Score);
            roundScores[record.Id] = score;
            record.Score = score;
            for (int m = 0; m < cohort.Size; m++)
            {
                int i = cohort.Members[m];
                if (shares[m] < options.AccountConcentration) continue;
                if (campaignOf[i] == 0 || !(cohesionOf[i] >= cohort.Cohesion))
                {
                    campaignOf[i] = record.Id;
                    cohesionOf[i] = cohort.Cohesion;
                }
            }
        }

        // 4b. Shared-task cohorts (campaigns whose prompts group by task, not by wrapper).
        var reasonOf = new FlagReason[n];
        Dictionary<int, Dictionary<long, int>> sharedTasks = FindSharedTaskCampaigns(sharedTaskComponents, snaps, campaignOf,
            cohesionOf, reasonOf, roundScores);

        // 4c. Campaign templates beyond the shared ones (a campaign spread over many reworded variants).
        if (GrowCampaignTemplates) ExpandCampaignTemplates(snaps, campaignOf, accountsUsing);

        // The campaign-template map of every known campaign.
        var map = new Dictionary<long, int>();
        var scores = new Dictionary<int, double>();
        foreach (CampaignRecord record in _campaigns.Values)
        {
            scores[record.Id] = record.Score;
            foreach (long t in record.Templates) map.TryAdd(t, record.Id);
        }

        // 5. Flags: cohort members, then template concentration; write back under each account's lock.
        var perCampaign = new Dictionary<int, Dictionary<long, int>>();
        foreach ((long t, int c) in map)
        {
            if (!perCampaign.TryGetValue(c, out Dictionary<long, int>? set)) perCampaign[c] = set = [];
            set[t] = c;
        }
        var findings = new List<(int Index, AnalyzedAccount Snap, int Campaign, FlagReason Reason, double Share, double Score, double Cohesion, long FirstTicks, long Before)>();
        Dictionary<int, TemplateSetShare> usageShares = UsageSharesOf(snaps, map, perCampaign);
        var held = new List<(int Campaign, long Sum)>();
        for (int i = 0; i < n; i++)
        {
            AnalyzedAccount snap = snaps[i];
            int campaign = snap.CampaignId;
            FlagReason reason = snap.Reason;
            double cohesion = snap.Cohesion;
            if (campaignOf[i] != 0)
            {
                cohesion = cohesionOf[i];
                if (campaign == 0)
                {
                    campaign = campaignOf[i];
                    reason = reasonOf[i] == FlagReason.None ? FlagReason.Cohort : reasonOf[i];
                }
            }
            else if (campaign == 0 && snap.Exchanges >= options.LinkAfterExchanges)
            {
                // The share on every campaign the account holds a template of, from one pass over its most-used ones.
                HeldCampaigns(snap, map, held);
                double best = 0;
                foreach ((int Campaign, long Sum) h in held)
                {
                    double share = LinkShare(snap, h, usageShares);
                    if (share > best || (share == best && h.Campaign < campaign))
                    {
                        best = share;
                        campaign = h.Campaign;
                    }
                }
                if (best >= LinkShareBar(snap, now)) reason = FlagReason.CampaignTemplates;
                else campaign = 0;
            }
            if (campaign == 0) continue;
            // An account flagged for its share alone reports the share step (5) reads (its most-used counters overstate
            // once it has used more templates than they are).
            double campaignShare = !perCampaign.TryGetValue(campaign, out Dictionary<long, int>? own) ? snap.CampaignShare
                : reason == FlagReason.CampaignTemplates ? HeldLinkShare(snap, campaign, map, held, usageShares)
                : Share(snaps[i].Top, own, snap.Exchanges);
            // A shared-task member's share is the share of its narrow templates its cohort shares (its cohesion there):
            // its templates are too many for its most-used counters to show.
            if (reasonOf[i] == FlagReason.SharedTasks) campaignShare = Math.Max(campaignShare, cohesionOf[i]);
            double accountScore = Math.Clamp(scores.GetValueOrDefault(campaign) * campaignShare, 0, 1);
            long firstTicks = snap.CampaignId != 0 ? snap.FirstFlaggedTicks : snap.LastSeenTicks;
            long before = snap.CampaignId != 0 ? snap.ExchangesBeforeFlagged : Math.Max(0, snap.Exchanges - 1);
            AccountState state = snap.State;
            lock (state.Gate)
            {
                if (!state.Evicted)
                {
                    if (state.CampaignId == 0)
                    {
                        state.CampaignId = campaign;
                        state.Reason = reason;
                        state.FirstFlaggedTicks = firstTicks;
                        state.ExchangesBeforeFlagged = before;
                    }
                    else
                    {
                        // Flagged meanwhile on the request path, or earlier: keep when and why.
                        campaign = state.CampaignId;
                        reason = state.Reason;
                        firstTicks = state.FirstFlaggedTicks;
                        before = state.ExchangesBeforeFlagged;
                    }
                    state.CampaignShare = campaignShare;
                    state.Score = accountScore;
                    state.Cohesion = cohesion;
                }
            }
            findings.Add((i, snap, campaign, reason, campaignShare, accountScore, cohesion, firstTicks, before));
        }

        Volatile.Write(ref _campaignMap, new CampaignMap(map, scores));

        return BuildReport(findings, perCampaign, sharedTasks, cohorts.Count, analyzed);
    }

    /// <summary>
    /// Waves of rotating accounts: at least <see cref="DetectionOptions.RotatingAccountShare"/> of the members were
    /// abandoned (silent for <see cref="DetectionOptions.AbandonedAfter"/> before now) after living less than half
    /// of the cohort's span. Long-lived keys never qualify, and neither does any cohort early in its life.
    /// </summary>
    private bool Rotates(IReadOnlyList<int> members, List<AnalyzedAccount> snaps, long now)
    {
        long first = long.MaxValue;
        foreach (int i in members) first = Math.Min(first, snaps[i].Profile.FirstSeenTicks);
        double span = Math.Max(1, (double)now - first);
        int abandoned = 0;
        foreach (int i in members)
        {
            AccountProfile p = snaps[i].Profile;
            if (IsAbandoned(p.LastSeenTicks, now) && p.LastSeenTicks - p.FirstSeenTicks < 0.5 * span) abandoned++;
        }
        return abandoned > 0 && abandoned >= _options.RotatingAccountShare * members.Count;
    }

    /// <summary>Per template, how many suspect accounts (flagged already, or members of a flagged cohort) hold it among their most-used templates.</summary>
    private static Dictionary<long, int> FlaggedCohortUse(IReadOnlyList<Cohort> cohorts, List<AnalyzedAccount> snaps)
    {
        var use = new Dictionary<long, int>();
        var seen = new HashSet<int>();
        void Count(int i)
        {
            if (!seen.Add(i)) return;
            foreach (TemplateUsage t in snaps[i].Top) use[t.TemplateId] = use.GetValueOrDefault(t.TemplateId) + 1;
        }
        for (int i = 0; i < snaps.Count; i++)
        {
            if (snaps[i].CampaignId != 0) Count(i);
        }
        foreach (Cohort cohort in cohorts)
        {
            if (!cohort.IsFlagged) continue;
            foreach (int i in cohort.Members) Count(i);
        }
        return use;
    }

    /// <summary>The cohort's pure shared templates, or null when it has none.</summary>
    private HashSet<long>? CampaignTemplates(Cohort cohort, Dictionary<long, int> accountsUsing, Dictionary<long, int> flaggedUsing)
    {
        int minAccounts = Math.Max(2, (int)Math.Ceiling(_options.Cohorts.SharedTemplateShare * cohort.Size));
        HashSet<long>? templates = null;
        foreach (SharedTemplate t in cohort.SharedTemplates)
        {
            if (t.Accounts < minAccounts) continue;
            int all = accountsUsing.GetValueOrDefault(t.TemplateId, t.Accounts);
            // Pure: most of its users are members of this or another flagged cohort (two campaigns drawing on one
            // task set share task templates; a popular pasted prompt is used by thousands outside any cohort).
            int suspects = Math.Max(t.Accounts, flaggedUsing.GetValueOrDefault(t.TemplateId));
            if (suspects < _options.MinTemplatePurity * all) continue;
            (templates ??= []).Add(t.TemplateId);
        }
        return templates;
    }

    /// <summary>Share of an account's gaps within three adjacent octaves at which its timing counts as machine-like too (see <see cref="IsMachineTimed"/>).</summary>
    internal const double MachineRegularGapShare = 0.95;

    /// <summary>Gaps an account needs before <see cref="MachineRegularGapShare"/> is read.</summary>
    internal const long MachineRegularMinGaps = 100;

    /// <summary>
    /// Machine-like timing: burstiness at most <see cref="DetectionOptions.MachineBurstiness"/> (fixed intervals and
    /// Poisson streams round the clock), or, over at least <see cref="MachineRegularMinGaps"/> gaps, at least
    /// <see cref="MachineRegularGapShare"/> of them within three adjacent octaves (a fixed interval with +-50 % jitter run
    /// only in an operator's shift: its nightly pauses make it bursty, but its gaps within a factor of 3 span at most three
    /// octaves, so only the pauses fall outside; one a day costs 0.05 at 20 gaps a day). Exponential gaps reach at most
    /// 0.65 there, and people's think times, log-normal with a log-sd of 0.7 in the simulation, about 0.86 (what was
    /// measured: <see cref="HasRegularGaps"/>). A person with a log-sd under about 0.5 would read 0.95 too.
    /// </summary>
    private bool IsMachineTimed(AnalyzedAccount snap) => snap.Burstiness <= _options.MachineBurstiness || HasRegularGaps(snap);

    /// <summary>
    /// The regular-gap half of <see cref="IsMachineTimed"/>. Unlike low burstiness, which a person's first sittings show
    /// too (think times within a sitting are about as regular as Poisson gaps until a night's pause is among them), it
    /// needs no long life: people read at most 0.90 at any point once they have 100 gaps (heavy coders 0.87-0.90,
    /// ordinary users 0.85-0.87, about 2,400 of them a seed, the campaigns' accounts that imitate people 0.86-0.88;
    /// development seeds 1, 3 and 5, scale 0.003, level 3, highest reading at any exchange), while jittered campaign
    /// accounts read 0.986-1.0, shift-run ones included.
    /// </summary>
    private static bool HasRegularGaps(AnalyzedAccount snap) => snap.RegularGaps >= MachineRegularMinGaps && snap.RegularGapShare >= MachineRegularGapShare;

    /// <summary>Burstiness at or under which an account's gaps count as a fixed interval: (c - 1) / (c + 1) for a coefficient of variation c of 0.4.</summary>
    internal const double FixedIntervalBurstiness = (0.4 - 1) / (0.4 + 1);

    /// <summary>Gaps an account needs before <see cref="FixedIntervalBurstiness"/> is read.</summary>
    internal const long FixedIntervalMinGaps = 30;

    /// <summary>
    /// A fixed interval from the start: over at least <see cref="FixedIntervalMinGaps"/> gaps, a coefficient of variation
    /// of at most 0.4 (<see cref="FixedIntervalBurstiness"/>). A +-50 % jitter has 0.29; Poisson gaps 1; people's think
    /// times, log-normal with a log-sd of 0.7 in the simulation, 0.80 within one sitting, and any pause between sittings
    /// raises it far above. How often 30 gaps of one unbroken sitting read 0.4 or less (Monte Carlo, 100,000 draws of
    /// each, a random scale): 0.05 % at a log-sd of 0.7 (a regular-gap share of 0.95 over 100 gaps: 0.19 %), 8 % at 0.5
    /// (the regular-gap share: 58 %). Any pause ends it for a shift-run account (its first shift still counts), where
    /// <see cref="HasRegularGaps"/> takes over; it needs no day of life, unlike low burstiness (Poisson-like), which a
    /// person's first sittings show too. It lets a campaign's jittered accounts take part after 30 requests instead of
    /// 100: what bounds the first alert where a campaign's first wave is two accounts sending a few requests an hour.
    /// </summary>
    private static bool HasFixedInterval(AnalyzedAccount snap) => snap.Gaps >= FixedIntervalMinGaps && snap.Burstiness <= FixedIntervalBurstiness;

    /// <summary>Whether an account last seen at <paramref name="lastSeenTicks"/> has been silent for <see cref="DetectionOptions.AbandonedAfter"/> by <paramref name="now"/>.</summary>
    private bool IsAbandoned(long lastSeenTicks, long now) => now - lastSeenTicks >= _options.AbandonedAfter.Ticks;

    /// <summary>
    /// The share step (5) asks of an account: <see cref="DetectionOptions.AccountConcentration"/> (0.6) for an account
    /// with fewer than <see cref="AccountProfileOptions.UsageHashCount"/> exchanges (one pasted public task among three
    /// exchanges is a third of them); for a larger one, whose share the usage-weighted MinHash reads from a full sample,
    /// three quarters of it (0.45), or two thirds (0.4) once it was abandoned (silent for
    /// <see cref="DetectionOptions.AbandonedAfter"/> before now, as rotated campaign accounts are).
    /// Campaign accounts that mix everyday prompts into reworded wrappers read 0.17-0.59, most of them 0.36-0.59
    /// (development seeds 1, 3 and 5, scale 0.01, evasion 3). People who send the public tasks a campaign wraps read as
    /// much as 0.31 (heavy coders of development seeds 3 and 5 on the real task sets, at least 64 exchanges, highest
    /// reading over every hourly analysis of six weeks; everyone else at most 0.094). Both bars stand clear of that
    /// ceiling by more than the estimate's spread there (one standard error of a 64-bin estimate at 0.31 is 0.058):
    /// an active account is read again at every analysis, so its bar keeps 2.4 of them; an abandoned account's
    /// reading no longer changes, so 1.6 suffice. (Half the bar, 0.3, was used for abandoned accounts before: a heavy
    /// coder who stopped after a week would have been held to less than what heavy coders read.)
    /// </summary>
    private double LinkShareBar(AnalyzedAccount snap, long now)
    {
        double bar = _options.AccountConcentration;
        if (snap.Exchanges < _options.Profiles.UsageHashCount) return bar;
        return IsAbandoned(snap.LastSeenTicks, now) ? bar * 2 / 3 : bar * 3 / 4;
    }

    /// <summary>
    /// The share step (5) reads on a campaign whose templates the account holds among its most-used ones (entry
    /// <paramref name="held"/> of <see cref="HeldCampaigns"/>): the larger of what its Space-Saving counters guarantee
    /// and the campaign's usage-weighted MinHash estimate. On a campaign it holds none of, the share is 0.
    /// </summary>
    private static double LinkShare(AnalyzedAccount snap, (int Campaign, long Sum) held, Dictionary<int, TemplateSetShare> usageShares)
    {
        if (snap.Exchanges <= 0) return 0;
        double share = Math.Clamp((double)held.Sum / snap.Exchanges, 0, 1);
        return usageShares.GetValueOrDefault(held.Campaign) is TemplateSetShare usage ? Math.Max(share, usage.Estimate(snap.Profile)) : share;
    }

    /// <summary><see cref="LinkShare"/> of the account on <paramref name="campaign"/>, 0 when it holds none of its templates.</summary>
    private double HeldLinkShare(AnalyzedAccount snap, int campaign, Dictionary<long, int> map, List<(int Campaign, long Sum)> held,
        Dictionary<int, TemplateSetShare> usageShares)
    {
        HeldCampaigns(snap, map, held);
        foreach ((int Campaign, long Sum) h in held)
        {
            if (h.Campaign == campaign) return LinkShare(snap, h, usageShares);
        }
        return 0;
    }

    /// <summary>Flagged accounts of a campaign that must hold a template among their most-used ones before it joins the campaign's templates.</summary>
    private const int ExpansionMinAccounts = 5;

    /// <summary>
    /// Adds to each known campaign the templates its flagged accounts use beyond its pure shared ones: a template that
    /// at least <see cref="ExpansionMinAccounts"/> of them hold among their most-used templates, that is pure (at least
    /// <see cref="DetectionOptions.MinTemplatePurity"/> of the accounts holding it are flagged, for any campaign), and
    /// whose flagged holders are this campaign's more than any other's (ties go to the older campaign). A campaign whose
    /// wrappers are reworded spreads each account over dozens of recurring variants, each too small to be shared by a
    /// quarter of a cohort; without them its accounts' share on its templates stays under the bar. The plurality keeps
    /// a few accounts linked to the wrong campaign (their first requests fell on its templates) from carrying their own
    /// campaign's templates over: the campaign-template map gives a template two campaigns hold to the older one, so
    /// every later account of the younger campaign would be linked to the older (the full <c>--scale 1</c> run once put
    /// 23,048 of 25,000 accounts under its first campaign).
    /// </summary>
    private void ExpandCampaignTemplates(List<AnalyzedAccount> snaps, int[] campaignOf, Dictionary<long, int> accountsUsing)
    {
        var holders = new Dictionary<(int Campaign, long Template), int>();
        var flaggedHolders = new Dictionary<long, int>();
        for (int i = 0; i < snaps.Count; i++)
        {
            int c = snaps[i].CampaignId != 0 ? snaps[i].CampaignId : campaignOf[i];
            if (c == 0) continue;
            foreach (TemplateUsage t in snaps[i].Top)
            {
                holders[(c, t.TemplateId)] = holders.GetValueOrDefault((c, t.TemplateId)) + 1;
                flaggedHolders[t.TemplateId] = flaggedHolders.GetValueOrDefault(t.TemplateId) + 1;
            }
        }
        var leader = new Dictionary<long, (int Campaign, int Count)>();
        foreach (((int c, long t), int count) in holders)
        {
            if (!leader.TryGetValue(t, out var current) || count > current.Count || (count == current.Count && c < current.Campaign)) leader[t] = (c, count);
        }
        foreach ((long t, (int c, int count)) in leader)
        {
            if (count < ExpansionMinAccounts || !_campaigns.TryGetValue(c, out CampaignRecord? record)) continue;
            if (flaggedHolders[t] < _options.MinTemplatePurity * accountsUsing.GetValueOrDefault(t, count)) continue;
            record.Templates.Add(t);
        }
    }

    /// <summary>Occurrence numbers expanded for <see cref="TemplateSetShare"/>: accounts with more exchanges than this on one template read low.</summary>
    private const int MaxExpandedOccurrence = 4096;

    /// <summary>
    /// Most (template, occurrence) elements one expansion holds (16 B each in its hash set, so about 32 MB): a campaign
    /// with more templates than this over <see cref="MaxExpandedOccurrence"/> gets fewer occurrence numbers each, which
    /// can only make shares read low.
    /// </summary>
    private const int MaxExpandedElements = 1 << 21;

    private TemplateSetShare UsageShareOf(IReadOnlyCollection<long> templates, long maxExchanges)
    {
        long occurrences = Math.Min(Math.Min(maxExchanges, MaxExpandedOccurrence), MaxExpandedElements / Math.Max(1, templates.Count));
        return new(_options.Profiles, templates, (int)Math.Max(1, occurrences));
    }

    /// <summary>
    /// Per campaign, its template set expanded for <see cref="TemplateSetShare"/>, built only when an account that
    /// step 5 may flag (or flagged before, whose share it reports) holds one of the campaign's templates among its
    /// most-used ones (so the expansion covers only the occurrence numbers those accounts can have).
    /// </summary>
    private Dictionary<int, TemplateSetShare> UsageSharesOf(List<AnalyzedAccount> snaps, Dictionary<long, int> map, Dictionary<int, Dictionary<long, int>> perCampaign)
    {
        var most = new Dictionary<int, long>();
        foreach (AnalyzedAccount snap in snaps)
        {
            if ((snap.CampaignId != 0 && snap.Reason != FlagReason.CampaignTemplates) || snap.Exchanges < _options.LinkAfterExchanges) continue;
            foreach (TemplateUsage t in snap.Top)
            {
                if (map.TryGetValue(t.TemplateId, out int c)) most[c] = Math.Max(most.GetValueOrDefault(c), snap.Exchanges);
            }
        }
        var shares = new Dictionary<int, TemplateSetShare>();
        foreach ((int c, long exchanges) in most) shares[c] = UsageShareOf(perCampaign[c].Keys, exchanges);
        return shares;
    }

    /// <summary>The known campaign sharing most templates with the cohort, else the one most of its members are flagged for, else a new one.</summary>
    private CampaignRecord Identify(HashSet<long> templates, IReadOnlyList<int> members, List<AnalyzedAccount> snaps)
    {
        CampaignRecord? best = null;
        int bestOverlap = 0;
        foreach (CampaignRecord record in _campaigns.Values)
        {
            int overlap = 0;
            foreach (long t in templates) if (record.Templates.Contains(t)) overlap++;
            if (overlap > bestOverlap || (overlap == bestOverlap && overlap > 0 && record.Id < best!.Id))
            {
                best = record;
                bestOverlap = overlap;
            }
        }
        if (best is not null) return best;
        int voted = MostCommonCampaign(members.Select(i => snaps[i].CampaignId));
        if (voted != 0 && _campaigns.TryGetValue(voted, out best)) return best;
        best = new CampaignRecord(_nextCampaignId++);
        _campaigns[best.Id] = best;
        return best;
    }

    /// <summary>The campaign id met most often among <paramref name="campaignIds"/> (0s ignored; ties go to the smaller id), else 0.</summary>
    private static int MostCommonCampaign(IEnumerable<int> campaignIds)
    {
        var votes = new Dictionary<int, int>();
        foreach (int c in campaignIds)
        {
            if (c != 0) votes[c] = votes.GetValueOrDefault(c) + 1;
        }
        int voted = 0, most = 0;
        foreach ((int c, int v) in votes)
        {
            if (v > most || (v == most && c < voted))
            {
                voted = c;
                most = v;
            }
        }
        return voted;
    }

    private static double Share(TemplateUsage[] top, Dictionary<long, int> templates, long exchanges)
    {
        if (exchanges <= 0) return 0;
        long sum = 0;
        foreach (TemplateUsage t in top)
        {
            if (templates.ContainsKey(t.TemplateId)) sum += t.Count;
        }
        return Math.Min(1.0, (double)sum / exchanges);
    }

    /// <summary>
    /// The campaigns (<paramref name="map"/>: template to campaign; the campaigns' sets are disjoint) the account holds a
    /// template of among its most-used ones, into <paramref name="held"/>, each with the exchanges its counters
    /// guarantee on that campaign's templates: once an account has used more distinct templates than its Space-Saving
    /// counters, each count may overstate by up to the smallest one, which is subtracted. An account spreading
    /// thousands of exchanges evenly over a hundred templates has six counters of about a sixth each, so its share on
    /// any template set it happens to hold reads high; this bound reads about zero. (Held-out simulator seed 13, real
    /// task rows: 4 of 6 heavy coders were flagged on campaign templates by the plain share.)
    /// </summary>
    private void HeldCampaigns(AnalyzedAccount account, Dictionary<long, int> map, List<(int Campaign, long Sum)> held)
    {
        held.Clear();
        TemplateUsage[] top = account.Top;
        int counters = _options.Profiles.TopTemplateCount;
        long error = top.Length >= counters && account.Profile.DistinctTemplates > counters ? top[^1].Count : 0;
        foreach (TemplateUsage t in top)
        {
            if (!map.TryGetValue(t.TemplateId, out int c)) continue;
            int at = 0;
            while (at < held.Count && held[at].Campaign != c) at++;
            if (at == held.Count) held.Add((c, t.Count - error));
            else held[at] = (c, held[at].Sum + t.Count - error);
        }
    }

    private static double Share(TemplateUsage[] top, HashSet<long> templates, long exchanges)
    {
        if (exchanges <= 0) return 0;
        long sum = 0;
        foreach (TemplateUsage t in top)
        {
            if (templates.Contains(t.TemplateId)) sum += t.Count;
        }
        return Math.Min(1.0, (double)sum / exchanges);
    }

    private DetectionReport BuildReport(
        List<(int Index, AnalyzedAccount Snap, int Campaign, FlagReason Reason, double Share, double Score, double Cohesion, long FirstTicks, long Before)> findings,
        Dictionary<int, Dictionary<long, int>> perCampaign,
        Dictionary<int, Dictionary<long, int>> sharedTasks,
        int cohortCount,
        int analyzed)
    {
        var accounts = new List<AccountFinding>(findings.Count);
        var byCampaign = new Dictionary<int, List<int>>();
        for (int f = 0; f < findings.Count; f++)
        {
            var x = findings[f];
            AnalyzedAccount s = x.Snap;
            TemplateUsage[] top = s.Top;
            double topShare = top.Length == 0 || s.Exchanges == 0 ? 0 : Math.Min(1.0, (double)top[0].Count / s.Exchanges);
            double lifetimeHours = s.Profile.LifetimeSeconds / 3600.0;
            var signals = new AccountSignals(s.Exchanges, s.Profile.DistinctTemplates, x.Share, topShare, s.MeanGapSeconds, s.Burstiness, s.RegularGapShare, lifetimeHours, x.Cohesion, x.Reason);
            accounts.Add(new AccountFinding(s.Name, x.Score, x.Campaign, signals, ToTime(x.FirstTicks), x.Before));
            if (!byCampaign.TryGetValue(x.Campaign, out List<int>? list)) byCampaign[x.Campaign] = list = [];
            list.Add(f);
        }
        accounts.Sort(static (a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : string.CompareOrdinal(a.Account, b.Account));

        var campaigns = new List<CampaignFinding>(byCampaign.Count);
        foreach ((int id, List<int> members) in byCampaign)
        {
            var names = new List<string>(members.Count);
            long exchanges = 0, first = long.MaxValue, last = long.MinValue;
            var gaps = new List<double>();
            var bursts = new List<double>();
            var lifetimes = new double[members.Count];
            var arrivals = new double[members.Count];
            var shares = new double[members.Count];
            var templateUse = new Dictionary<long, (int Accounts, long Exchanges)>();
            perCampaign.TryGetValue(id, out Dictionary<long, int>? own);
            int machine = 0;
            for (int m = 0; m < members.Count; m++)
            {
                var x = findings[members[m]];
                AnalyzedAccount s = x.Snap;
                names.Add(s.Name);
                exchanges += s.Exchanges;
                first = Math.Min(first, s.Profile.FirstSeenTicks);
                last = Math.Max(last, s.Profile.LastSeenTicks);
                lifetimes[m] = s.Profile.LastSeenTicks - s.Profile.FirstSeenTicks;
                arrivals[m] = s.Profile.FirstSeenTicks;
                shares[m] = x.Share;
                if (!double.IsNaN(s.MeanGapSeconds)) gaps.Add(s.MeanGapSeconds);
                double b = s.Burstiness;
                if (!double.IsNaN(b))
                {
                    bursts.Add(b);
                    if (IsMachineTimed(s)) machine++;
                }
                if (own is null) continue;
                foreach (TemplateUsage t in s.Top)
                {
                    if (!own.ContainsKey(t.TemplateId)) continue;
                    var u = templateUse.GetValueOrDefault(t.TemplateId);
                    templateUse[t.TemplateId] = (u.Accounts + 1, u.Exchanges + t.Count);
                }
            }
            names.Sort(StringComparer.Ordinal);
            // A shared-task campaign's evidence: the tasks most of its members sent (at least one exchange each).
            foreach ((long t, int users) in sharedTasks.GetValueOrDefault(id) ?? []) templateUse.TryAdd(t, (users, users));
            var templates = new List<CampaignTemplate>(templateUse.Count);
            foreach ((long t, var u) in templateUse)
            {
                string example = _templates.TryGetTemplate(t, out TemplateInfo info) ? info.Example : string.Empty;
                templates.Add(new CampaignTemplate(t, u.Accounts, u.Exchanges, example));
            }
            templates.Sort(static (a, b) => a.Accounts != b.Accounts ? b.Accounts.CompareTo(a.Accounts) : a.Exchanges != b.Exchanges ? b.Exchanges.CompareTo(a.Exchanges) : a.TemplateId.CompareTo(b.TemplateId));
            if (templates.Count > MaxReportedTemplates) templates.RemoveRange(MaxReportedTemplates, templates.Count - MaxReportedTemplates);
            double span = Math.Max(0, (double)last - first);
            double medianLifetime = Median(lifetimes);
            var timing = new CampaignTiming(
                gaps.Count == 0 ? double.NaN : Median([.. gaps]),
                bursts.Count == 0 ? double.NaN : Median([.. bursts]),
                bursts.Count == 0 ? 0 : (double)machine / bursts.Count,
                TimeSpan.FromTicks((long)medianLifetime),
                span <= 0 ? 1.0 : Math.Clamp(medianLifetime / span, 0, 1),
                (SampleQuantile.SortInPlace(arrivals, 0.75) - SampleQuantile.SortInPlace(arrivals, 0.25)) / TimeSpan.TicksPerDay,
                _campaigns.TryGetValue(id, out CampaignRecord? record) ? record.Windows : []);
            double score = record?.Score ?? 0;
            campaigns.Add(new CampaignFinding(id, score, names, exchanges, templates, timing, Median(shares), ToTime(first), ToTime(last)));
        }
        campaigns.Sort(static (a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Id.CompareTo(b.Id));

        return new DetectionReport(_timeProvider.GetUtcNow(), ExchangeCount, AccountCount, EvictedCount, analyzed, cohortCount, campaigns, accounts);
    }

    private static DateTimeOffset ToTime(long ticks) =>
        new(Math.Clamp(ticks, DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks), TimeSpan.Zero);

    /// <summary>
    /// The median of a copy of <paramref name="values"/>, which keep their order: callers read member i's value after
    /// it (the cohort rule once flagged members on shares the median had sorted in place).
    /// </summary>
    private static double Median(double[] values) => SampleQuantile.SortInPlace((double[])values.Clone(), 0.5);
}
