using System.Globalization;
using System.Text.Json;
using DistillDetect.Cli.Output;
using DistillDetect.Cli.Reports;

namespace DistillDetect.Cli.Commands;

/// <summary>
/// <c>distilldetect evaluate REPORT TRUTH [--json] [--output FILE]</c>: account-level precision, recall and
/// F1 of a scan report against <c>truth.json</c>, hard negatives flagged, and for a replay report the time
/// to the first campaign alert and the share of campaign exchanges served before their account was flagged.
/// </summary>
internal sealed class EvaluateCommand : ICommand
{
    private static readonly ArgumentSyntax s_syntax = new(["REPORT", "TRUTH"], 2, ["--output"], ["--json"]);

    /// <inheritdoc/>
    public string Name => "evaluate";

    /// <inheritdoc/>
    public string UsageLine => "evaluate REPORT TRUTH [--json] [--output FILE]";

    /// <inheritdoc/>
    public string Description =>
        "Scores a scan report (REPORT, JSON) against truth.json ({\"campaign_accounts\": [...], optional \"campaigns\", " +
        "\"hard_negative_groups\"}): account-level precision, recall, F1, hard negatives flagged and, for a replay " +
        "report, time to first campaign alert and share of campaign exchanges served before flagging. " +
        "--json writes the figures as JSON; --output writes to FILE instead of stdout.";

    /// <inheritdoc/>
    public int Run(IReadOnlyList<string> args, CommandContext context)
    {
        ParsedArguments parsed = ParsedArguments.Parse(args, s_syntax);
        if (parsed.HelpRequested)
        {
            return CommandLine.PrintHelp(this, context);
        }
        string reportPath = parsed.Positionals[0];
        string truthPath = parsed.Positionals[1];
        if (reportPath == "-" && truthPath == "-")
        {
            throw new UsageException("REPORT and TRUTH cannot both be read from stdin.");
        }
        ScanReport report = LoadReport(reportPath, context);
        GroundTruth truth;
        using (Stream truthStream = OpenInput(truthPath, context))
        {
            truth = GroundTruth.Load(truthStream, truthPath);
        }
        EvaluationResult result = Evaluator.Evaluate(report, truth);
        string? output = parsed.GetString("--output");
        if (parsed.HasFlag("--json"))
        {
            JsonOutput.Write(output, context, result, ReportJsonContext.Relaxed.EvaluationResult);
        }
        else
        {
            using OutputTarget target = OutputTarget.Open(output, context);
            using (var writer = new StreamWriter(target.Stream, leaveOpen: true))
            {
                WriteText(result, writer);
            }
            target.Commit();
        }
        return 0;
    }

    /// <summary>Writes the figures as readable lines (invariant culture).</summary>
    internal static void WriteText(EvaluationResult r, TextWriter w)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        w.WriteLine(string.Create(c, $"flagged accounts {r.FlaggedAccounts}, campaign accounts {r.CampaignAccounts}: true positives {r.TruePositives}, false positives {r.FalsePositives}, false negatives {r.FalseNegatives}"));
        w.WriteLine($"precision {Ratio(r.Precision)}  recall {Ratio(r.Recall)}  F1 {Ratio(r.F1)}");
        if (r.CampaignsTotal > 0)
        {
            w.WriteLine(string.Create(c, $"campaigns detected: {r.CampaignsDetected} of {r.CampaignsTotal}"));
        }
        if (r.HardNegativeAccounts > 0 || r.HardNegativeGroups.Count > 0)
        {
            var names = new List<string>();
            foreach (HardNegativeGroupResult g in r.HardNegativeGroups)
            {
                if (g.Flagged > 0)
                {
                    names.Add(string.Create(c, $"{g.Kind}: {g.Flagged} of {g.Accounts}"));
                }
            }
            string detail = names.Count == 0 ? "" : " (" + string.Join("; ", names) + ")";
            w.WriteLine(string.Create(c, $"hard negatives flagged: {r.HardNegativeAccountsFlagged} of {r.HardNegativeAccounts} accounts; groups flagged: {r.HardNegativeGroupsFlagged} of {r.HardNegativeGroups.Count}{detail}"));
        }
        if (r.Replay is { } replay)
        {
            string start = replay.CampaignStart.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", c);
            w.WriteLine(replay.FirstCampaignAlert is { } alert
                ? string.Create(c, $"time to first campaign alert: {replay.TimeToFirstAlertHours:0.00} h (campaign start {start}, first alert {alert.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", c)})")
                : $"time to first campaign alert: n/a (no campaign account flagged; campaign start {start})");
            w.WriteLine(replay.ShareServedBeforeFlagged is { } share
                ? string.Create(c, $"campaign exchanges served before flagging: {share * 100:0.00} % ({replay.CampaignExchangesBeforeFlagged} of {replay.CampaignExchanges})")
                : "campaign exchanges served before flagging: n/a (the replay lists no campaign account activity)");
        }
    }

    private static string Ratio(double? value) => value is double v ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "n/a";

    private static ScanReport LoadReport(string path, CommandContext context)
    {
        using Stream stream = OpenInput(path, context);
        try
        {
            return JsonSerializer.Deserialize(stream, ReportJsonContext.Default.ScanReport)
                ?? throw new InvalidDataException($"{path}: the report is JSON null.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a valid scan report: {e.Message}", e);
        }
    }

    private static Stream OpenInput(string path, CommandContext context) => Input.InputSource.Open(path, context);
}
