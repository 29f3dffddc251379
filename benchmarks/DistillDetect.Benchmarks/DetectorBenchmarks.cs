using System.Text;
using BenchmarkDotNet.Attributes;
using DistillDetect.Detection;
using DistillDetect.Fingerprints;

namespace DistillDetect.Benchmarks;

/// <summary>
/// The detector's request path and its background analysis. <see cref="Observe"/>: a known account sends a
/// 2 KB prompt of a known template (0 B expected; the setup prints whether the analysis tied any template to a
/// campaign, which decides whether the campaign branch of the path is taken); its baseline is the template assignment
/// alone, so the Ratio column is the detector's overhead. <see cref="Analyze"/>: cohort analysis over 10,000
/// accounts (300 campaign accounts in waves, the rest ordinary users with varied prompts).
/// </summary>
[MemoryDiagnoser]
public class DetectorBenchmarks
{
    private const string Wrapper = "Think step by step and write out your complete reasoning before answering. Then give the full working code with comments for this task:\n{0}\nExplain every design decision you made in detail.";
    private static readonly string[] Wrappers =
    [
        Wrapper,
        "You are an expert software engineer. Reason carefully through each step of the problem, showing all intermediate thoughts.\nTask: {0}\nFinish with the final solution in a single code block and a short proof of correctness.",
        "Solve the following programming problem. First list the subproblems, then reason about each one explicitly, then produce the code.\n{0}\nDo not skip any step of your chain of thought.",
    ];

    private DistillationDetector _observe = null!;
    private TemplateIndex _index = null!;
    private DistillationDetector _analyze = null!;
    private string _prompt = null!;
    private string _account = null!;
    private DateTimeOffset _time;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        string[] vocabulary = Vocabulary(random);
        var start = new DateTimeOffset(2026, 4, 22, 0, 0, 0, TimeSpan.Zero);

        // Analyze: 10,000 accounts; 300 campaign accounts in 3 waves with machine timing, 9,700 users with varied prompts.
        _analyze = new DistillationDetector();
        for (int a = 0; a < 300; a++)
        {
            DateTimeOffset t = start + TimeSpan.FromDays(a % 3 * 2);
            for (int i = 0; i < 20; i++)
            {
                _analyze.Observe($"campaign-{a:D5}", t, Wrappers[i % Wrappers.Length].Replace("{0}", Text(random, vocabulary, 3), StringComparison.Ordinal));
                t += TimeSpan.FromSeconds(60 + random.Next(120));
            }
        }
        for (int a = 0; a < 9700; a++)
        {
            int count = 1 + random.Next(10);
            for (int i = 0; i < count; i++)
            {
                _analyze.Observe($"user-{a:D5}", start + TimeSpan.FromHours(random.NextDouble() * 24 * 7), Text(random, vocabulary, 2));
            }
        }
        _analyze.Analyze();

        // Observe: the analyzed detector, a campaign account and a 2 KB prompt of its first wrapper.
        _observe = DistillationDetector.FromBytes(_analyze.ToBytes());
        _account = "campaign-00000";
        _prompt = Wrapper.Replace("{0}", Text(random, vocabulary, 22), StringComparison.Ordinal);
        _time = start + TimeSpan.FromDays(8);
        _index = new TemplateIndex();
        for (int i = 0; i < 20; i++) _index.Assign(Wrapper.Replace("{0}", Text(random, vocabulary, 3), StringComparison.Ordinal));
        Console.WriteLine($"// prompt chars {_prompt.Length}; campaign templates {_observe.CampaignTemplateCount}; accounts {_analyze.AccountCount}");
    }

    /// <summary>The template assignment alone (the part of Observe that the template index does).</summary>
    [Benchmark(Baseline = true)]
    public long AssignTemplateOnly() => _index.Assign(_prompt);

    /// <summary>Observe for a known account and a known template: the whole request path.</summary>
    [Benchmark]
    public RequestVerdict Observe()
    {
        _time = _time.AddSeconds(1);
        return _observe.Observe(_account.AsSpan(), _time, _prompt.AsSpan());
    }

    /// <summary>A full analysis of 10,000 accounts.</summary>
    [Benchmark]
    public int Analyze() => _analyze.Analyze().Accounts.Count;

    private static string[] Vocabulary(Random random)
    {
        string[] syllables = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "pe", "da", "gu", "fi", "ho", "je", "wa", "zu"];
        var words = new HashSet<string>(StringComparer.Ordinal);
        while (words.Count < 4000)
        {
            var sb = new StringBuilder();
            for (int i = 0, n = 2 + random.Next(3); i < n; i++) sb.Append(syllables[random.Next(syllables.Length)]);
            words.Add(sb.ToString());
        }
        return [.. words];
    }

    private static string Text(Random random, string[] vocabulary, int sentences)
    {
        var sb = new StringBuilder();
        for (int s = 0; s < sentences; s++)
        {
            for (int w = 0, n = 8 + random.Next(9); w < n; w++)
            {
                if (w > 0) sb.Append(' ');
                sb.Append(vocabulary[random.Next(vocabulary.Length)]);
            }
            sb.Append(". ");
        }
        return sb.ToString();
    }
}
