using System.Globalization;
using System.Text;
using System.Text.Json;
using DistillDetect.Cli;
using DistillDetect.Cli.Commands;
using DistillDetect.Cli.Reports;
using DistillDetect.Tests.Detection;

namespace DistillDetect.Tests.Cli;

/// <summary>The synthetic world of the detector's tests (a campaign among hard negatives) as scan input, built once.</summary>
internal static class ScanWorld
{
    private static readonly Lazy<List<SyntheticExchange>> s_exchanges = new(() =>
        new SyntheticTraffic(seed: 5).Generate(new SyntheticTraffic.Spec { Ordinary = 150, PopularPasters = 150 }, seed: 5));

    private static readonly Lazy<byte[]> s_jsonLines = new(() => Utf8(ToJsonLines(Exchanges)));

    private static readonly Lazy<ScanReport> s_inlineReport = new(() => Run(new ScanCommand(workers: 0), JsonLinesBytes, "-").Report!);

    private static readonly Lazy<ScanReport> s_replayReport = new(() => Run(new ScanCommand(workers: 0), JsonLinesBytes, "-", "--replay").Report!);

    /// <summary>The exchanges in time order.</summary>
    public static List<SyntheticExchange> Exchanges => s_exchanges.Value;

    /// <summary>The exchanges as JSON Lines (UTF-8), in time order.</summary>
    public static byte[] JsonLinesBytes => s_jsonLines.Value;

    /// <summary>The report of a one-thread plain scan of <see cref="JsonLinesBytes"/> (shared: scans are the slow part of these tests).</summary>
    public static ScanReport InlineReport => s_inlineReport.Value;

    /// <summary>The report of a one-thread <c>--replay</c> scan of <see cref="JsonLinesBytes"/>.</summary>
    public static ScanReport ReplayReport => s_replayReport.Value;

    public static string JsonLine(string account, DateTimeOffset time, string prompt) =>
        "{\"account\":" + JsonSerializer.Serialize(account) + ",\"timestamp\":\"" +
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture) + "\",\"prompt\":" + JsonSerializer.Serialize(prompt) + "}";

    public static string ToJsonLines(IEnumerable<SyntheticExchange> exchanges)
    {
        var sb = new StringBuilder();
        foreach (SyntheticExchange e in exchanges)
        {
            sb.Append(JsonLine(e.Account, e.Timestamp, e.Prompt)).Append('\n');
        }
        return sb.ToString();
    }

    public static string ToCsv(IEnumerable<SyntheticExchange> exchanges)
    {
        var sb = new StringBuilder("timestamp,account,prompt\r\n");
        foreach (SyntheticExchange e in exchanges)
        {
            sb.Append(e.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture)).Append(',')
              .Append(e.Account).Append(",\"").Append(e.Prompt.Replace("\"", "\"\"", StringComparison.Ordinal)).Append("\"\r\n");
        }
        return sb.ToString();
    }

    /// <summary>Runs a scan command in-process; returns the exit code, the parsed report (when on stdout) and stderr.</summary>
    public static (int Code, ScanReport? Report, string Stderr) Scan(byte[] stdin, params string[] args)
    {
        using CommandContext context = CliRunner.Context(stdin, out MemoryStream stdout, out StringWriter stderr);
        int code = CommandLine.Run(args, context);
        ScanReport? report = code == 0 && stdout.Length > 0 ? JsonSerializer.Deserialize(stdout.ToArray(), ReportJsonContext.Default.ScanReport) : null;
        return (code, report, stderr.ToString());
    }

    /// <summary>Runs <paramref name="command"/> itself (not through the registered one), e.g. with one worker or small replay chunks.</summary>
    public static (int Code, ScanReport? Report, string Stderr) Run(ScanCommand command, byte[] stdin, params string[] args)
    {
        using CommandContext context = CliRunner.Context(stdin, out MemoryStream stdout, out StringWriter stderr);
        int code = command.Run(args, context);
        context.FlushOut();
        ScanReport? report = code == 0 && stdout.Length > 0 ? JsonSerializer.Deserialize(stdout.ToArray(), ReportJsonContext.Default.ScanReport) : null;
        return (code, report, stderr.ToString());
    }

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}

public sealed class ScanCommandTests
{
    private static readonly ScanCommand Inline = new(workers: 0);

