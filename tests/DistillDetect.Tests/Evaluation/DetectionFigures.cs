using System.Globalization;
using System.Text;
using DistillDetect.Cli.Reports;
using DistillDetect.Cli.Scanning;
using DistillDetect.Cli.Simulation;

namespace DistillDetect.Tests.Evaluation;

/// <summary>
/// The end-to-end evaluation harness: simulate -> detector (hourly analyses, replay-style) -> evaluate, in
/// process, with the built-in prompt grammar or with the held-out part of the real prompt sets in
/// ../shared/data; formats the README's detection table.
/// </summary>
internal static class DetectionFigures
{
    /// <summary>Campaign task files (coding and agentic tasks an attacker would wrap).</summary>
    public static readonly string[] TaskFiles = ["code_mbpp.jsonl", "code_humaneval.jsonl", "agentic_swe_bench_lite.jsonl.gz"];

    /// <summary>Legitimate prompt files (diverse real user prompts).</summary>
    public static readonly string[] LegitFiles =
    [
        "legit_sharegpt_first_turns.jsonl.gz", "legit_awesome_chatgpt_prompts.jsonl.gz", "legit_arena_hard.jsonl.gz",
        "legit_mtbench_vicuna.jsonl", "legit_self_instruct_user_oriented.jsonl", "legit_wizardlm_testset.jsonl",
    ];

    /// <summary>The held-out rows (<see cref="SharedData.IsHeldOut"/>) of <paramref name="files"/>: figures are reported on these only.</summary>
    public static List<string> HeldOutPrompts(IEnumerable<string> files) => Prompts(files, heldOut: true);

    /// <summary>The non-empty prompts of <paramref name="files"/> in the held-out part, or in the development part when <paramref name="heldOut"/> is false.</summary>
    public static List<string> Prompts(IEnumerable<string> files, bool heldOut)
    {
        var prompts = new List<string>();
        foreach (string file in files)
        {
            foreach ((string id, string prompt) in SharedData.ReadPrompts(file))
            {
                if (SharedData.IsHeldOut(id) == heldOut && prompt.Length > 0) prompts.Add(prompt);
            }
        }
        return prompts;
    }

    /// <summary>The comma-separated integers in environment variable <paramref name="variable"/>, or in <paramref name="fallback"/> when it is unset.</summary>
    public static IEnumerable<int> Numbers(string variable, string fallback) =>
        (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } v ? v : fallback)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.Parse(s, CultureInfo.InvariantCulture));

    public sealed record Row(string Prompts, int Evasion, double Scale, SimulatedDetectionResult Result);

    public static Row Run(string label, double scale, int evasion, long seed, IReadOnlyList<string>? tasks, IReadOnlyList<string>? legit) =>
        new(label, evasion, scale, SimulatedDetection.Run(new SimulationOptions
        {
            Seed = seed,
            Scale = scale,
            Evasion = evasion,
            TaskPrompts = tasks,
            LegitPrompts = legit,
        }));

    public static string Header =>
        "| prompts | evasion | scale | exchanges | campaign accounts | flagged | precision | recall | F1 | hard-negative groups flagged (accounts) | time to first alert | campaign exchanges served before flagging | wall time |\n" +
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |";

    public static string Format(Row row)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        EvaluationResult e = row.Result.Evaluation;
        string groups = string.Join(", ", e.HardNegativeGroups.Select(g => string.Create(c, $"{g.Kind} {g.Flagged}/{g.Accounts}")));
        string alert = e.Replay?.TimeToFirstAlertHours is double h ? string.Create(c, $"{h:0.0} h") : "none";
        string share = e.Replay?.ShareServedBeforeFlagged is double s ? string.Create(c, $"{s * 100:0.0} %") : "n/a";
        return string.Create(c,
            $"| {row.Prompts} | {row.Evasion} | {row.Scale} | {row.Result.Report.Input.Exchanges:N0} | {e.CampaignAccounts:N0} | {e.FlaggedAccounts:N0} | {Ratio(e.Precision)} | {Ratio(e.Recall)} | {Ratio(e.F1)} | {e.HardNegativeGroupsFlagged} of {e.HardNegativeGroups.Count} ({groups}) | {alert} | {share} | {row.Result.Elapsed.TotalSeconds:0} s |");
    }

    private static string Ratio(double? v) => v is double x ? x.ToString("0.000", CultureInfo.InvariantCulture) : "n/a";

    /// <summary>Appends <paramref name="line"/> to the figures file (DISTILLDETECT_FIGURES_OUT, else a temp file) and returns its path.</summary>
    public static string Append(string line)
    {
        string path = Environment.GetEnvironmentVariable("DISTILLDETECT_FIGURES_OUT") is { Length: > 0 } p
            ? p
            : Path.Combine(Path.GetTempPath(), "distilldetect-figures.md");
        File.AppendAllText(path, line + "\n", new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        return path;
    }
}
