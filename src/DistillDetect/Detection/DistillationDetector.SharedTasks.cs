using DistillDetect.Accounts;

namespace DistillDetect.Detection;

public sealed partial class DistillationDetector
{
    /// <summary>Distinct templates an account needs for the shared-task rule: one batch template over varied data (a service key) is not a task set.</summary>
    private const int SharedTaskMinDistinctTemplates = 8;

    /// <summary>
    /// Share of its narrow templates a member of a shared-task component must share with it to be flagged (machine-timed
    /// or abandoned; for an abandoned one, measured when the bar was set for abandoned accounts only: a rotated campaign
    /// account 0.68 and up on the development seed, people who also sent some of the everyday prompts a campaign mixes
    /// in 0.21 to 0.38). Since session 14 it applies to machine-timed members too (a Poisson-like person of seed 37 read 0.40).
    /// </summary>
    private const double SharedTaskMinShare = 0.5;

    /// <summary>
    /// Share of its narrow templates a person-timed account (a candidate: neither machine-timed nor abandoned) must have
    /// sent as tasks of one component (templates two or more of its machine-timed accounts sent) to join it: most of them.
    /// Measured with a throw-away probe on development seed 1 (evasion level 3, scale 0.005, the highest reading over hourly
    /// analyses, before the life bound): campaign accounts that imitate people or run Poisson traffic in shifts 0.72 to
    /// 0.93, 0.43 to 0.85 when they mix everyday requests in; heavy coders (whose coding requests meet those mixed-in
    /// requests) at most 0.17, other people at most 0.02.
    /// </summary>
    private const double SharedTaskMinCandidateShare = 0.5;

    /// <summary>
    /// Largest share of the tracked accounts a narrow template may have (besides
    /// <see cref="DetectionOptions.NarrowTemplateMaxAccounts"/>): 0.5 %, which is what 32 accounts are at the development
    /// scale (6,879 accounts). In a demo of a few hundred accounts, everyday requests used by 20 of them were joining
    /// people into cohorts.
    /// </summary>
    private const double SharedTaskMaxAccountShare = 0.005;

    /// <summary>Life a low-burstiness account's timing must cover before it takes part in the shared-task rule (not needed when abandoned or with regular gaps).</summary>
    private static readonly TimeSpan SharedTaskMinLifetime = TimeSpan.FromDays(1);

