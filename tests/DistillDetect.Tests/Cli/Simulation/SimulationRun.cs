using System.Collections.Concurrent;
using DistillDetect.Cli.Simulation;

namespace DistillDetect.Tests.Cli.Simulation;

/// <summary>
/// One enumeration per (seed, scale, evasion, lists), shared by the tests that inspect it, so the suite stays fast:
/// every campaign and hard-negative exchange is kept; ordinary users only as counts plus a sample.
/// </summary>
internal sealed class SimulationRun
{
    private static readonly ConcurrentDictionary<string, Lazy<SimulationRun>> s_runs = new(StringComparer.Ordinal);

    public const double SmallScale = 0.0005;

    private SimulationRun(SimulationOptions options)
    {
        Simulator = new TrafficSimulator(options);
        SimulationTruth truth = Simulator.Truth;
        long previousTicks = long.MinValue;
        foreach (SimulatedExchange e in Simulator)
        {
            Total++;
            long ticks = e.Timestamp.UtcTicks;
            if (ticks < previousTicks)
            {
                Nondecreasing = false;
            }
            previousTicks = ticks;
            MinTimestamp = Total == 1 ? e.Timestamp : MinTimestamp;
            MaxTimestamp = e.Timestamp;
            if (e.Timestamp.Offset != TimeSpan.Zero || ticks % TimeSpan.TicksPerMillisecond != 0)
            {
                AllUtcWholeMilliseconds = false;
            }
            CountByAccount[e.Account] = CountByAccount.GetValueOrDefault(e.Account) + 1;
            if (truth.IsCampaignAccount(e.Account))
            {
                Campaign.Add(e);
            }
            else if (truth.HardNegativeGroupOf(e.Account) is { } kind)
            {
                (HardNegatives.TryGetValue(kind, out var list) ? list : HardNegatives[kind] = []).Add(e);
            }
            else
            {
                OrdinaryExchanges++;
                if (HasNoise(e.Prompt))
                {
                    OrdinaryWithNoise++;
                }
                if (OrdinarySample.Count < 3000)
                {
                    OrdinarySample.Add(e.Prompt);
                }
            }
        }
    }

    public TrafficSimulator Simulator { get; }

    public long Total { get; }

    public bool Nondecreasing { get; } = true;

    public bool AllUtcWholeMilliseconds { get; } = true;

    public DateTimeOffset MinTimestamp { get; }

    public DateTimeOffset MaxTimestamp { get; }

    public Dictionary<string, int> CountByAccount { get; } = new(StringComparer.Ordinal);

    public List<SimulatedExchange> Campaign { get; } = [];

    public Dictionary<string, List<SimulatedExchange>> HardNegatives { get; } = new(StringComparer.Ordinal);

    public long OrdinaryExchanges { get; }

    public long OrdinaryWithNoise { get; }

    public List<string> OrdinarySample { get; } = [];

    public static SimulationRun Get(int evasion, double scale = SmallScale, long seed = 11) =>
        Get(new SimulationOptions { Seed = seed, Scale = scale, Evasion = evasion });

    public static SimulationRun Get(SimulationOptions options, string? key = null) =>
        s_runs.GetOrAdd(key ?? $"{options.Seed}/{options.Scale}/{options.Evasion}", _ => new Lazy<SimulationRun>(() => new SimulationRun(options))).Value;

    /// <summary>Zero-width characters or the Cyrillic look-alikes the simulator uses.</summary>
    public static bool HasNoise(string text)
    {
        foreach (char c in text)
        {
            if (Array.IndexOf(EvasionNoise.ZeroWidth, c) >= 0 || c is >= '\u0400' and <= '\u04FF')
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Undoes the level-1 noise: drops zero-width characters, maps look-alikes back, collapses whitespace.</summary>
    public static string Clean(string text)
    {
        const string from = "\u0430\u0441\u0435\u043E\u0440\u0445\u0443\u0456\u0455\u0458\u0410\u0412\u0421\u0415\u041D\u041A\u041C\u041E\u0420\u0422\u0425";
        const string to = "aceopxyisjABCEHKMOPTX";
        var sb = new System.Text.StringBuilder(text.Length);
        foreach (char c in text)
        {
            if (Array.IndexOf(EvasionNoise.ZeroWidth, c) >= 0)
            {
                continue;
            }
            int k = from.IndexOf(c, StringComparison.Ordinal);
            char d = k >= 0 ? to[k] : char.IsWhiteSpace(c) ? ' ' : c;
            if (d == ' ' && sb.Length > 0 && sb[^1] == ' ')
            {
                continue;
            }
            sb.Append(d);
        }
        return sb.ToString().Trim();
    }

    /// <summary>Collapses whitespace the same way <see cref="Clean"/> does.</summary>
    public static string Squash(string text) => Clean(text);
}
