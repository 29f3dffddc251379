using System.Text.Json;
using DistillDetect.Cli.Commands;
using DistillDetect.Cli.Reports;
using DistillDetect.Tests.Detection;

namespace DistillDetect.Tests.Cli;

public sealed class ScanReplayTests
{
    [Fact]
    public void ScanReplay_SyntheticWorld_FillsFirstFlaggedAndTheReplayObject()
    {
        List<SyntheticExchange> world = ScanWorld.Exchanges;
        ScanReport report = ScanWorld.ReplayReport;
        ReplaySummary replay = report.Replay!;
        Assert.Equal(world[0].Timestamp, replay.Start);
        Assert.Equal(world[^1].Timestamp, replay.End);
        Assert.Equal(3600, replay.AnalysisIntervalSeconds);
        // One analysis per simulated hour with traffic after the first, plus the final one.
        double hours = (replay.End - replay.Start).TotalHours;
        Assert.InRange(replay.Analyses, 2, (long)Math.Ceiling(hours) + 1);
        Assert.Equal(report.Input.Accounts, replay.Activity.Count);
        Assert.Equal(world.Count, replay.Activity.Sum(a => a.Exchanges));
        var activity = replay.Activity.ToDictionary(a => a.Account);
        Assert.NotEmpty(report.Accounts);
        foreach (AccountEntry a in report.Accounts)
        {
            Assert.NotNull(a.FirstFlagged);
            Assert.NotNull(a.ExchangesBeforeFlagged);
            AccountActivity act = activity[a.Account];
            Assert.InRange(a.FirstFlagged!.Value, act.FirstSeen, replay.End);
            // exchanges_before_flagged is exactly the account's exchanges strictly before first_flagged, or
            // (request-path flag) those before the flagging request, which shares its time.
            long strictlyBefore = world.Count(e => e.Account == a.Account && e.Timestamp < a.FirstFlagged.Value);
            long upTo = world.Count(e => e.Account == a.Account && e.Timestamp <= a.FirstFlagged.Value);
            Assert.InRange(a.ExchangesBeforeFlagged!.Value, strictlyBefore, upTo);
            Assert.True(a.ExchangesBeforeFlagged < a.Exchanges || a.FirstFlagged == replay.End);
        }
    }

    [Fact]
    public void ScanReplay_ShuffledInputSpilledInSmallRuns_GivesTheSameReportAsSortedInput()
    {
        List<SyntheticExchange> world = ScanWorld.Exchanges;
        var shuffled = world.ToList();
        new Random(11).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(shuffled));
        // 64 K characters per run: the world (about 10 MB of text) is sorted through some 80 temporary runs.
        (int code, ScanReport? fromShuffled, _) = ScanWorld.Run(new ScanCommand(workers: 0, replayChunkChars: 1 << 16), ScanWorld.Utf8(ScanWorld.ToJsonLines(shuffled)), "-", "--replay");
        Assert.Equal(0, code);
        Assert.Equal(Json(ScanWorld.ReplayReport), Json(fromShuffled!));
    }

    [Fact]
    public void ScanThenEvaluate_TinySimulation_MatchesTheInProcessRun()
    {
        using var dir = new TempDirectory();
        const string Scale = "0.0001";
        Assert.Equal(0, CliRunner.Run(null, "simulate", "--output", dir.Path, "--scale", Scale, "--seed", "4", "--evasion", "1").ExitCode);
        string report = dir.File("report.json");
        CliRunner.Result scan = CliRunner.Run(null, "scan", dir.File("traffic.jsonl"), "--replay", "--output", report);
        Assert.Equal(0, scan.ExitCode);
        CliRunner.Result evaluate = CliRunner.Run(null, "evaluate", report, dir.File("truth.json"), "--json");
        Assert.Equal(0, evaluate.ExitCode);
        EvaluationResult fromFiles = JsonSerializer.Deserialize(evaluate.Stdout, ReportJsonContext.Default.EvaluationResult)!;
        Assert.NotNull(fromFiles.Replay);
        Assert.True(fromFiles.CampaignAccounts > 0);

        // The same traffic streamed in-process (what the demo does) must give the same figures: the file
        // round trip (write, parse, sort) changes nothing but millisecond-rounded times, which the simulator
        // already uses.
        var inProcess = DistillDetect.Cli.Scanning.SimulatedDetection.Run(new DistillDetect.Cli.Simulation.SimulationOptions { Seed = 4, Scale = 0.0001, Evasion = 1 });
        Assert.Equal(inProcess.Evaluation.TruePositives, fromFiles.TruePositives);
        Assert.Equal(inProcess.Evaluation.FalsePositives, fromFiles.FalsePositives);
        Assert.Equal(inProcess.Evaluation.Replay!.CampaignExchangesBeforeFlagged, fromFiles.Replay.CampaignExchangesBeforeFlagged);
        Assert.Equal(inProcess.Evaluation.Replay.FirstCampaignAlert, fromFiles.Replay.FirstCampaignAlert);
        Assert.Equal(inProcess.Report.Input.Exchanges, JsonSerializer.Deserialize(File.ReadAllBytes(report), ReportJsonContext.Default.ScanReport)!.Input.Exchanges);
    }

    private static string Json(ScanReport report) =>
        JsonSerializer.Serialize(report with { Input = report.Input with { Source = null, Bytes = 0 } }, ReportJsonContext.Default.ScanReport);
}
