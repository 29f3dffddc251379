namespace DistillDetect.Cli.Simulation;

internal sealed partial class TrafficSimulator
{
    private const long MinuteMs = 60_000L;

    // UTC offsets (hours) of legitimate users and their weights: mostly the Americas and Europe, some Asia.
    private static readonly double[] s_userTzHours = [-8, -7, -6, -5, -3, 0, 1, 2, 3, 5.5, 7, 8, 9, 10];
    private static readonly double[] s_userTzWeights = [0.08, 0.04, 0.07, 0.14, 0.06, 0.08, 0.16, 0.08, 0.04, 0.08, 0.03, 0.07, 0.05, 0.02];

    // Campaign operators sit in a time zone distant from most users.
    private static readonly double[] s_operatorTzHours = [8, 9, 7, 3, 5.5, 10];

    /// <summary>Splits <paramref name="total"/> into integer counts proportional to <paramref name="weights"/>, each at least
    /// <paramref name="minimum"/> (lowered if the total cannot afford it); the counts sum to <paramref name="total"/> exactly.</summary>
    internal static void Allocate(long total, int minimum, ReadOnlySpan<double> weights, Span<int> counts)
    {
        int n = weights.Length;
        if (n == 0)
        {
            return;
        }
        long floor = Math.Min(minimum, total / n);
        long rest = total - (floor * n);
        double sum = 0;
        foreach (double w in weights)
        {
            sum += w;
        }
        long assigned = 0;
        for (int i = 0; i < n; i++)
        {
            long c = floor + (long)Math.Floor(rest * (weights[i] / sum));
            counts[i] = (int)c;
            assigned += c;
        }
        long left = total - assigned;
        for (int i = 0; left > 0; i = (i + 1) % n, left--)
        {
            counts[i]++;
        }
        for (int i = 0; left < 0; i = (i + 1) % n)
        {
            if (counts[i] > 1)
            {
                counts[i]--;
                left++;
            }
        }
    }

