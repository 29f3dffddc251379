using System.IO.Hashing;
using System.Runtime.InteropServices;
using DistillDetect.Accounts;

namespace DistillDetect.Tests.Accounts;

/// <summary>Kinds of synthetic accounts; only <see cref="Campaign"/> should be flagged.</summary>
internal enum AccountKind { Legit, PopularPaster, HeavyCoder, ServiceKey, Lookalike, Campaign }

/// <summary>Which ids a synthetic world may use, so figures are reported on prompts nothing was tuned on.</summary>
internal enum DataSplit { Development, HeldOut }

/// <summary>Sizes and evasion of a synthetic world.</summary>
internal sealed record WorldSpec
{
    public int LegitUsers { get; init; } = 3000;
    public int PopularPasters { get; init; } = 1000;
    public int HeavyCoders { get; init; } = 30;
    public int ServiceKeys { get; init; } = 30;
    public int Campaigns { get; init; } = 2;
    public int AccountsPerCampaign { get; init; } = 150;
    public int Evasion { get; init; }
    /// <summary>People who found one of the campaign's public reasoning wrappers and use it for half their own prompts, at human times (they tie to campaign accounts by a few coincidental edges).</summary>
    public int Lookalikes { get; init; } = 100;
    public int Days { get; init; } = 42;
    public DataSplit Split { get; init; } = DataSplit.HeldOut;
}

/// <summary>
/// Synthetic traffic with known membership, built from the real prompt sets in ../shared/data: legitimate
/// users draw prompts from ShareGPT / awesome-chatgpt-prompts / Arena-hard (template id = exact hash of
/// the prompt, so coincidental and popular sharing is real), campaigns wrap MBPP / HumanEval tasks in a
/// few reasoning-eliciting wrappers (template id by construction: which wrapper built the prompt; at
/// higher evasion a wrapper's prompts split over several ids, some get a unique id, and the accounts add
/// camouflage prompts and human-like timing). Timing, lifetimes and volumes come from fixed seeds.
/// </summary>
internal sealed class SyntheticWorld
{
    public static readonly DateTime Start = new(2026, 1, 5, 0, 0, 0, DateTimeKind.Utc); // a Monday

    private static readonly string[] s_wrappers =
    [
        "Think step by step. First restate the problem, then reason about edge cases, then give the complete, tested Python solution.\n\n",
        "You are an expert competitive programmer. Explain your full chain of reasoning before writing the final code.\n\nTask: ",
        "Solve the following task. Show every intermediate reasoning step, verify the result, and output the final code in one block.\n\n",
        "Act as a senior engineer doing a careful derivation: plan, reason, implement, then self-check with tests.\n\nProblem:\n",
        "Reason carefully and at length about this programming task before answering; include your reasoning trace.\n\n",
        "Let's work this out in a step by step way to be sure we have the right answer. Write the code at the end.\n\n",
    ];

    private static readonly Lazy<Pools> s_pools = new(LoadPools);

    public List<AccountProfile> Profiles { get; } = [];
    public List<AccountKind> Kinds { get; } = [];
    public long Exchanges { get; private set; }

    public bool IsCampaign(int index) => Kinds[index] == AccountKind.Campaign;

    public static SyntheticWorld Build(WorldSpec spec, int seed, AccountProfileOptions? options = null)
    {
        Pools all = s_pools.Value;
        bool held = spec.Split == DataSplit.HeldOut;
        long[] legit = held ? all.LegitHeld : all.LegitDev;
        long[] code = held ? all.CodeHeld : all.CodeDev;
        long[] tasks = held ? all.TasksHeld : all.TasksDev;
        long popular = held ? all.PopularHeld : all.PopularDev;
        var world = new SyntheticWorld();
        var rng = new Random(seed);
        options ??= AccountProfileOptions.Default;
        long span = TimeSpan.TicksPerDay * spec.Days;

        for (int i = 0; i < spec.LegitUsers; i++) world.AddHuman(rng, options, span, legit, AccountKind.Legit, -1, extraCode: null);
        for (int i = 0; i < spec.PopularPasters; i++) world.AddHuman(rng, options, span, legit, AccountKind.PopularPaster, popular, extraCode: null);
        for (int i = 0; i < spec.HeavyCoders; i++) world.AddHuman(rng, options, span, legit, AccountKind.HeavyCoder, -1, code);
        world.AddFleet(rng, options, spec);
        for (int i = 0; i < spec.Lookalikes; i++) world.AddHuman(rng, options, span, legit, AccountKind.Lookalike, -1, extraCode: null, wrapper: Mix(i % s_wrappers.Length, i % Math.Max(1, spec.Campaigns), 0));
        for (int c = 0; c < spec.Campaigns; c++) world.AddCampaign(rng, options, spec, c, tasks, legit);
        return world;
    }

