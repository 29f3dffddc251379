using DistillDetect.Detection;
using DistillDetect.Fingerprints;

namespace DistillDetect.Tests.Readme;

/// <summary>
/// The README's code example, compiled and run here. The text between the markers below must appear
/// verbatim in README.md, so the example cannot drift from code that works (the nietras/Sep habit).
/// </summary>
public class ReadmeExampleTests
{
    [Fact]
    public void Example_RunsAndMatchesReadme()
    {
        var lines = new List<string>();
        Action<string> print = lines.Add;
        var start = new DateTimeOffset(2026, 4, 22, 8, 0, 0, TimeSpan.Zero);
        (string Account, DateTimeOffset Time, string Prompt)[] requests = MakeRequests(start);

        // README-EXAMPLE-BEGIN
        var detector = new DistillationDetector();

        // On every request, from any number of gateway threads (no allocation for a known account):
        foreach (var (account, time, prompt) in requests)
        {
            RequestVerdict verdict = detector.Observe(account, time, prompt);
            if (verdict.IsAccountFlagged)
            {
                // e.g. throttle the account or send it to review
            }
        }

        // In the background, every few minutes:
        DetectionReport report = detector.Analyze();
        foreach (CampaignFinding campaign in report.Campaigns)
        {
            print($"campaign {campaign.Id}: {campaign.Accounts.Count} accounts, {campaign.Exchanges} exchanges, score {campaign.Score:F2}");
        }
        // README-EXAMPLE-END

        Assert.Equal(requests.Length, detector.ExchangeCount);
        Assert.Equal(report.Campaigns.Count, lines.Count);
        Assert.All(lines, l => Assert.StartsWith("campaign ", l, StringComparison.Ordinal));

        string source = File.ReadAllText(Path.Combine(RepositoryRoot(), "tests", "DistillDetect.Tests", "Readme", "ReadmeExampleTests.cs"));
        string example = Between(source, "// README-EXAMPLE-BEGIN", "        // README-EXAMPLE-END");
        string readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        string unindented = string.Join('\n', example.Split('\n').Select(l => l.Length >= 8 ? l[8..] : l.TrimStart())).Trim();
        Assert.Contains(unindented, readme.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void PrimitivesExample_DisguisedCopy_EstimatesJaccardOne()
    {
        // PRIMITIVES-EXAMPLE-BEGIN
        var hasher = new MinHasher();                                  // 128 values, one-permutation hashing
        Span<uint> a = stackalloc uint[hasher.HashCount], b = stackalloc uint[hasher.HashCount];
        hasher.Compute("Think step by step, then give the complete code: sort a list", a);
        hasher.Compute("Тhink  step by step,\u200b then give the complete code: sort a list", b); // Cyrillic T, zero-width space
        double j = MinHashSignature.EstimateJaccard(a, b);             // 1.0: the disguise is folded away
        // PRIMITIVES-EXAMPLE-END

        Assert.Equal(1.0, j);
        string source = File.ReadAllText(Path.Combine(RepositoryRoot(), "tests", "DistillDetect.Tests", "Readme", "ReadmeExampleTests.cs"));
        string example = Between(source, "// PRIMITIVES-EXAMPLE-BEGIN", "        // PRIMITIVES-EXAMPLE-END");
        string unindented = string.Join('\n', example.Split('\n').Select(l => l.Length >= 8 ? l[8..] : l.TrimStart())).Trim();
        string readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md")).Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.Contains(unindented, readme, StringComparison.Ordinal);
    }

    /// <summary>A small campaign (shared reasoning wrappers, machine timing) among ordinary users.</summary>
    private static (string, DateTimeOffset, string)[] MakeRequests(DateTimeOffset start)
    {
        var rng = new Random(7);
        string[] wrappers =
        [
            "Think step by step and show all of your reasoning before you answer, then give the complete code.\n\nTask: ",
            "You are an expert engineer. Explain each decision in detail, step by step, and finish with a full working program.\n\nProblem: ",
        ];
        string[] verbs = ["parse", "sort", "merge", "validate", "compress", "index", "cache", "schedule"];
        string[] things = ["log files", "invoices", "graphs", "matrices", "user records", "sensor readings", "routes", "emails"];
        var list = new List<(string, DateTimeOffset, string)>();
        for (int a = 0; a < 12; a++)
        {
            DateTimeOffset t = start.AddMinutes(a * 7);
            for (int i = 0; i < 40; i++)
            {
                t = t.AddSeconds(60 + rng.Next(-30, 30));
                string task = $"Write a function that {verbs[rng.Next(verbs.Length)]}s {things[rng.Next(things.Length)]} number {i} for service {rng.Next(1000)}, handling errors and edge cases {rng.Next(100)}.";
                list.Add(($"bot-{a}", t, wrappers[i % 2] + task));
            }
        }
        for (int u = 0; u < 30; u++)
        {
            DateTimeOffset t = start.AddHours(rng.Next(0, 10));
            for (int i = 0; i < 5; i++)
            {
                t = t.AddMinutes(rng.Next(1, 90));
                list.Add(($"user-{u}", t, $"Could you help me plan a {things[rng.Next(things.Length)]} project {u}-{i}? I am thinking about {verbs[rng.Next(verbs.Length)]} step {rng.Next(50)}."));
            }
        }
        list.Sort((x, y) => x.Item2.CompareTo(y.Item2));
        return [.. list];
    }

    private static string Between(string text, string begin, string end)
    {
        int b = text.IndexOf(begin, StringComparison.Ordinal);
        int e = text.IndexOf(end, b, StringComparison.Ordinal);
        return text[(b + begin.Length)..e].Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DistillDetect.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("DistillDetect.sln not found above the test's directory.");
    }
}