    private (CampaignPlan[] Campaigns, CampaignAccountPlan[] Accounts) PlanCampaigns(ref SplitMix64 master, int campaignCount)
    {
        long window = WindowMs;
        int level = Options.Evasion;

        // Disjoint template sets of 3 to 8 wrappers each.
        int poolSize = CampaignWrappers.Pool.Length;
        int[] templateCounts = new int[campaignCount];
        int totalTemplates = 0;
        for (int c = 0; c < campaignCount; c++)
        {
            templateCounts[c] = master.NextInt(3, 8);
            totalTemplates += templateCounts[c];
        }
        while (totalTemplates > poolSize)
        {
            int largest = 0;
            for (int c = 1; c < campaignCount; c++)
            {
                largest = templateCounts[c] > templateCounts[largest] ? c : largest;
            }
            templateCounts[largest]--;
            totalTemplates--;
        }
        int[] order = new int[poolSize];
        for (int i = 0; i < poolSize; i++)
        {
            order[i] = i;
        }
        for (int i = poolSize - 1; i > 0; i--)
        {
            int j = master.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        var campaigns = new CampaignPlan[campaignCount];
        double[] shares = new double[campaignCount];
        int nextTemplate = 0;
        for (int c = 0; c < campaignCount; c++)
        {
            // The first campaign starts within the first hours; later ones join days later. Lives are at least a day.
            long start = c == 0
                ? (long)master.NextDouble(0.25 * HourMs, 2 * HourMs)
                : (long)master.NextDouble(Math.Min(1.5 * ActivityTimeline.DayMs, 0.25 * window), 0.45 * window);
            long end = c > 0 && master.Chance(0.3) ? (long)(master.NextDouble(0.7, 0.95) * window) : window;
            end = Math.Max(end, Math.Min(window, start + (2 * ActivityTimeline.DayMs)));
            double tz = s_operatorTzHours[master.NextInt(s_operatorTzHours.Length)];
            campaigns[c] = new CampaignPlan
            {
                Id = "campaign-" + (c + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
                Templates = order.AsSpan(nextTemplate, templateCounts[c]).ToArray(),
                CodingShare = master.NextDouble(0.4, 1.0),
                StartMs = start,
                EndMs = end,
                WavePeriodMs = (long)(master.NextDouble(2, 5) * ActivityTimeline.DayMs),
                LifeMedianMs = (long)(master.NextDouble(4, 12) * ActivityTimeline.DayMs),
                OperatorTzMs = (int)(tz * HourMs),
                ShiftLocalStartMs = (int)(master.NextInt(8, 10) * HourMs),
                ShiftLengthMs = (int)(master.NextInt(16, 20) * 30 * MinuteMs),
                IntervalWeight = master.NextDouble(0.2, 1.0),
                PoissonWeight = master.NextDouble(0.2, 1.0),
                ShiftWeight = master.NextDouble(0.2, 1.0),
            };
            nextTemplate += templateCounts[c];
            shares[c] = master.NextDouble(0.5, 1.5);
        }

        int accountCount = (int)Counts.CampaignAccounts;
        int[] perCampaign = new int[campaignCount];
        Allocate(accountCount, 1, shares, perCampaign);
        var accounts = new CampaignAccountPlan[accountCount];
        double[] weights = new double[accountCount];
        int index = 0;
        for (int c = 0; c < campaignCount; c++)
        {
            CampaignPlan plan = campaigns[c];
            long lastWaveStart = Math.Max(plan.StartMs, plan.EndMs - ActivityTimeline.DayMs);
            int waves = (int)Math.Max(1, ((lastWaveStart - plan.StartMs) / plan.WavePeriodMs) + 1);
            int[] perWave = new int[waves];
            double[] even = new double[waves];
            Array.Fill(even, 1.0);
            Allocate(perCampaign[c], 0, even, perWave);
            for (int w = 0; w < waves; w++)
            {
                long waveStart = plan.StartMs + (w * plan.WavePeriodMs);
                for (int j = 0; j < perWave[w]; j++, index++)
                {
                    var rng = new SplitMix64(SplitMix64.Derive(AccountKey(CampaignStart + index), 3));
                    long start = Math.Min(waveStart + (long)rng.NextDouble(0, 4 * HourMs), lastWaveStart);
                    long life = (long)(plan.LifeMedianMs * rng.NextDouble(0.6, 1.5));
                    long end = Math.Min(plan.EndMs, start + Math.Max(life, ActivityTimeline.DayMs));
                    double pick = rng.NextDouble() * (plan.IntervalWeight + plan.PoissonWeight + plan.ShiftWeight);
                    bool onShift = pick >= plan.IntervalWeight + plan.PoissonWeight;
                    ArrivalProcess process = pick < plan.IntervalWeight ? ArrivalProcess.JitteredInterval
                        : pick < plan.IntervalWeight + plan.PoissonWeight ? ArrivalProcess.Poisson
                        : rng.Chance(0.5) ? ArrivalProcess.JitteredInterval : ArrivalProcess.Poisson;
                    bool human = level >= 3 && rng.Chance(0.3);
                    double weight = Math.Clamp(rng.NextLogNormal(1.0, 0.5), 0.3, 3.0) * ((end - start) / (double)ActivityTimeline.DayMs);
                    weights[index] = weight;
                    accounts[index] = new CampaignAccountPlan
                    {
                        Campaign = c,
                        Wave = w,
                        StartMs = start,
                        EndMs = end,
                        Weight = weight,
                        Process = human ? ArrivalProcess.Sessions : process,
                        OnShift = onShift && !human,
                        MixesLegitimate = level >= 3 && rng.Chance(0.5),
                        HomoglyphRate = level >= 1 ? rng.NextDouble(0.02, 0.08) : 0,
                        ZeroWidthRate = level >= 1 ? rng.NextDouble(0.005, 0.02) : 0,
                        WhitespaceRate = level >= 1 ? rng.NextDouble(0.02, 0.08) : 0,
                        SynonymRate = level >= 2 ? rng.NextDouble(0.2, 0.6) : 0,
                        OpenerRate = level >= 2 ? rng.NextDouble(0.2, 0.6) : 0,
                        ReorderRate = level >= 2 ? rng.NextDouble(0.1, 0.4) : 0,
                    };
                }
            }
        }
        // Human-sized volumes: at least 100 each (a few hundred to a few thousand at the case's rate), in proportion to life.
        int[] counts = new int[accountCount];
        Allocate(Counts.CampaignExchanges, 100, weights, counts);
        for (int i = 0; i < accountCount; i++)
        {
            accounts[i].Count = counts[i];
        }
        return (campaigns, accounts);
    }

    /// <summary>Volume weight of a non-campaign account (exchange counts are allocated in proportion).</summary>
    internal double VolumeWeight(int index)
    {
        var rng = new SplitMix64(SplitMix64.Derive(AccountKey(index), 2));
        return RoleOf(index) switch
        {
            AccountRole.HeavyCoder => Math.Clamp(rng.NextLogNormal(1.0, 0.5), 0.25, 4.0),
            AccountRole.ServiceKey => Math.Clamp(rng.NextLogNormal(1.0, 0.3), 0.4, 2.5),
            _ => Math.Clamp(rng.NextLogNormal(1.0, 1.0), 0.02, 40.0),
        };
    }

    /// <summary>Sets up account <paramref name="index"/>'s generator with <paramref name="count"/> exchanges.</summary>
    internal void InitializeAccount(int index, int count, ref AccountState state)
    {
        var rng = new SplitMix64(SplitMix64.Derive(AccountKey(index), 1));
        AccountRole role = RoleOf(index);
        state.Role = role;
        state.Count = count;
        state.Remaining = count;
        state.LastMs = 0;
        state.Position = 0;
        long window = WindowMs;
        switch (role)
        {
            case AccountRole.Campaign:
            {
                int planIndex = index - CampaignStart;
                CampaignAccountPlan plan = CampaignAccounts[planIndex];
                CampaignPlan campaign = Campaigns[plan.Campaign];
                state.Plan = planIndex;
                state.Process = plan.Process;
                state.CodeShare = 0.3f;
                if (plan.Process == ArrivalProcess.Sessions)
                {
                    // Level 3: an operator imitating a person, long waking days in the operators' zone.
                    state.Timeline = ActivityTimeline.Daily(plan.StartMs, plan.EndMs, DayZeroMs, DayZeroDow,
                        (int)(rng.NextDouble(7, 9) * HourMs), campaign.OperatorTzMs, (int)(rng.NextDouble(13, 15) * HourMs), (int)(rng.NextDouble(10, 14) * HourMs));
                    SetSessions(ref state, meanSize: rng.NextDouble(8, 20), gapMedianSeconds: rng.NextDouble(15, 60));
                }
                else if (plan.OnShift)
                {
                    state.Timeline = ActivityTimeline.Daily(plan.StartMs, plan.EndMs, DayZeroMs, DayZeroDow,
                        campaign.ShiftLocalStartMs, campaign.OperatorTzMs, campaign.ShiftLengthMs, campaign.ShiftLengthMs);
                }
                else
                {
                    state.Timeline = ActivityTimeline.Continuous(plan.StartMs, plan.EndMs, DayZeroMs);
                }
                break;
            }
            case AccountRole.ServiceKey:
                // Batch jobs in the company's business hours, Monday to Friday, machine timing.
                state.Process = rng.Chance(0.7) ? ArrivalProcess.JitteredInterval : ArrivalProcess.Poisson;
                state.Timeline = ActivityTimeline.Daily(0, window, DayZeroMs, DayZeroDow,
                    (int)((9 * HourMs) + (rng.NextInt(0, 6) * 5 * MinuteMs)), ServiceTzMs, (int)(8 * HourMs), 0);
                break;
            case AccountRole.HeavyCoder:
            {
                state.Process = ArrivalProcess.Sessions;
                int tz = SampleUserTz(ref rng);
                state.Timeline = ActivityTimeline.Daily(0, window, DayZeroMs, DayZeroDow,
                    (int)(rng.NextDouble(7.5, 10.5) * HourMs), tz, (int)(rng.NextDouble(11, 15) * HourMs), (int)(rng.NextDouble(3, 10) * HourMs));
                SetSessions(ref state, meanSize: rng.NextDouble(12, 30), gapMedianSeconds: rng.NextDouble(40, 120));
                break;
            }
            default:
            {
                // Ordinary users and popular-prompt pasters: waking hours, some join late or leave early.
                state.Process = ArrivalProcess.Sessions;
                int tz = SampleUserTz(ref rng);
                long lower = 0, upper = window;
                if (rng.Chance(0.25) && window > 8 * ActivityTimeline.DayMs)
                {
                    lower = (long)rng.NextDouble(0, window - (7 * ActivityTimeline.DayMs));
                    upper = lower + (long)rng.NextDouble(7 * ActivityTimeline.DayMs, window - lower);
                }
                state.Timeline = ActivityTimeline.Daily(lower, upper, DayZeroMs, DayZeroDow,
                    (int)(rng.NextDouble(6, 10) * HourMs), tz, (int)(rng.NextDouble(12, 17) * HourMs), (int)(rng.NextDouble(6, 17) * HourMs));
                SetSessions(ref state, meanSize: rng.NextDouble(1.5, 6), gapMedianSeconds: rng.NextDouble(30, 240));
                double kind = rng.NextDouble();
                state.CodeShare = (float)(kind < 0.6 ? rng.NextDouble(0.02, 0.15) : kind < 0.9 ? rng.NextDouble(0.2, 0.5) : rng.NextDouble(0.6, 0.9));
                if (role == AccountRole.PopularPrompt)
                {
                    state.Plan = rng.NextInt(PopularPrompts.Pasted.Length);
                    double pastes = rng.NextDouble();
                    state.PastesLeft = (short)Math.Min(count, pastes < 0.6 ? 1 : pastes < 0.9 ? 2 : 3);
                }
                break;
            }
        }
        if (state.Timeline.TotalMs <= 0)
        {
            // A window too short for the daily pattern (e.g. only a weekend): fall back to round the clock.
            state.Timeline = ActivityTimeline.Continuous(0, window, DayZeroMs);
        }
        if (state.Process == ArrivalProcess.JitteredInterval)
        {
            state.Position = state.Timeline.TotalMs / (double)count;
        }
        state.Rng = rng;
    }

    private static void SetSessions(ref AccountState state, double meanSize, double gapMedianSeconds)
    {
        state.SessionsLeft = (int)Math.Clamp(Math.Round(state.Count / meanSize), 1, state.Count);
        state.InSessionLeft = 0;
        state.GapMedianSeconds = (float)gapMedianSeconds;
    }

    private static int SampleUserTz(ref SplitMix64 rng)
    {
        double u = rng.NextDouble();
        for (int i = 0; i < s_userTzWeights.Length; i++)
        {
            u -= s_userTzWeights[i];
            if (u < 0)
            {
                return (int)(s_userTzHours[i] * HourMs);
            }
        }
        return (int)(s_userTzHours[^1] * HourMs);
    }

    /// <summary>Schedules the account's next exchange and returns its time (ms from the window start).</summary>
    internal long ScheduleNext(ref AccountState state)
    {
        ref SplitMix64 rng = ref state.Rng;
        long total = state.Timeline.TotalMs;
        long t;
        switch (state.Process)
        {
            case ArrivalProcess.JitteredInterval:
            {
                // Event k sits at (k + 0.25 + 0.5 u) intervals: consecutive gaps lie in [0.5, 1.5] intervals, all inside the life.
                int k = state.Count - state.Remaining;
                long active = (long)(state.Position * (k + 0.25 + (0.5 * rng.NextDouble())));
                t = state.Timeline.Map(Math.Min(active, total - 1), DayZeroMs);
                break;
            }
            case ArrivalProcess.Poisson:
                state.Position = NextOrderStatistic(state.Position, state.Remaining, ref rng);
                t = state.Timeline.Map(Math.Min((long)(state.Position * total), total - 1), DayZeroMs);
                break;
            default:
                if (state.InSessionLeft > 0 || state.SessionsLeft == 0)
                {
                    state.InSessionLeft = Math.Max(0, state.InSessionLeft - 1);
                    t = state.LastMs + SessionGapMs(ref state, ref rng);
                }
                else
                {
                    // Session starts are the sorted uniforms of a Poisson process conditioned on the session count.
                    state.Position = NextOrderStatistic(state.Position, state.SessionsLeft, ref rng);
                    long wall = state.Timeline.Map(Math.Min((long)(state.Position * total), total - 1), DayZeroMs);
                    int left = state.Remaining;
                    int sessions = state.SessionsLeft;
                    int size = left;
                    if (sessions > 1)
                    {
                        double mean = left / (double)sessions;
                        size = Math.Clamp(1 + (int)(rng.NextDouble() * ((2 * mean) - 1)), 1, left - (sessions - 1));
                    }
                    state.SessionsLeft--;
                    state.InSessionLeft = size - 1;
                    t = state.Count == state.Remaining ? wall : Math.Max(wall, state.LastMs + (2 * MinuteMs));
                }
                break;
        }
        t = Math.Clamp(t, state.LastMs, WindowMs - 1);
        state.LastMs = t;
        return t;
    }

    // Sequential sorted uniforms (the next of m remaining is 1 - (1 - prev) U^(1/m)), so a Poisson process
    // conditioned on its count is generated in order with O(1) state (Devroye, Non-Uniform Random Variate Generation, V.3).
    private static double NextOrderStatistic(double previous, int remaining, ref SplitMix64 rng)
    {
        double u = 1.0 - rng.NextDouble();
        return 1.0 - ((1.0 - previous) * DeterministicMath.Pow(u, 1.0 / Math.Max(remaining, 1)));
    }

    private static long SessionGapMs(ref AccountState state, ref SplitMix64 rng) =>
        (long)Math.Clamp(rng.NextLogNormal(state.GapMedianSeconds, 0.7) * 1000.0, 3_000.0, 3_600_000.0);
}
