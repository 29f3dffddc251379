using System.Globalization;
using DistillDetect.Cli.Simulation;
using DistillDetect.Detection;

namespace DistillDetect.Tests.Detection;

/// <summary>
/// The detector on the built-in simulator (src/DistillDetect.Cli/Simulation), replayed in time order with an
/// analysis every simulated hour (as <c>scan --replay</c> does). Slow (a minute or more per level on 2 cores), so it
/// runs only when DISTILLDETECT_SIMULATION_SCALE is set (e.g. 0.002); DISTILLDETECT_SIMULATION_SEEDS picks the
/// seeds (comma-separated, default 23, the held-out seed since seeds 11, 13, 17 and 19 were used for diagnoses on 2026-11-27; develop on 1-3 and 5), DISTILLDETECT_SIMULATION_LEVELS the
/// evasion levels (e.g. "03"; default all) and DISTILLDETECT_SIMULATION_DAYS a shorter window (development only). It prints one Markdown table row per
/// run and, with DISTILLDETECT_SIMULATION_LOG set, appends the row and the missed campaign accounts to that file.
/// </summary>
public sealed class DetectionSimulationTests
{
    /// <summary>
    /// Every level must keep precision at least 0.99 and flag no hard-negative account. Levels 0 and 1 must also reach
    /// the issue's recall (0.95) and first alert (within 6 simulated hours of each campaign's first exchange). Levels 2
    /// and 3 are printed but not held to those two: there the prompts group by task, not by wrapper, and the rule that
    /// finds such campaigns (<see cref="FlagReason.SharedTasks"/>) waits for a day of machine timing or an abandoned
    /// account before it trusts an account's timing, so its first alerts come later than 6 hours (see the README).
    /// </summary>
    [Theory]
    [InlineData(0, true)]
    [InlineData(1, true)]
    [InlineData(2, false)]
    [InlineData(3, false)]
    public void Analyze_SimulatedTraffic_MeetsIssueTargets(int evasion, bool recallAndFirstAlert)
    {
        string? scaleText = Environment.GetEnvironmentVariable("DISTILLDETECT_SIMULATION_SCALE");
        if (string.IsNullOrEmpty(scaleText)) Assert.Skip("Set DISTILLDETECT_SIMULATION_SCALE (e.g. 0.002) to replay the simulator through the detector (a minute or more per level).");
        double scale = double.Parse(scaleText, CultureInfo.InvariantCulture);
        if (Environment.GetEnvironmentVariable("DISTILLDETECT_SIMULATION_LEVELS") is { Length: > 0 } levels && !levels.Contains((char)('0' + evasion), StringComparison.Ordinal))
        {
            Assert.Skip($"Evasion level {evasion} is not in DISTILLDETECT_SIMULATION_LEVELS={levels}.");
        }
        TimeSpan duration = Environment.GetEnvironmentVariable("DISTILLDETECT_SIMULATION_DAYS") is { Length: > 0 } days
            ? TimeSpan.FromDays(double.Parse(days, CultureInfo.InvariantCulture))
            : SimulationOptions.DefaultDuration;
        string seedsText = Environment.GetEnvironmentVariable("DISTILLDETECT_SIMULATION_SEEDS") is { Length: > 0 } s ? s : "23";
        string? log = Environment.GetEnvironmentVariable("DISTILLDETECT_SIMULATION_LOG");
        var failures = new List<string>();
        foreach (string part in seedsText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            long seed = long.Parse(part, CultureInfo.InvariantCulture);
            ReplayResult result = SimulationReplay.Run(new SimulationOptions { Seed = seed, Scale = scale, Evasion = evasion, Duration = duration }, analyzeEvery: TimeSpan.FromHours(1));
            string row = result.TableRow(seed, scale, evasion);
            TestContext.Current.TestOutputHelper?.WriteLine(ReplayResult.TableHeader);
            TestContext.Current.TestOutputHelper?.WriteLine(row);
            if (!string.IsNullOrEmpty(log))
            {
                File.AppendAllText(log, row + Environment.NewLine);
                File.AppendAllLines(log, result.Missed.Select(m => "    missed " + m));
                File.AppendAllLines(log, result.FalsePositives.Select(m => "    false positive " + m));
            }
            if (!(result.Precision >= 0.99)) failures.Add($"seed {seed}: precision {result.Precision:F4}");
            if (recallAndFirstAlert && !(result.Recall >= 0.95)) failures.Add($"seed {seed}: recall {result.Recall:F4}");
            if (recallAndFirstAlert && !(result.WorstFirstAlertHours <= 6)) failures.Add($"seed {seed}: first alert {result.WorstFirstAlertHours:F1} h");
            foreach ((string group, int flagged) in result.HardNegativesFlagged)
            {
                if (flagged != 0) failures.Add($"seed {seed}: {flagged} {group} flagged");
            }
        }
        Assert.True(failures.Count == 0, string.Join("; ", failures));
    }
}
