using System.Text.Json;

namespace DistillDetect.Tests.Cli.Commands;

public sealed class EvaluateCommandTests
{
    // Flags a1, a2, a3 (campaign) and x1 (a hard-negative coder), and a1 twice (counted once).
    // Truth: campaign accounts a1..a5 in two campaigns; hard negatives x1, x2 (coders), k1 (keys).
    // TP = 3 (a1, a2, a3), FP = 1 (x1), FN = 2 (a4, a5).
    // precision = 3/4 = 0.75, recall = 3/5 = 0.6, F1 = 2 * 0.75 * 0.6 / 1.35 = 0.9 / 1.35 = 2/3.
    private const string Report = """
        {"input": {"exchanges": 100, "accounts": 9, "malformed": 0},
         "campaigns": [{"id": "c1", "score": 0.9, "accounts": ["a1", "a2", "a3", "x1"], "exchanges": 50,
                        "templates": [{"id": "t1", "count": 40, "example": "Think step by step: {task}"}],
                        "signals": {"template_share": 0.8}}],
         "accounts": [
           {"account": "a1", "score": 0.95, "campaign": "c1"},
           {"account": "a2", "score": 0.90, "campaign": "c1"},
           {"account": "a3", "score": 0.85, "campaign": "c1"},
           {"account": "x1", "score": 0.60, "campaign": "c1"},
           {"account": "a1", "score": 0.95, "campaign": "c1"}],
         "some_future_field": {"ignored": true}}
        """;

    private const string Truth = """
        {"campaign_accounts": ["a1", "a2", "a3", "a4", "a5"],
         "campaigns": {"c-alpha": ["a1", "a2"], "c-beta": ["a3"], "c-gamma": ["a4", "a5"]},
         "hard_negative_groups": {"heavy_coders": ["x1", "x2"], "service_keys": ["k1"]}}
        """;

    // Replay: campaign accounts a1 (10 exchanges, first seen 01:00, flagged 04:30 after 6), a2 (20, first seen
    // 00:30, flagged 03:00 after 4), a3 (5, never flagged). x1 flagged at 02:00 but is not a campaign account,
    // so it must not count as the first campaign alert.
    // time to first alert = 03:00 - 00:30 = 2.5 h; share = (6 + 4 + 5) / (10 + 20 + 5) = 15/35 = 3/7.
    private const string ReplayReport = """
        {"input": {"exchanges": 45, "accounts": 4, "malformed": 0}, "campaigns": [],
         "accounts": [
           {"account": "a1", "score": 0.9, "campaign": "c1", "first_flagged": "2026-04-22T04:30:00Z", "exchanges_before_flagged": 6},
           {"account": "a2", "score": 0.9, "campaign": "c1", "first_flagged": "2026-04-22T05:00:00+02:00", "exchanges_before_flagged": 4},
           {"account": "x1", "score": 0.5, "campaign": "c1", "first_flagged": "2026-04-22T02:00:00Z", "exchanges_before_flagged": 1}],
         "replay": {"start": "2026-04-22T00:00:00Z", "end": "2026-04-22T12:00:00Z", "analysis_interval_seconds": 3600, "analyses": 12,
           "activity": [
             {"account": "a1", "exchanges": 10, "first_seen": "2026-04-22T01:00:00Z", "last_seen": "2026-04-22T09:00:00Z"},
             {"account": "a2", "exchanges": 20, "first_seen": "2026-04-22T00:30:00Z", "last_seen": "2026-04-22T09:00:00Z"},
             {"account": "a3", "exchanges": 5, "first_seen": "2026-04-22T02:00:00Z", "last_seen": "2026-04-22T09:00:00Z"},
             {"account": "x1", "exchanges": 10, "first_seen": "2026-04-22T00:00:00Z", "last_seen": "2026-04-22T09:00:00Z"}]}}
        """;

    private const string ReplayTruth = """{"campaign_accounts": ["a1", "a2", "a3"]}""";