    private AccountProfile New(AccountProfileOptions options, AccountKind kind)
    {
        var p = new AccountProfile(options);
        Profiles.Add(p);
        Kinds.Add(kind);
        return p;
    }

    private void Observe(AccountProfile p, long template, long ticks)
    {
        p.Observe(template, ticks);
        Exchanges++;
    }

    // People: a home time zone, a lifetime, sessions of a few prompts in waking hours.
    private void AddHuman(Random rng, AccountProfileOptions options, long span, long[] pool, AccountKind kind, long popular, long[]? extraCode, long wrapper = 0)
    {
        AccountProfile p = New(options, kind);
        int zone = rng.Next(-8, 10);
        bool heavy = kind == AccountKind.HeavyCoder;
        long begin = (long)(rng.NextDouble() * span * (heavy ? 0.2 : 0.9));
        long length = heavy ? span - begin : (long)Math.Min(span - begin, -Math.Log(1 - rng.NextDouble()) * 15 * TimeSpan.TicksPerDay) + TimeSpan.TicksPerHour;
        int volume = heavy ? rng.Next(2000, 6000) : kind == AccountKind.Lookalike ? rng.Next(100, 500) : (int)Math.Clamp(Math.Exp(Math.Log(30) + rng.NextDouble() * 2.4 - 1.2), 3, 400);
        int pasted = popular >= 0 ? rng.Next(1, 4) : 0;
        int sent = 0;
        while (sent < volume)
        {
            long day = begin + (long)(rng.NextDouble() * length);
            long localHour = 8 + rng.Next(0, 15);
            long t = Start.Ticks + day / TimeSpan.TicksPerDay * TimeSpan.TicksPerDay + (localHour - zone) * TimeSpan.TicksPerHour + rng.NextInt64(TimeSpan.TicksPerHour);
            int session = heavy ? rng.Next(5, 40) : rng.Next(1, 8);
            for (int s = 0; s < session && sent < volume; s++, sent++)
            {
                long template;
                if (sent < pasted) template = popular;
                else if (kind == AccountKind.Lookalike && rng.NextDouble() < 0.5) template = wrapper;
                else if (extraCode is not null && rng.NextDouble() < 0.9) template = Mix(extraCode[rng.Next(extraCode.Length)], Profiles.Count, sent); // own code pasted in: unique text
                else template = pool[rng.Next(pool.Length)];
                Observe(p, template, t);
                t += (long)((20 + 400 * rng.NextDouble()) * TimeSpan.TicksPerSecond);
            }
        }
    }

    // One company's service keys: one batch template over varied data, every weekday in business hours
    // (UTC-5), a request every 30 s +-50 %, keys that live through the whole span and never rotate.
    private void AddFleet(Random rng, AccountProfileOptions options, WorldSpec spec)
    {
        long batchTemplate = Mix(0xB47C4, 1, 2);
        for (int k = 0; k < spec.ServiceKeys; k++)
        {
            AccountProfile p = New(options, AccountKind.ServiceKey);
            for (int d = 0; d < spec.Days; d++)
            {
                if (Start.AddDays(d).DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) continue;
                long t = Start.AddDays(d).AddHours(9 + 5).Ticks + rng.NextInt64(TimeSpan.TicksPerMinute * 10);
                long end = Start.AddDays(d).AddHours(17 + 5).Ticks;
                while (t < end)
                {
                    Observe(p, batchTemplate, t);
                    t += (long)(30 * (0.5 + rng.NextDouble()) * TimeSpan.TicksPerSecond);
                }
            }
        }
    }

