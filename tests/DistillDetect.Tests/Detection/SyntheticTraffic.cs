using System.Text;

namespace DistillDetect.Tests.Detection;

/// <summary>Who sent an exchange in the synthetic world (public because theory data uses it).</summary>
public enum Population { Ordinary, Campaign, HeavyCoder, ServiceKey, PopularPaster }

/// <summary>One synthetic request.</summary>
internal readonly record struct SyntheticExchange(string Account, DateTimeOffset Timestamp, string Prompt, Population Population);

/// <summary>
/// A small deterministic world for detector tests (fixed seed, everything generated here): a campaign whose
/// accounts arrive in waves, rotate, run four reasoning-eliciting wrappers around varied coding tasks with machine
/// timing; and the hard negatives: heavy individual coders (varied prompts, human sessions, long-lived), one
/// company's service keys (one batch template over varied tickets, machine timing in business hours, keys that
/// live through the whole span), people who paste one popular prompt once among their own varied prompts, and
/// ordinary users. Varied text is built from random pseudo-words, so near-duplicates arise only where a wrapper
/// or the popular prompt intends them.
/// </summary>
internal sealed class SyntheticTraffic
{
    public static readonly DateTimeOffset Start = new(2026, 4, 20, 0, 0, 0, TimeSpan.Zero); // a Monday

    public static readonly string[] Wrappers =
    [
        "Think step by step and write out your complete reasoning before answering. Then give the full working code with comments for this task:\n{0}\nExplain every design decision you made in detail.",
        "You are an expert software engineer. Reason carefully through each step of the problem, showing all intermediate thoughts.\nTask: {0}\nFinish with the final solution in a single code block and a short proof of correctness.",
        "Solve the following programming problem. First list the subproblems, then reason about each one explicitly, then produce the code.\n{0}\nDo not skip any step of your chain of thought.",
        "Act as a senior developer mentoring a student. Walk through your full reasoning and all alternatives you considered for the task below.\n{0}\nThen write the complete implementation and its unit tests.",
    ];

    public const string PopularPrompt = "I want you to act as a Linux terminal. I will type commands and you will reply with what the terminal should show. I want you to only reply with the terminal output inside one unique code block, and nothing else.";

    public const string BatchTemplate = "Summarize the following support ticket in 3 bullet points for the weekly report:\n{0}";

    private readonly string[] _vocabulary;