    [Fact]
    public void Evaluate_Text_PrintsHandComputedPrecisionRecallF1()
    {
        using var dir = new TempDirectory();
        var r = CliRunner.Run(null, "evaluate", dir.Write("report.json", Report), dir.Write("truth.json", Truth));
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("true positives 3, false positives 1, false negatives 2", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("precision 0.7500  recall 0.6000  F1 0.6667", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("campaigns detected: 2 of 3", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("hard negatives flagged: 1 of 3 accounts; groups flagged: 1 of 2 (heavy_coders: 1 of 2)", r.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("time to first", r.Stdout, StringComparison.Ordinal);
        Assert.Equal("", r.Stderr);
    }

    [Fact]
    public void Evaluate_Json_HasHandComputedValues()
    {
        using var dir = new TempDirectory();
        var r = CliRunner.Run(null, "evaluate", dir.Write("report.json", Report), dir.Write("truth.json", Truth), "--json");
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Stdout);
        JsonElement root = doc.RootElement;
        Assert.Equal(4, root.GetProperty("flagged_accounts").GetInt64());
        Assert.Equal(3, root.GetProperty("true_positives").GetInt64());
        Assert.Equal(1, root.GetProperty("false_positives").GetInt64());
        Assert.Equal(2, root.GetProperty("false_negatives").GetInt64());
        Assert.Equal(0.75, root.GetProperty("precision").GetDouble(), 12);
        Assert.Equal(0.6, root.GetProperty("recall").GetDouble(), 12);
        Assert.Equal(2.0 / 3.0, root.GetProperty("f1").GetDouble(), 12);
        Assert.Equal(1, root.GetProperty("hard_negative_groups_flagged").GetInt64());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("replay").ValueKind);
    }

    [Fact]
    public void Evaluate_ReplayReport_GivesTimeToFirstAlertAndShareServedBeforeFlagging()
    {
        using var dir = new TempDirectory();
        var r = CliRunner.Run(null, "evaluate", dir.Write("r.json", ReplayReport), dir.Write("t.json", ReplayTruth), "--json");
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Stdout);
        JsonElement replay = doc.RootElement.GetProperty("replay");
        Assert.Equal(2.5, replay.GetProperty("time_to_first_alert_hours").GetDouble(), 12);
        Assert.Equal(35, replay.GetProperty("campaign_exchanges").GetInt64());
        Assert.Equal(15, replay.GetProperty("campaign_exchanges_before_flagged").GetInt64());
        Assert.Equal(3.0 / 7.0, replay.GetProperty("share_served_before_flagged").GetDouble(), 12);

        var text = CliRunner.Run(null, "evaluate", dir.File("r.json"), dir.File("t.json"));
        Assert.Contains("time to first campaign alert: 2.50 h (campaign start 2026-04-22T00:30:00Z, first alert 2026-04-22T03:00:00Z)", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("campaign exchanges served before flagging: 42.86 % (15 of 35)", text.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_NothingFlagged_PrecisionIsNotApplicable()
    {
        using var dir = new TempDirectory();
        var r = CliRunner.Run(null, "evaluate", dir.Write("r.json", """{"accounts": []}"""), dir.Write("t.json", """{"campaign_accounts": ["a"]}"""));
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("precision n/a  recall 0.0000  F1 n/a", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_ReportFromStdin_Works()
    {
        using var dir = new TempDirectory();
        var r = CliRunner.Run(Report, "evaluate", "-", dir.Write("truth.json", Truth));
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("precision 0.7500", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_OutputFile_WritesFileAndNothingToStdout()
    {
        using var dir = new TempDirectory();
        string output = dir.File("eval.json");
        var r = CliRunner.Run(null, "evaluate", dir.Write("report.json", Report), dir.Write("truth.json", Truth), "--json", "--output", output);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Stdout);
        using var doc = JsonDocument.Parse(File.ReadAllText(output));
        Assert.Equal(3, doc.RootElement.GetProperty("true_positives").GetInt64());
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
    }

    [Fact]
    public void Evaluate_InvalidReportJson_Returns1NamingTheFile()
    {
        using var dir = new TempDirectory();
        var r = CliRunner.Run(null, "evaluate", dir.Write("report.json", "{\"accounts\": [ {"), dir.Write("truth.json", Truth));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("report.json is not a valid scan report", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_TruthWithoutCampaignAccounts_Returns1()
    {
        using var dir = new TempDirectory();
        var r = CliRunner.Run(null, "evaluate", dir.Write("report.json", Report), dir.Write("truth.json", """{"accounts": []}"""));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("missing \"campaign_accounts\"", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_MissingTruthArgument_Returns2()
    {
        var r = CliRunner.Run(null, "evaluate", "report.json");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("missing TRUTH", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_HardNegativeGroupsAsArrayAndFlatList_AreAccepted()
    {
        using var dir = new TempDirectory();
        string truth = """
            {"campaign_accounts": ["a1"], "hard_negative_groups": [{"kind": "popular_prompt", "accounts": ["x1"]}],
             "hard_negative_accounts": ["x2", {"account": "x3", "kind": "service_keys"}]}
            """;
        var r = CliRunner.Run(null, "evaluate", dir.Write("r.json", """{"accounts": [{"account": "x1"}, {"account": "x3"}]}"""), dir.Write("t.json", truth));
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("hard negatives flagged: 2 of 3 accounts; groups flagged: 2 of 3", r.Stdout, StringComparison.Ordinal);
    }
}
