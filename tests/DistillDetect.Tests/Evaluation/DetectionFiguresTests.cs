using System.Globalization;
using DistillDetect.Cli.Reports;

namespace DistillDetect.Tests.Evaluation;

/// <summary>
/// Runs the evaluation harness. By default one small configuration per prompt source checks that the whole
/// chain works on real data (fast enough for CI). With DISTILLDETECT_FIGURES=SCALE (e.g. 0.005, the default
/// scale) it runs every evasion level 0..3 with the built-in grammar and with the held-out real prompt sets,
/// and writes the README table (see <see cref="DetectionFigures.Append"/>). The figures are measured, never
/// asserted against the targets here: the targets are the detector's to meet and the table reports misses.
/// </summary>
public sealed class DetectionFiguresTests
{
    [Fact]
    public void Harness_HeldOutRealPrompts_RunsSimulateDetectEvaluate()
    {
        SharedData.RequireDirectory();
        List<string> tasks = DetectionFigures.HeldOutPrompts(DetectionFigures.TaskFiles);
        List<string> legit = DetectionFigures.HeldOutPrompts(DetectionFigures.LegitFiles);
        // About 30 % of 1,438 task rows and of 6,366 legitimate rows (the split is by id hash, so not exact).
        Assert.InRange(tasks.Count, 330, 540);
        Assert.InRange(legit.Count, 1_600, 2_300);
        DetectionFigures.Row row = DetectionFigures.Run("real (held-out)", 0.0001, 3, 1, tasks, legit);
        EvaluationResult e = row.Result.Evaluation;
        Assert.True(e.CampaignAccounts > 0);
        Assert.Equal(row.Result.Report.Input.Exchanges, row.Result.Report.Replay!.Activity.Sum(a => a.Exchanges));
        Assert.NotNull(e.Replay);
        string line = DetectionFigures.Format(row);
        Assert.StartsWith("| real (held-out) | 3 | 0.0001 |", line, StringComparison.Ordinal);
        TestContext.Current.TestOutputHelper?.WriteLine(DetectionFigures.Header + "\n" + line);
    }

    /// <summary>
    /// The simulator seed the README's figures are measured on: 23 since 2026-11-27 (session 6). Seed 11 (held out until
    /// then) and seed 13 (next) each showed a flagged heavy coder that we then diagnosed on it, seed 17's list of missed
    /// accounts (their burstiness) pointed at the accounts run in shifts, and on seeds 19 and 23 a heavy coder was flagged
    /// by a path since removed (the detector measured on 23 is the one from before those paths, not changed after), so
    /// 11-19 do not count as held out any more; development used seeds 1-3 and 5.
    /// </summary>
    private const long HeldOutSeed = 23;

    [Fact]
    public void Harness_FullTable_WhenRequested()
    {
        string? requested = Environment.GetEnvironmentVariable("DISTILLDETECT_FIGURES");
        if (string.IsNullOrEmpty(requested))
        {
            Assert.Skip("set DISTILLDETECT_FIGURES=SCALE (e.g. 0.005) to measure the README's detection table (minutes to hours).");
        }
        double scale = double.Parse(requested, CultureInfo.InvariantCulture);
        string? only = Environment.GetEnvironmentVariable("DISTILLDETECT_FIGURES_ONLY"); // "builtin", "real" or null for both
        string? levels = Environment.GetEnvironmentVariable("DISTILLDETECT_FIGURES_EVASION"); // e.g. "0,2"; null for 0..3
        int[] evasions = levels is { Length: > 0 } ? levels.Split(',').Select(int.Parse).ToArray() : [0, 1, 2, 3];
        List<string>? tasks = null, legit = null;
        if (only != "builtin")
        {
            SharedData.RequireDirectory();
            tasks = DetectionFigures.HeldOutPrompts(DetectionFigures.TaskFiles);
            legit = DetectionFigures.HeldOutPrompts(DetectionFigures.LegitFiles);
        }
        string path = DetectionFigures.Append(DetectionFigures.Header);
        foreach (int evasion in evasions)
        {
            if (only != "real") DetectionFigures.Append(DetectionFigures.Format(DetectionFigures.Run("built-in", scale, evasion, HeldOutSeed, null, null)));
            if (only != "builtin") DetectionFigures.Append(DetectionFigures.Format(DetectionFigures.Run("real (held-out)", scale, evasion, HeldOutSeed, tasks, legit)));
        }
        TestContext.Current.TestOutputHelper?.WriteLine(File.ReadAllText(path));
    }
}