    public SyntheticTraffic(int seed)
    {
        var random = new Random(seed);
        string[] syllables = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "pe", "da", "gu", "fi", "ho", "je", "wa", "zu", "be", "co", "xi", "ya"];
        var words = new HashSet<string>(StringComparer.Ordinal);
        while (words.Count < 5000)
        {
            int n = 2 + random.Next(3);
            var sb = new StringBuilder();
            for (int i = 0; i < n; i++) sb.Append(syllables[random.Next(syllables.Length)]);
            words.Add(sb.ToString());
        }
        _vocabulary = [.. words];
    }

    /// <summary>Random text of <paramref name="sentences"/> sentences of 8 to 16 pseudo-words each.</summary>
    public string Text(Random random, int sentences)
    {
        var sb = new StringBuilder();
        for (int s = 0; s < sentences; s++)
        {
            int words = 8 + random.Next(9);
            for (int w = 0; w < words; w++)
            {
                if (w > 0) sb.Append(' ');
                sb.Append(_vocabulary[random.Next(_vocabulary.Length)]);
            }
            sb.Append(". ");
        }
        return sb.ToString();
    }

    public sealed record Spec
    {
        public int CampaignAccounts { get; init; } = 60;
        public int CampaignWaves { get; init; } = 3;
        public int CampaignExchangesPerAccount { get; init; } = 60;
        public int HeavyCoders { get; init; } = 5;
        public int HeavyCoderExchanges { get; init; } = 300;
        public int ServiceKeys { get; init; } = 20;
        public int ServiceKeyExchanges { get; init; } = 150;
        public int PopularPasters { get; init; } = 200;
        public int Ordinary { get; init; } = 200;
        public int Days { get; init; } = 14;
    }

    /// <summary>All exchanges of the world, sorted by time.</summary>
    public List<SyntheticExchange> Generate(Spec spec, int seed)
    {
        var random = new Random(seed);
        var list = new List<SyntheticExchange>();
        double days = spec.Days;

        // Campaign: waves start at evenly spaced days; each account lives ~1.5 days, fixed 60-300 s interval with +-50 % jitter.
        for (int a = 0; a < spec.CampaignAccounts; a++)
        {
            string name = $"camp-{a:D4}";
            int wave = a % spec.CampaignWaves;
            DateTimeOffset t = Start + TimeSpan.FromDays(wave * days / spec.CampaignWaves + random.NextDouble() * 0.2);
            double interval = 60 + random.Next(240);
            for (int i = 0; i < spec.CampaignExchangesPerAccount; i++)
            {
                string wrapper = Wrappers[random.Next(Wrappers.Length)];
                list.Add(new(name, t, wrapper.Replace("{0}", Text(random, 2 + random.Next(4)), StringComparison.Ordinal), Population.Campaign));
                t += TimeSpan.FromSeconds(interval * (0.5 + random.NextDouble()));
            }
        }

        // Heavy coders: sessions of 5-20 prompts a minute or two apart, several sessions a day in daytime, the whole span.
        for (int a = 0; a < spec.HeavyCoders; a++)
        {
            string name = $"coder-{a:D4}";
            int sent = 0;
            for (int day = 0; sent < spec.HeavyCoderExchanges; day = (day + 1) % spec.Days)
            {
                int sessions = 1 + random.Next(3);
                for (int s = 0; s < sessions && sent < spec.HeavyCoderExchanges; s++)
                {
                    DateTimeOffset t = Start + TimeSpan.FromDays(day) + TimeSpan.FromHours(8 + random.NextDouble() * 12);
                    int prompts = 5 + random.Next(16);
                    for (int p = 0; p < prompts && sent < spec.HeavyCoderExchanges; p++, sent++)
                    {
                        list.Add(new(name, t, "Help me with my code. " + Text(random, 2 + random.Next(5)), Population.HeavyCoder));
                        t += TimeSpan.FromSeconds(20 + random.Next(300));
                    }
                }
            }
        }

        // Service keys: one batch template over varied tickets, a fixed 5 min interval +-10 % in business hours (9-17 UTC), weekdays, the whole span.
        for (int a = 0; a < spec.ServiceKeys; a++)
        {
            string name = $"svc-{a:D4}";
            DateTimeOffset t = Start + TimeSpan.FromHours(9) + TimeSpan.FromSeconds(random.Next(300));
            int perDay = Math.Max(1, spec.ServiceKeyExchanges / Math.Max(1, spec.Days * 5 / 7));
            int sent = 0;
            while (sent < spec.ServiceKeyExchanges)
            {
                for (int day = 0; day < spec.Days && sent < spec.ServiceKeyExchanges; day++)
                {
                    DateTimeOffset dayStart = Start + TimeSpan.FromDays(day);
                    if (dayStart.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) continue;
                    DateTimeOffset u = dayStart + TimeSpan.FromHours(9) + TimeSpan.FromSeconds(random.Next(600));
                    for (int i = 0; i < perDay && sent < spec.ServiceKeyExchanges; i++, sent++)
                    {
                        list.Add(new(name, u, BatchTemplate.Replace("{0}", Text(random, 2 + random.Next(3)), StringComparison.Ordinal), Population.ServiceKey));
                        u += TimeSpan.FromSeconds(300 * (0.9 + 0.2 * random.NextDouble()));
                    }
                }
                t = Start;
            }
        }

        // Popular prompt: each person pastes it once among 5-15 of their own prompts, at human times over the span.
        for (int a = 0; a < spec.PopularPasters; a++)
        {
            string name = $"paste-{a:D4}";
            int own = 5 + random.Next(11);
            int pasteAt = random.Next(own + 1);
            for (int i = 0; i <= own; i++)
            {
                DateTimeOffset t = Start + TimeSpan.FromDays(random.NextDouble() * days);
                string prompt = i == pasteAt ? PopularPrompt : Text(random, 1 + random.Next(4));
                list.Add(new(name, t, prompt, Population.PopularPaster));
            }
        }

        // Ordinary users: a handful of varied prompts at random times.
        for (int a = 0; a < spec.Ordinary; a++)
        {
            string name = $"user-{a:D4}";
            int count = 1 + random.Next(20);
            for (int i = 0; i < count; i++)
            {
                list.Add(new(name, Start + TimeSpan.FromDays(random.NextDouble() * days), Text(random, 1 + random.Next(4)), Population.Ordinary));
            }
        }

        list.Sort(static (a, b) => a.Timestamp.CompareTo(b.Timestamp));
        return list;
    }
}