    [Fact]
    public void Scan_SyntheticWorld_ReportIsConsistentAndFindsTheCampaign()
    {
        List<SyntheticExchange> world = ScanWorld.Exchanges;
        (int code, ScanReport? report, string stderr) = ScanWorld.Scan(ScanWorld.JsonLinesBytes, "scan", "-");
        Assert.Equal(0, code);
        Assert.NotNull(report);
        Assert.Equal(world.Count, report.Input.Exchanges);
        Assert.Equal(world.Select(e => e.Account).Distinct().Count(), report.Input.Accounts);
        Assert.Equal(0, report.Input.Malformed);
        Assert.Equal("jsonl", report.Input.Format);
        Assert.Null(report.Replay);
        Assert.NotEmpty(report.Campaigns);
        var campaignIds = report.Campaigns.Select(c => c.Id).ToHashSet();
        var exchangesOf = world.GroupBy(e => e.Account).ToDictionary(g => g.Key, g => (long)g.Count());
        for (int i = 0; i < report.Accounts.Count; i++)
        {
            AccountEntry a = report.Accounts[i];
            Assert.Contains(a.Campaign!, campaignIds);
            Assert.InRange(a.Score, 0, 1);
            Assert.Equal(exchangesOf[a.Account], a.Exchanges);
            Assert.Null(a.FirstFlagged);
            Assert.True(a.Signals.ContainsKey("campaign_template_share"), "signals explain the flag");
            if (i > 0) Assert.True(report.Accounts[i - 1].Score >= a.Score, "accounts are listed highest score first");
        }
        // The world's campaign is what the detector is built to find (its own tests check the figures); here:
        // the report carries it, and most flagged accounts are the campaign's.
        int campaignFlagged = report.Accounts.Count(a => a.Account.StartsWith("camp-", StringComparison.Ordinal));
        Assert.True(campaignFlagged > 0 && campaignFlagged >= 0.9 * report.Accounts.Count, $"{campaignFlagged} of {report.Accounts.Count} flagged are campaign accounts");
        Assert.Contains("campaign", stderr, StringComparison.Ordinal);
        Assert.Contains("MB/s", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Scan_MalformedLines_ReportedByLineNumberAndSkipped()
    {
        string input =
            ScanWorld.JsonLine("a", new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero), "hello there") + "\n" +
            "{\"account\": \"b\", \"timestamp\": \"not a time\", \"prompt\": \"x\"}\n" +
            ScanWorld.JsonLine("a", new DateTimeOffset(2026, 5, 1, 0, 1, 0, TimeSpan.Zero), "hello again") + "\n" +
            "{not json\n" +
            "{\"account\": \"c\", \"prompt\": \"no time\"}\n" +
            ScanWorld.JsonLine("d", new DateTimeOffset(2026, 5, 1, 0, 2, 0, TimeSpan.Zero), "bye") + "\n";
        (int code, ScanReport? report, string stderr) = ScanWorld.Run(Inline, ScanWorld.Utf8(input), "-");
        Assert.Equal(0, code);
        Assert.Equal(3, report!.Input.Exchanges);
        Assert.Equal(2, report.Input.Accounts);
        Assert.Equal(3, report.Input.Malformed);
        Assert.Contains("line 2:", stderr, StringComparison.Ordinal);
        Assert.Contains("line 4:", stderr, StringComparison.Ordinal);
        Assert.Contains("line 5:", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("line 3:", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Scan_CsvInput_GivesTheSameReportAsJsonLines()
    {
        List<SyntheticExchange> world = ScanWorld.Exchanges;
        using var dir = new TempDirectory();
        string csv = dir.Write("traffic.csv", ScanWorld.ToCsv(world));
        (int code, ScanReport? fromCsv, _) = ScanWorld.Run(Inline, [], csv);
        Assert.Equal(0, code);
        ScanReport fromJson = ScanWorld.InlineReport;
        Assert.Equal("csv", fromCsv!.Input.Format);
        Assert.Equal(fromJson.Input.Exchanges, fromCsv.Input.Exchanges);
        Assert.Equal(AccountsAndScores(fromJson), AccountsAndScores(fromCsv));
        Assert.Equal(fromJson.Campaigns.Select(c => c.Accounts.Count), fromCsv.Campaigns.Select(c => c.Accounts.Count));
    }

    [Fact]
    public void Scan_FormatOption_OverridesTheExtension()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("traffic.txt", "account,timestamp,prompt\nx,1714521600,\"one two three\"\n");
        (int code, ScanReport? report, _) = ScanWorld.Run(Inline, [], path, "--format", "csv");
        Assert.Equal(0, code);
        Assert.Equal(1, report!.Input.Exchanges);
        (int bad, _, string stderr) = ScanWorld.Scan([], "scan", path, "--format", "xml");
        Assert.Equal(2, bad);
        Assert.Contains("--format", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Scan_UnsortedInput_CountsOutOfOrderArrivalsAndKeepsTotals()
    {
        List<SyntheticExchange> world = ScanWorld.Exchanges;
        var shuffled = world.ToList();
        new Random(3).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(shuffled));
        // Reference: an exchange is out of order when its account already sent a later one (input order).
        var latest = new Dictionary<string, DateTimeOffset>();
        long expected = 0;
        foreach (SyntheticExchange e in shuffled)
        {
            if (latest.TryGetValue(e.Account, out DateTimeOffset t) && e.Timestamp < t) expected++;
            else latest[e.Account] = e.Timestamp;
        }
        Assert.True(expected > 1000);
        (int code, ScanReport? report, string stderr) = ScanWorld.Scan(ScanWorld.Utf8(ScanWorld.ToJsonLines(shuffled)), "scan", "-");
        Assert.Equal(0, code);
        Assert.Equal(world.Count, report!.Input.Exchanges);
        Assert.Contains(expected.ToString("N0", CultureInfo.InvariantCulture) + " exchanges arrived out of time order", stderr, StringComparison.Ordinal);
        foreach (AccountEntry a in report.Accounts)
        {
            Assert.True(a.Signals.TryGetValue("out_of_order", out double n) && n >= 0 && n < a.Exchanges);
        }
    }

    [Fact]
    public void Scan_EmptyInput_WritesAnEmptyReportAndExits0()
    {
        foreach (string input in new[] { "", "\n\n  \n" })
        {
            (int code, ScanReport? report, string stderr) = ScanWorld.Run(Inline, ScanWorld.Utf8(input), "-");
            Assert.Equal(0, code);
            Assert.Equal(0, report!.Input.Exchanges);
            Assert.Empty(report.Campaigns);
            Assert.Empty(report.Accounts);
            Assert.Contains("0 exchanges", stderr, StringComparison.Ordinal);
        }
        (int replayCode, ScanReport? replay, _) = ScanWorld.Run(Inline, [], "-", "--replay");
        Assert.Equal(0, replayCode);
        Assert.NotNull(replay!.Replay);
        Assert.Empty(replay.Replay.Activity);
    }

    [Fact]
    public void Scan_TenMegabytePrompt_IsObservedLikeAnyOther()
    {
        string huge = string.Create(10 << 20, 0, static (span, _) =>
        {
            for (int i = 0; i < span.Length; i++) span[i] = (i % 7) == 6 ? ' ' : (char)('a' + (i * 31 % 26));
        });
        var t = new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero);
        string input = ScanWorld.JsonLine("big", t, huge) + "\n" + ScanWorld.JsonLine("small", t.AddSeconds(1), "a short prompt here") + "\n";
        foreach (ScanCommand command in new[] { Inline, new ScanCommand(workers: 2) })
        {
            (int code, ScanReport? report, _) = ScanWorld.Run(command, ScanWorld.Utf8(input), "-");
            Assert.Equal(0, code);
            Assert.Equal(2, report!.Input.Exchanges);
            Assert.Equal(2, report.Input.Accounts);
            Assert.True(report.Input.Bytes > 10 << 20);
        }
    }

    [Fact]
    public void Scan_OutputFile_WritesTheReportThereAndNothingOnStdout()
    {
        using var dir = new TempDirectory();
        string input = dir.Write("in.jsonl", ScanWorld.JsonLine("a", DateTimeOffset.UnixEpoch, "some prompt text") + "\n");
        string output = dir.File("report.json");
        CliRunner.Result r = CliRunner.Run(null, "scan", input, "--output", output);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Stdout);
        ScanReport report = JsonSerializer.Deserialize(File.ReadAllBytes(output), ReportJsonContext.Default.ScanReport)!;
        Assert.Equal(1, report.Input.Exchanges);
        Assert.Equal(input, report.Input.Source);
    }

    [Fact]
    public void Scan_MissingInput_Exits2AndMissingFile_Exits1()
    {
        Assert.Equal(2, CliRunner.Run(null, "scan").ExitCode);
        CliRunner.Result r = CliRunner.Run(null, "scan", Path.Combine(Path.GetTempPath(), "dd-no-such-input-" + Guid.NewGuid().ToString("N") + ".jsonl"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("not found", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Scan_ParallelWorkers_GiveTheSameTalliesAsOneThread()
    {
        List<SyntheticExchange> world = ScanWorld.Exchanges;
        ScanReport one = ScanWorld.InlineReport;
        (_, ScanReport? two, _) = ScanWorld.Run(new ScanCommand(workers: 2), ScanWorld.JsonLinesBytes, "-");
        Assert.Equal(one.Input, two!.Input);
        // Template founding races between threads may split a new template in two, so flags may differ at
        // the margin; the campaign is found either way and exchange counts are exact.
        Assert.NotEmpty(two.Campaigns);
        foreach (AccountEntry a in two.Accounts)
        {
            Assert.Equal(world.Count(e => e.Account == a.Account), a.Exchanges);
        }
    }

    private static List<(string, double)> AccountsAndScores(ScanReport report) =>
        report.Accounts.Select(a => (a.Account, Math.Round(a.Score, 9))).OrderBy(x => x.Account, StringComparer.Ordinal).ToList();
}
