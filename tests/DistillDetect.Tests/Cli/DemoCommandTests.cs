using System.Text.RegularExpressions;

namespace DistillDetect.Tests.Cli;

public sealed class DemoCommandTests
{
    [Fact]
    public void Demo_TinyScale_PrintsCampaignsAndTheEvaluation()
    {
        CliRunner.Result r = CliRunner.Run(null, "demo", "--scale", "0.0001", "--seed", "2");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("distilldetect demo: simulating", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("campaigns found:", r.Stdout, StringComparison.Ordinal);
        Assert.Matches(new Regex(@"precision (\d\.\d{4}|n/a)  recall \d\.\d{4}  F1 (\d\.\d{4}|n/a)"), r.Stdout);
        Assert.Contains("hard negatives flagged:", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("time to first campaign alert:", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("campaign exchanges served before flagging:", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Demo_AnalyzeEvery_AnalyzesLessOftenAndReportsPeakMemory()
    {
        CliRunner.Result hourly = CliRunner.Run(null, "demo", "--scale", "0.0001", "--seed", "2");
        CliRunner.Result daily = CliRunner.Run(null, "demo", "--scale", "0.0001", "--seed", "2", "--analyze-every", "24");
        Assert.Equal(0, daily.ExitCode);
        Assert.Contains("analyzed every 24 simulated hours", daily.Stdout, StringComparison.Ordinal);
        var analyses = new Regex(@"([\d,]+) analyses took .* peak working set ([\d,]+) MiB");
        Match h = analyses.Match(hourly.Stdout);
        Match d = analyses.Match(daily.Stdout);
        Assert.True(h.Success && d.Success, daily.Stdout);
        int hourlyCount = int.Parse(h.Groups[1].Value, System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture);
        int dailyCount = int.Parse(d.Groups[1].Value, System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture);
        // Six weeks of traffic: about 1,000 hourly boundaries, about 42 daily ones (+1 final analysis each).
        Assert.InRange(dailyCount, 30, 50);
        Assert.True(hourlyCount > 20 * dailyCount, $"hourly {hourlyCount}, daily {dailyCount}");
        Assert.True(long.Parse(d.Groups[2].Value, System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture) > 0);
    }

    [Fact]
    public void Demo_Workers_ObservesEveryExchangeOnThreadsAndEvaluates()
    {
        CliRunner.Result r = CliRunner.Run(null, "demo", "--scale", "0.0002", "--seed", "2", "--workers", "2", "--analyze-every", "6");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("in the background while 2 threads observe", r.Stdout, StringComparison.Ordinal);
        Assert.Matches(new Regex(@"precision (\d\.\d{4}|n/a)  recall \d\.\d{4}  F1 (\d\.\d{4}|n/a)"), r.Stdout);

        // Same traffic through threads as through the replay path: every exchange and account is counted, and the
        // campaign is found (which accounts are flagged may differ at the margin), with no legitimate group flagged.
        var options = new DistillDetect.Cli.Simulation.SimulationOptions { Seed = 2, Scale = 0.0002 };
        var replay = DistillDetect.Cli.Scanning.SimulatedDetection.Run(options, analysisInterval: TimeSpan.FromHours(6));
        var threads = DistillDetect.Cli.Scanning.SimulatedDetection.Run(options, analysisInterval: TimeSpan.FromHours(6), workers: 2);
        Assert.Equal(replay.Report.Input.Exchanges, threads.Report.Input.Exchanges);
        Assert.Equal(replay.Report.Input.Accounts, threads.Report.Input.Accounts);
        Assert.Equal(replay.Counts.TotalExchanges, threads.Report.Input.Exchanges);
        Assert.Null(threads.Report.Replay);
        Assert.True(threads.Analyses >= 2, $"{threads.Analyses} analyses");
        Assert.True(threads.Evaluation.Precision >= 0.99, $"precision {threads.Evaluation.Precision}");
        Assert.True(threads.Evaluation.Recall > 0, $"recall {threads.Evaluation.Recall} (replay {replay.Evaluation.Recall})");
        Assert.Equal(0, threads.Evaluation.HardNegativeGroupsFlagged);
    }

    [Theory]
    [InlineData("--analyze-every", "0", "--analyze-every")]
    [InlineData("--evasion", "4", "--evasion")]
    [InlineData("--scale", "0", "--scale")]
    [InlineData("--scale", "abc", "--scale")]
    [InlineData("--input", "x", "--input")]
    [InlineData("--workers", "65", "--workers")]
    public void Demo_BadOption_Exits2NamingIt(string option, string value, string named)
    {
        CliRunner.Result r = CliRunner.Run(null, "demo", option, value);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(named, r.Stderr, StringComparison.Ordinal);
    }
}