    private void AddCampaign(Random rng, AccountProfileOptions options, WorldSpec spec, int campaign, long[] tasks, long[] legit)
    {
        int level = spec.Evasion;
        int splits = level switch { 0 => 1, 1 => 2, 2 => 4, _ => 8 };
        double uniqueShare = level switch { 0 => 0.0, 1 => 0.1, 2 => 0.25, _ => 0.4 };
        double camouflage = level switch { 0 => 0.0, 1 => 0.1, 2 => 0.2, _ => 0.3 };
        int wrapperCount = 3 + campaign % 3;
        int firstWrapper = rng.Next(s_wrappers.Length);
        int waves = 4;
        long span = TimeSpan.TicksPerDay * spec.Days;
        int operatorZone = 8; // a shift in a distant time zone
        for (int a = 0; a < spec.AccountsPerCampaign; a++)
        {
            AccountProfile p = New(options, AccountKind.Campaign);
            int wave = a % waves;
            long waveStart = (long)(span * (0.05 + 0.8 * wave / waves));
            long begin = waveStart + (long)(rng.NextDouble() * (level >= 3 ? 3 : 0.5) * TimeSpan.TicksPerDay);
            long length = (long)((3 + 7 * rng.NextDouble()) * TimeSpan.TicksPerDay);
            int volume = (int)Math.Exp(Math.Log(200) + rng.NextDouble() * Math.Log(10));
            int zone = level >= 3 ? rng.Next(-8, 10) : operatorZone;
            for (int e = 0; e < volume; e++)
            {
                long t = Start.Ticks + begin + (long)(rng.NextDouble() * length);
                if (level >= 2)
                {
                    // Keep to the operator's shift (level 2) or the account's fake waking hours (level 3).
                    long day = (t - Start.Ticks) / TimeSpan.TicksPerDay;
                    int hours = level >= 3 ? 15 : 8;
                    t = Start.Ticks + day * TimeSpan.TicksPerDay + (9 - zone) * TimeSpan.TicksPerHour + (long)(rng.NextDouble() * hours * TimeSpan.TicksPerHour);
                }
                long template;
                if (rng.NextDouble() < camouflage) template = legit[rng.Next(legit.Length)];
                else
                {
                    int wrapper = (firstWrapper + rng.Next(wrapperCount)) % s_wrappers.Length;
                    long task = tasks[rng.Next(tasks.Length)];
                    template = rng.NextDouble() < uniqueShare
                        ? Mix(task, campaign * 1000 + wrapper, Profiles.Count * 10_000 + e) // evaded so well it got its own id
                        : Mix(wrapper, campaign, rng.Next(splits)); // the wrapper's group, split by evasion
                }
                Observe(p, template, t);
            }
        }
    }

    private static long Mix(long a, long b, long c)
    {
        Span<long> v = [a, b, c];
        return (long)XxHash64.HashToUInt64(MemoryMarshal.AsBytes(v), 77);
    }

    private static long ExactId(string prompt) => (long)XxHash64.HashToUInt64(MemoryMarshal.AsBytes(prompt.Trim().AsSpan()), 1);

    private sealed record Pools(long[] LegitDev, long[] LegitHeld, long[] CodeDev, long[] CodeHeld, long[] TasksDev, long[] TasksHeld, long PopularDev, long PopularHeld);

    private static Pools LoadPools()
    {
        var legit = new List<(string, string)>();
        legit.AddRange(SharedData.ReadPrompts("legit_sharegpt_first_turns.jsonl.gz"));
        legit.AddRange(SharedData.ReadPrompts("legit_arena_hard.jsonl.gz"));
        var awesome = SharedData.ReadPrompts("legit_awesome_chatgpt_prompts.jsonl.gz");
        legit.AddRange(awesome);
        var code = SharedData.ReadPrompts("code_alpaca_2k_and_seeds.jsonl.gz");
        var tasks = new List<(string, string)>();
        tasks.AddRange(SharedData.ReadPrompts("code_mbpp.jsonl"));
        tasks.AddRange(SharedData.ReadPrompts("code_humaneval.jsonl"));
        (long[] dev, long[] held) Split(List<(string Id, string Prompt)> rows)
        {
            var d = new List<long>();
            var h = new List<long>();
            foreach (var (id, prompt) in rows) (SharedData.IsHeldOut(id) ? h : d).Add(ExactId(prompt));
            return ([.. d], [.. h]);
        }
        var (ld, lh) = Split(legit);
        var (cd, ch) = Split(code);
        var (td, th) = Split(tasks);
        long popularDev = 0, popularHeld = 0;
        foreach (var (id, prompt) in awesome)
        {
            if (SharedData.IsHeldOut(id)) { if (popularHeld == 0) popularHeld = ExactId(prompt); }
            else if (popularDev == 0) popularDev = ExactId(prompt);
        }
        return new Pools(ld, lh, cd, ch, td, th, popularDev, popularHeld);
    }
}