    /// <summary>
    /// Shared-task cohorts: a campaign whose wrappers are reworded has its prompts grouped by task, so each account
    /// spreads its exchanges over hundreds of templates and the cohort finder's similarity (template-set Jaccard,
    /// concentration on a few templates) sees nothing; but its accounts keep sending the same payloads as one another,
    /// so they share many narrow templates (used by at most <see cref="DetectionOptions.NarrowTemplateMaxAccounts"/>
    /// accounts), which the detector lists per template (<see cref="NarrowTemplateUsers"/>).
    /// </summary>
    /// <remarks>
    /// <para>Accounts with at least <see cref="CandidatePairOptions.MinimumVolume"/> exchanges and
    /// <see cref="SharedTaskMinDistinctTemplates"/> distinct templates take part when (a) they time like machines: regular
    /// gaps (<see cref="HasRegularGaps"/>) or a fixed interval (<see cref="HasFixedInterval"/>), both at any age, or burstiness at most <see cref="DetectionOptions.MachineBurstiness"/>
    /// over at least <see cref="SharedTaskMinLifetime"/> of life (a person's first sittings can time like a machine, and flags are
    /// kept: with six hours, one heavy coder of held-out simulator seed 11 was flagged at levels 2 and 3), or (b) they were abandoned (silent for <see cref="DetectionOptions.AbandonedAfter"/>),
    /// as rotated campaign accounts are and people who work through a task list every day (heavy coders) are not.
    /// Each narrow template (also used by at most <see cref="SharedTaskMaxAccountShare"/> of the tracked accounts) adds
    /// one to every pair of its taking-part users. Pairs of (a) accounts sharing at least
    /// <see cref="DetectionOptions.MinSharedNarrowTemplates"/> templates are joined (connected components); a (b)
    /// account joins the component of the (a) account it shares most with, if that reaches the bound and the
    /// component has at least <see cref="CohortFinderOptions.MinCohortSize"/> (a) accounts, and never forms or bridges
    /// one. A component of at least that size is a campaign; its members whose share reaches
    /// <see cref="SharedTaskMinShare"/> are flagged. A member's share (reported as its
    /// <see cref="AccountSignals.CampaignTemplateShare"/> and cohesion) is the fraction of its narrow templates
    /// (those with another taking-part user) that another member uses too, for a (b) member that two or more of its (a)
    /// members use (the component's tasks); the campaign's score, their median. Fresh simulator seed 37 (scale 0.003,
    /// level 3) showed why both: three people who had left, whose narrow templates were mostly everyday requests that
    /// the campaign's accounts mix in, shared them with other attached people (0.50-0.60 by "another member"), and a
    /// person whose one-request sittings read as Poisson (burstiness 0.249 over six weeks) took part as (a) with a
    /// share of 0.40; the session-13 detector flagged all four as well.</para>
    /// <para>(c) Every other account with that volume and those templates (timed like a person, still sending: a campaign
    /// account that imitates people, or runs a Poisson stream in daily shifts, which times like a person's day) is a
    /// candidate: it never forms, bridges or pairs, but joins the component whose tasks (narrow templates two or more of
    /// its (a) accounts used) it sent most, when those are at least <see cref="DetectionOptions.MinSharedNarrowTemplates"/>
    /// and at least <see cref="SharedTaskMinCandidateShare"/> of its narrow templates (those with another user taking part
    /// or among the candidates), and it has lived no longer than the longest life among the component's finished (a)
    /// accounts (abandoned ones). Its share is that fraction. The life bound is what keeps people who work through the
    /// same public task list unflagged: by the time a campaign has finished an account, a person sending since before
    /// has lived longer than it. A person who starts during a campaign and sends mostly its tasks is flagged.</para>
    /// <para>The campaign's shared tasks (narrow templates two or more members sent) are the report's evidence. They
    /// are not tied to the campaign for the request path: people who work through the same public task list send
    /// them too, and would be linked on their first requests. So members are found by the next analysis, not on the
    /// request path.</para>
    /// <para>Cost: O(sum over narrow templates of their taking-part users times their machine-timed ones), at most
    /// <see cref="DetectionOptions.NarrowTemplateMaxAccounts"/> squared per template, plus sorting those pairs (8 B
    /// each); candidates add a lookup per listed user and a counter per (candidate, component) pair of a task they sent.
    /// The lists are copied a stripe at a time, so requests wait at most for one stripe's copy. All of that is
    /// <see cref="FindSharedTaskComponents"/>, which the analysis runs on a pool thread while the cohort finder runs
    /// (it reads no campaign state); this method, which names and flags the campaigns, is cheap.</para>
    /// </remarks>
    /// <returns>Per campaign found, its shared tasks: narrow templates two or more members used, with how many did (for the report).</returns>
    private Dictionary<int, Dictionary<long, int>> FindSharedTaskCampaigns(SharedTaskComponents? found, List<AnalyzedAccount> snaps, int[] campaignOf,
        double[] cohesionOf, FlagReason[] reasonOf, Dictionary<int, double> roundScores)
    {
        var campaigns = new Dictionary<int, Dictionary<long, int>>();
        if (found is null) return campaigns;
        foreach ((int root, List<int> component) in found.Components)
        {
            var indices = new List<int>(component.Count);
            var shareList = new List<double>(component.Count);
            foreach (int k in component)
            {
                double share = found.NarrowCount[k] == 0 ? 0 : (double)found.SharedCount[k] / found.NarrowCount[k];
                if (share < SharedTaskMinShare) continue;
                indices.Add(found.Members[k]);
                shareList.Add(share);
            }
            // The campaign's score is the machine-timed and abandoned members' median share; the candidates that
            // joined are flagged with their own share after them.
            double median = Median([.. shareList]);
            foreach ((int snap, double share) in found.CandidateMembers.GetValueOrDefault(root) ?? [])
            {
                indices.Add(snap);
                shareList.Add(share);
            }
            double[] shares = [.. shareList];
            // Members the cohort rule flagged in this very analysis name the campaign (else Identify would open a new
            // record that no account ends up in).
            int named = MostCommonCampaign(indices.Select(i => campaignOf[i]));
            CampaignRecord record = named != 0 ? _campaigns[named] : Identify([], indices, snaps);
            if (!campaigns.TryGetValue(record.Id, out Dictionary<long, int>? tasks)) campaigns[record.Id] = tasks = [];
            foreach ((long id, int count) in found.TasksOf.GetValueOrDefault(root) ?? []) tasks[id] = Math.Max(tasks.GetValueOrDefault(id), count);
            double score = Math.Max(roundScores.GetValueOrDefault(record.Id), median);
            roundScores[record.Id] = score;
            record.Score = score;
            for (int c = 0; c < indices.Count; c++)
            {
                int i = indices[c];
                if (campaignOf[i] != 0) continue;
                campaignOf[i] = record.Id;
                cohesionOf[i] = shares[c];
                reasonOf[i] = FlagReason.SharedTasks;
            }
        }
        return campaigns;
    }

    /// <summary>
    /// What <see cref="FindSharedTaskCampaigns"/> needs, computed from the analyzed accounts and the narrow-template
    /// lists alone (no campaign state), so the analysis runs it while the cohort finder runs: the taking-part accounts
    /// (<see cref="Members"/>: positions in the analysis's list; <see cref="Machine"/>: machine-timed, else abandoned),
    /// per one of them its narrow templates and those another member of its component uses too, and per component of
    /// at least the cohort size its members (ascending root) and its shared tasks.
    /// </summary>
    private sealed record SharedTaskComponents(List<int> Members, List<bool> Machine, int[] NarrowCount, int[] SharedCount,
        Dictionary<int, Dictionary<long, int>> TasksOf, SortedDictionary<int, List<int>> Components,
        Dictionary<int, List<(int Snap, double Share)>> CandidateMembers);

    private static long Life(AnalyzedAccount snap) => snap.LastSeenTicks - snap.Profile.FirstSeenTicks;

    /// <summary>The components of the shared-task rule (see <see cref="FindSharedTaskCampaigns"/>), or null when too few accounts take part.</summary>
    private SharedTaskComponents? FindSharedTaskComponents(List<AnalyzedAccount> snaps, long now)
    {
        DetectionOptions options = _options;
        long minimumVolume = options.Cohorts.Candidates.MinimumVolume;
        var members = new List<int>();
        var machine = new List<bool>();
        var candidateSnaps = new List<int>();
        var candidateStates = new List<AccountState>();
        bool finished = false;
        for (int i = 0; i < snaps.Count; i++)
        {
            AnalyzedAccount snap = snaps[i];
            if (snap.Exchanges < minimumVolume || snap.Profile.DistinctTemplates < SharedTaskMinDistinctTemplates) continue;
            // Regular gaps or a fixed interval at any age, low burstiness over at least a day (a person's first sittings are about as regular
            // as Poisson gaps, and flags are kept; a day includes a night), or an account abandoned (silent for
            // AbandonedAfter), as rotated campaign accounts are and people working through a task list every day are not.
            // Every other account is a candidate (c): checked against the components' tasks, never part of a pair.
            bool abandoned = IsAbandoned(snap.LastSeenTicks, now);
            bool machineTimed = HasRegularGaps(snap) || HasFixedInterval(snap)
                || (snap.Burstiness <= options.MachineBurstiness && Life(snap) >= SharedTaskMinLifetime.Ticks);
            if (!abandoned && !machineTimed)
            {
                candidateSnaps.Add(i);
                candidateStates.Add(snap.State);
                continue;
            }
            members.Add(i);
            machine.Add(machineTimed);
            finished |= machineTimed && abandoned;
        }
        int m = members.Count;
        if (m < options.Cohorts.MinCohortSize) return null;
        // Candidates join only a component with a finished machine-timed account: none, no candidate work.
        SharedTaskCandidates? candidates = finished ? new SharedTaskCandidates(candidateStates, machine) : null;

        // One pass over the narrow templates: pairs of taking-part users, and per template who of them used it.
        // Narrow is also relative: a template used by 32 of a few hundred accounts is popular, not a shared task list.
        int narrowLimit = Math.Min(options.NarrowTemplateMaxAccounts, Math.Max(2, (int)(SharedTaskMaxAccountShare * AccountCount)));
        var ids = new List<long>();
        var ends = new List<int>();
        var listed = new List<int>();
        _narrow.CopyNarrow(narrowLimit, members.ConvertAll(i => snaps[i].State), ids, ends, listed, candidates);
        var pairs = new List<long>();
        var templates = new List<(long TemplateId, int[] Users)>(ids.Count);
        for (int e = 0, start = 0; e < ids.Count; start = ends[e], e++)
        {
            int[] users = listed.GetRange(start, ends[e] - start).ToArray();
            Array.Sort(users);
            // Only pairs with a machine-timed account count (two abandoned accounts are never joined).
            for (int x = 0; x < users.Length; x++)
            {
                for (int y = x + 1; y < users.Length; y++)
                {
                    if (machine[users[x]] || machine[users[y]]) pairs.Add(((long)users[x] << 32) | (uint)users[y]);
                }
            }
            templates.Add((ids[e], users));
        }

        var parent = new int[m];
        for (int k = 0; k < m; k++) parent[k] = k;
        int Find(int x)
        {
            while (parent[x] != x) x = parent[x] = parent[parent[x]];
            return x;
        }
        // Each pair appears once per template its accounts share: sorted, a run of equal keys is one pair's count.
        // Machine-timed accounts are joined to one another; an account that takes part only because it was abandoned
        // joins the component of the machine-timed account it shares most with, never forms or bridges one.
        System.Runtime.InteropServices.CollectionsMarshal.AsSpan(pairs).Sort();
        var attach = new List<(int Abandoned, int Machine, int Shared)>();
        for (int start = 0; start < pairs.Count;)
        {
            long key = pairs[start];
            int end = start + 1;
            while (end < pairs.Count && pairs[end] == key) end++;
            if (end - start >= options.MinSharedNarrowTemplates)
            {
                int a = (int)(key >> 32), b = (int)(key & 0xFFFF_FFFF);
                if (machine[a] && machine[b])
                {
                    a = Find(a);
                    b = Find(b);
                    if (a != b) parent[Math.Max(a, b)] = Math.Min(a, b);
                }
                else if (machine[a] != machine[b])
                {
                    attach.Add(machine[a] ? (b, a, end - start) : (a, b, end - start));
                }
            }
            start = end;
        }
        var size = new int[m];
        for (int k = 0; k < m; k++) size[Find(k)]++;
        var best = new Dictionary<int, (int Machine, int Shared)>();
        foreach ((int abandoned, int machineAccount, int shared) in attach)
        {
            if (size[Find(machineAccount)] < options.Cohorts.MinCohortSize) continue;
            if (!best.TryGetValue(abandoned, out var current) || shared > current.Shared) best[abandoned] = (machineAccount, shared);
        }
        foreach ((int abandoned, (int machineAccount, int _)) in best)
        {
            int root = Find(machineAccount);
            parent[abandoned] = root;
            size[abandoned]--;
            size[root]++;
        }

        // Per account: its narrow templates, and those another member of its component uses too; per component, the
        // narrow templates two or more of its members use (its shared tasks) and how many of them do.
        var narrowCount = new int[m];
        var sharedCount = new int[m];
        var tasksOf = new Dictionary<int, Dictionary<long, int>>();
        var usersOf = new Dictionary<int, int>();
        var machineUsersOf = new Dictionary<int, int>();
        // (c) Per candidate and component: the component's tasks it sent (templates two or more of the component's
        // machine-timed accounts sent), counted in the same pass (the candidates' templates are in copy order).
        var tasksSent = new Dictionary<long, int>();
        int nextCandidateTemplate = 0;
        for (int e = 0; e < templates.Count; e++)
        {
            (long id, int[] users) = templates[e];
            usersOf.Clear();
            machineUsersOf.Clear();
            foreach (int k in users)
            {
                narrowCount[k]++;
                int root = Find(k);
                usersOf[root] = usersOf.GetValueOrDefault(root) + 1;
                if (machine[k]) machineUsersOf[root] = machineUsersOf.GetValueOrDefault(root) + 1;
            }
            // An abandoned account's share counts the component's tasks (two or more of its machine-timed accounts
            // used them), as a candidate's does: not the everyday requests it shares with other attached people.
            foreach (int k in users)
            {
                if (machine[k] ? usersOf[Find(k)] >= 2 : machineUsersOf.GetValueOrDefault(Find(k)) >= 2) sharedCount[k]++;
            }
            if (candidates is not null && nextCandidateTemplate < candidates.Templates.Count && candidates.Templates[nextCandidateTemplate] == e)
            {
                int start = nextCandidateTemplate == 0 ? 0 : candidates.Ends[nextCandidateTemplate - 1];
                int end = candidates.Ends[nextCandidateTemplate++];
                foreach ((int root, int count) in machineUsersOf)
                {
                    if (count < 2 || size[root] < options.Cohorts.MinCohortSize) continue;
                    for (int u = start; u < end; u++)
                    {
                        ref int sent = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(tasksSent, ((long)candidates.Users[u] << 32) | (uint)root, out _);
                        sent++;
                    }
                }
            }
            foreach ((int root, int count) in usersOf)
            {
                if (count < 2 || size[root] < options.Cohorts.MinCohortSize) continue;
                if (!tasksOf.TryGetValue(root, out Dictionary<long, int>? tasks)) tasksOf[root] = tasks = [];
                tasks[id] = count;
            }
        }

        var components = new SortedDictionary<int, List<int>>();
        for (int k = 0; k < m; k++)
        {
            int root = Find(k);
            if (size[root] < options.Cohorts.MinCohortSize) continue;
            if (!components.TryGetValue(root, out List<int>? list)) components[root] = list = [];
            list.Add(k);
        }

        // A candidate joins the component it sent most tasks of when those are at least MinSharedNarrowTemplates and at
        // least SharedTaskMinCandidateShare of its narrow templates. It must also have lived no longer than the longest
        // life among the component's finished accounts (machine-timed, abandoned): a campaign's accounts live and are
        // replaced in waves, and a person who has worked
        // through the same public task list for longer than any finished account of the campaign lived is not one of
        // them (nor is anyone before the campaign has finished an account).
        var candidateMembers = new Dictionary<int, List<(int Snap, double Share)>>();
        if (candidates is null) return new SharedTaskComponents(members, machine, narrowCount, sharedCount, tasksOf, components, candidateMembers);
        var longestLife = new Dictionary<int, long>();
        for (int k = 0; k < m; k++)
        {
            if (!machine[k] || size[Find(k)] < options.Cohorts.MinCohortSize || !IsAbandoned(snaps[members[k]].LastSeenTicks, now)) continue;
            ref long life = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(longestLife, Find(k), out _);
            life = Math.Max(life, Life(snaps[members[k]]));
        }
        var joined = new Dictionary<int, (int Root, int Sent)>();
        foreach ((long key, int sent) in tasksSent)
        {
            int c = (int)(key >> 32), root = (int)(key & 0xFFFF_FFFF);
            if (sent < options.MinSharedNarrowTemplates || sent < SharedTaskMinCandidateShare * candidates.Narrow[c]
                || !longestLife.TryGetValue(root, out long longest) || Life(snaps[candidateSnaps[c]]) > longest) continue;
            if (!joined.TryGetValue(c, out var current) || sent > current.Sent || (sent == current.Sent && root < current.Root)) joined[c] = (root, sent);
        }
        foreach ((int c, (int root, int sent)) in joined.OrderBy(j => j.Key))
        {
            if (!candidateMembers.TryGetValue(root, out List<(int, double)>? list)) candidateMembers[root] = list = [];
            list.Add((candidateSnaps[c], (double)sent / candidates.Narrow[c]));
        }
        return new SharedTaskComponents(members, machine, narrowCount, sharedCount, tasksOf, components, candidateMembers);
    }
}
